"""Playwright helpers shared by the end-to-end journeys."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Locator, Page, expect
from sqlalchemy import Engine

from core.db import make_engine, upgrade_to_head

TIMEOUT_MS = 30_000
expect.set_options(timeout=TIMEOUT_MS)

TEACHER_USER = "aigerim"
TEACHER_NAME = "Aigerim Nurlanovna"
TEACHER_PASSWORD = "Tulpar-2026-steppe"
STUDENT_USER = "dana.s"
STUDENT_NAME = "Dana Serikova"
STUDENT_PASSWORD = "Kokpar-Jailau-77"
CLASS_NAME = "9A"
JOIN_CODE = re.compile(r"^[A-HJKMNP-Z2-9]{8}$")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


AT_REST = re.compile(r"^(notRunning|initial|compilationError)$")


def settle(page: Page) -> None:
    """Wait until Streamlit has finished the rerun the last action caused and no widget is
    still a skeleton. The rerun starts a moment after the action (widget changes are sent in
    batches), so checking at once can pass before it began; like Streamlit's own browser tests
    we give it 210 ms, then wait for the app's script state to be back at rest."""
    page.wait_for_timeout(210)
    expect(page.get_by_test_id("stApp")).to_have_attribute(
        "data-test-script-state", AT_REST, timeout=120_000
    )
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0)


def main(page: Page) -> Locator:
    return page.get_by_test_id("stMain")


def sidebar(page: Page) -> Locator:
    return page.get_by_test_id("stSidebar")


def heading(page: Page, text: str) -> Locator:
    return main(page).get_by_role("heading", name=text, exact=True)


def shot(page: Page, folder: Path, name: str) -> None:
    """Screenshot the app view (sidebar + main); full_page misses Streamlit's inner scroller."""
    settle(page)
    page.get_by_test_id("stAppViewContainer").screenshot(
        path=folder / f"{name}.png", animations="disabled"
    )


def fill(page: Page, key: str, value: str) -> None:
    field = page.locator(f".st-key-{key} input")
    expect(field).to_be_editable()
    field.fill(value)


def submit(page: Page, form: str) -> None:
    """Click a form's submit button; its key is `FormSubmitter-<form>-<translated label>`."""
    page.locator(f'[class*="st-key-FormSubmitter-{form}-"] button').click()


def log_out(page: Page) -> None:
    page.locator(".st-key-logout button").click()


def choose_language(page: Page, name: str) -> None:
    combo = page.locator(".st-key-language_switch input")
    expect(combo).to_be_editable()
    combo.click()
    page.get_by_role("option", name=name, exact=True).click()
    expect(combo).to_have_value(name)


def expect_login_page(page: Page, title: str, sign_in_tab: str, join_tab: str) -> None:
    expect(heading(page, title)).to_be_visible()
    expect(page.get_by_role("tab", name=sign_in_tab, exact=True)).to_be_visible()
    expect(page.get_by_role("tab", name=join_tab, exact=True)).to_be_visible()
    expect(page.locator(".st-key-logout")).to_have_count(0)
    settle(page)


def sign_in(page: Page, username: str, password: str) -> None:
    fill(page, "si_username", username)
    fill(page, "si_password", password)
    submit(page, "sign_in")


def signed_in(page: Page, username: str, password: str) -> None:
    """Sign in and wait until the signed-in app has finished its reruns, so that the next
    click is not swallowed by the rerun that follows a successful sign-in."""
    sign_in(page, username, password)
    expect(page.locator(".st-key-logout")).to_be_visible()
    settle(page)


def open_page(page: Page, link: str, path: str) -> None:
    """Follow a sidebar link and wait until the browser is really on that page: a page's
    title can also be a card heading on Home, so the heading alone does not prove it."""
    sidebar(page).get_by_role("link", name=link, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/{re.escape(path)}$"))
    expect(main(page).locator("h1", has_text=link)).to_be_visible()


@contextmanager
def fresh_page(browser: Browser, requests: list[str]) -> Iterator[Page]:
    """A new browser context (no Streamlit session yet, English locale) that logs every URL."""
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 1000})
    context.on("request", lambda request: requests.append(request.url))
    try:
        page = context.new_page()
        page.on("websocket", lambda socket: requests.append(socket.url))
        page.set_default_timeout(TIMEOUT_MS)
        yield page
    finally:
        context.close()


def assert_loopback_only(requests: list[str]) -> None:
    assert requests, "no request was recorded"
    external = sorted(
        {
            url
            for url in requests
            if urlsplit(url).scheme not in {"data", "blob"}
            and urlsplit(url).hostname not in LOCAL_HOSTS
        }
    )
    assert not external, f"the browser reached beyond loopback: {external}"


def server_database(data_dir: Path) -> Engine:
    """The running server's SQLite database, migrated, for seeding accounts through core."""
    url = f"sqlite:///{data_dir / 'zerde.db'}"
    upgrade_to_head(url)
    return make_engine(url)


def seed_class(
    data_dir: Path, teacher: tuple[str, str], room: str, student: tuple[str, str], password: str
) -> None:
    """A teacher and one class with one student, created through core in the server's
    database; people are (username, display name)."""
    from core.accounts.classrooms import create_classroom
    from core.accounts.service import create_first_teacher, register_student

    engine = server_database(data_dir)
    head = create_first_teacher(*teacher, password, "en", engine=engine)
    code = create_classroom(head, room, engine=engine).join_code
    register_student(code, *student, password, "en", engine=engine)
    engine.dispose()


def predict(page: Page, activity: str, lesson: str) -> None:
    """Lock in the right prediction of a lesson built on app_pages/components/lesson_frame.py."""
    from core.quiz import load_quiz

    item = next(i for i in load_quiz(activity) if i.id == lesson)
    card = main(page).locator(f".st-key-{activity}_predict_card_{lesson}")
    answer = item.options[item.answer].text["en"]
    choose(card, answer)
    right = card.get_by_text("Your prediction is right.")
    click_until(
        card.get_by_role("button", name="Lock in my prediction"),
        lambda: expect(right).to_be_visible(),
    )
    settle(page)


def choose(card: Locator, option: str) -> Locator:
    """Pick ``option`` in the card's radio group and wait until it is checked; returns its radio."""
    radio = card.get_by_role("radio", name=option, exact=True)
    click_until(
        card.get_by_role("radiogroup").get_by_text(option, exact=True),
        lambda: expect(radio).to_be_checked(),
    )
    return radio


def click_until(
    target: Locator,
    done: Callable[[], None],
    act: Callable[[Locator], None] = Locator.click,
    attempts: int = 3,
) -> None:
    """Click ``target`` (or ``act`` on it) until ``done`` passes: an action that lands while
    Streamlit reruns the script can be lost (seen in CI under load)."""
    for attempt in range(1, attempts + 1):
        act(target)
        try:
            done()
            return
        except AssertionError:
            if attempt == attempts:
                raise


def shot_at(page: Page, folder: Path, name: str, target: str = "stPlotlyChart") -> None:
    """Scroll ``target`` (a test id, or a CSS selector starting with '.') into view first."""
    where = (
        main(page).locator(target) if target.startswith(".") else main(page).get_by_test_id(target)
    )
    where.first.scroll_into_view_if_needed()
    page.wait_for_timeout(400)  # plotly finishes its transition
    shot(page, folder, name)


def metric_value(page: Page, label: str) -> str:
    block = main(page).get_by_test_id("stMetric").filter(has_text=label).first
    return block.get_by_test_id("stMetricValue").inner_text()


def lock_prediction(page: Page, prefix: str, question: str, option: str) -> Locator:
    """Answer a predict-then-check card (app_pages/components/predict_card.py) and wait until it is
    locked: a click that lands during a rerun is otherwise lost. Returns the card."""
    card = main(page).locator(f".st-key-{prefix}_q_card_{question}")
    radio = choose(card, option)
    click_until(
        card.get_by_role("button", name="Lock my prediction"),
        lambda: expect(radio).to_be_disabled(),
    )
    settle(page)
    return card
