"""The whole first-day journey in a real browser against a real `streamlit run` server.

First teacher → class "9A" and its join code → log out → a student joins (after a wrong code
is refused) → signs in again → switches the language to Russian and Kazakh → the sign-in and the
choice survive a reload and a new tab (session cookie), and the language is kept per user in the
database (a new browser session signs the student in to Kazakh, the teacher to English) → log
out. Every request the browser makes must stay on loopback.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import (
    CLASS_NAME,
    JOIN_CODE,
    STUDENT_NAME,
    STUDENT_PASSWORD,
    STUDENT_USER,
    TEACHER_NAME,
    TEACHER_PASSWORD,
    TEACHER_USER,
    TIMEOUT_MS,
    assert_loopback_only,
    choose_language,
    expect_login_page,
    fill,
    fresh_page,
    heading,
    log_out,
    main,
    shot,
    sidebar,
    sign_in,
    submit,
)

pytestmark = pytest.mark.e2e


def test_first_day_journey(browser: Browser, zerde_server: str, artifacts_dir: Path) -> None:
    url, shots = zerde_server, artifacts_dir
    requests: list[str] = []
    with fresh_page(browser, requests) as page:
        _first_teacher(page, url, shots)
        join_code = _create_class(page, shots)
        log_out(page)  # 3.
        expect_login_page(page, "Welcome to Zerde", "Sign in", "Join a class")
        shot(page, shots, "04_login_page")
        _student_joins(page, join_code, shots)
        _student_signs_in_again(page, shots)
        _switch_languages(page, shots)
    with fresh_page(browser, requests) as page:
        _language_is_remembered(page, url, shots)

    assert_loopback_only(requests)


def _first_teacher(page: Page, url: str, shots: Path) -> None:
    """1. First run: create the first teacher, land on the home page signed in."""
    page.goto(url)
    expect(heading(page, "Welcome to Zerde")).to_be_visible()
    expect(main(page).get_by_text("This is a fresh installation.")).to_be_visible()
    fill(page, "ft_username", TEACHER_USER)
    fill(page, "ft_name", TEACHER_NAME)
    fill(page, "ft_password", TEACHER_PASSWORD)
    fill(page, "ft_password2", TEACHER_PASSWORD)
    shot(page, shots, "01_first_run")
    submit(page, "first_teacher")
    expect(heading(page, f"Hello, {TEACHER_NAME}!")).to_be_visible()
    expect(sidebar(page).get_by_text(f"{TEACHER_NAME} · teacher")).to_be_visible()
    expect(sidebar(page).get_by_role("link", name="Classes and students")).to_be_visible()
    shot(page, shots, "02_teacher_home")


def _create_class(page: Page, shots: Path) -> str:
    """2. Create class 9A and read its join code from the page."""
    sidebar(page).get_by_role("link", name="Classes and students").click()
    expect(heading(page, "Classes and students")).to_be_visible()
    expect(main(page).get_by_text("You have no classes yet.")).to_be_visible()
    class_name = main(page).get_by_label("New class name")
    expect(class_name).to_be_editable()
    class_name.fill(CLASS_NAME)
    main(page).get_by_role("button", name="Create class").click()
    expect(main(page).get_by_text(f"Class “{CLASS_NAME}” created.")).to_be_visible()
    expect(main(page).get_by_text(f"{CLASS_NAME} · students: 0")).to_be_visible()
    code_block = main(page).get_by_test_id("stCode")
    expect(code_block).to_have_count(1)
    join_code = code_block.locator("code").inner_text().strip()
    assert JOIN_CODE.match(join_code), f"unexpected join code {join_code!r}"
    shot(page, shots, "03_class_created")
    return join_code


def _fill_join_form(page: Page, code: str) -> None:
    fill(page, "jc_code", code)
    fill(page, "jc_username", STUDENT_USER)
    fill(page, "jc_name", STUDENT_NAME)
    fill(page, "jc_password", STUDENT_PASSWORD)
    fill(page, "jc_password2", STUDENT_PASSWORD)
    submit(page, "join_class")


def _student_joins(page: Page, join_code: str, shots: Path) -> None:
    """4. A wrong code is refused (translated, nothing stored); then the right code works."""
    page.get_by_role("tab", name="Join a class", exact=True).click()
    _fill_join_form(page, "ZZZZ2222" if join_code != "ZZZZ2222" else "YYYY3333")
    expect(main(page).get_by_text("There is no class with this join code")).to_be_visible()
    expect(page.locator(".st-key-logout")).to_have_count(0)
    shot(page, shots, "05_wrong_join_code")

    # Same username again: it is free, so the refused attempt created no account.
    _fill_join_form(page, join_code.lower())  # pupils may type the code in lower case
    expect(heading(page, f"Hello, {STUDENT_NAME}!")).to_be_visible()
    expect(sidebar(page).get_by_text(f"{STUDENT_NAME} · student")).to_be_visible()
    expect(sidebar(page).get_by_role("link", name="Classes and students")).to_have_count(0)
    shot(page, shots, "06_student_joined")


def _student_signs_in_again(page: Page, shots: Path) -> None:
    """5. Log out, then sign in as the student through the Sign in tab."""
    log_out(page)
    expect_login_page(page, "Welcome to Zerde", "Sign in", "Join a class")
    sign_in(page, STUDENT_USER, STUDENT_PASSWORD)
    expect(heading(page, f"Hello, {STUDENT_NAME}!")).to_be_visible()
    shot(page, shots, "07_student_signed_in")


def _switch_languages(page: Page, shots: Path) -> None:
    """6. Russian, then Kazakh; a reload and a log-out keep Kazakh."""
    choose_language(page, "Русский")
    expect(heading(page, f"Здравствуйте, {STUDENT_NAME}!")).to_be_visible()
    expect(sidebar(page).get_by_role("link", name="Главная")).to_be_visible()
    expect(sidebar(page).get_by_role("button", name="Выйти")).to_be_visible()
    expect(sidebar(page).get_by_text(f"{STUDENT_NAME} · ученик")).to_be_visible()
    shot(page, shots, "08_russian")

    choose_language(page, "Қазақша")
    expect(heading(page, f"Сәлеметсіз бе, {STUDENT_NAME}!")).to_be_visible()
    expect(sidebar(page).get_by_role("link", name="Басты бет")).to_be_visible()
    expect(sidebar(page).get_by_role("button", name="Шығу")).to_be_visible()
    shot(page, shots, "09_kazakh")

    # A reload, and a second tab (a brand-new Streamlit session), keep the student signed in
    # through the browser-session cookie, in their stored language.
    kazakh_home = heading(page, f"Сәлеметсіз бе, {STUDENT_NAME}!")
    page.reload()
    expect(kazakh_home).to_be_visible()
    expect(page.locator(".st-key-language_switch input")).to_have_value("Қазақша")
    shot(page, shots, "10_kazakh_after_reload")
    second = page.context.new_page()
    second.set_default_timeout(TIMEOUT_MS)
    second.goto(page.url)
    expect(heading(second, f"Сәлеметсіз бе, {STUDENT_NAME}!")).to_be_visible()
    second.close()

    # Logging out keeps the screen's language.
    log_out(page)
    expect_login_page(page, "Zerde-ге қош келдіңіз", "Кіру", "Сыныпқа қосылу")
    shot(page, shots, "11_login_kazakh")
    # After log out, a new tab is not signed in: the cookie is cleared and the session revoked.
    third = page.context.new_page()
    third.set_default_timeout(TIMEOUT_MS)
    third.goto(page.url)
    expect(heading(third, "Welcome to Zerde")).to_be_visible()
    third.close()


def _language_is_remembered(page: Page, url: str, shots: Path) -> None:
    """A brand-new browser session (English locale): each user gets their own stored language."""
    page.goto(url)
    expect_login_page(page, "Welcome to Zerde", "Sign in", "Join a class")
    sign_in(page, STUDENT_USER, STUDENT_PASSWORD)
    expect(heading(page, f"Сәлеметсіз бе, {STUDENT_NAME}!")).to_be_visible()
    expect(page.locator(".st-key-language_switch input")).to_have_value("Қазақша")
    shot(page, shots, "12_new_session_student_kazakh")

    log_out(page)
    expect_login_page(page, "Zerde-ге қош келдіңіз", "Кіру", "Сыныпқа қосылу")
    sign_in(page, TEACHER_USER, TEACHER_PASSWORD)
    expect(heading(page, f"Hello, {TEACHER_NAME}!")).to_be_visible()
    expect(page.locator(".st-key-language_switch input")).to_have_value("English")
    sidebar(page).get_by_role("link", name="Classes and students").click()
    expect(main(page).get_by_text(f"{CLASS_NAME} · students: 1")).to_be_visible()
    shot(page, shots, "13_teacher_roster")

    # 7. Log out: the login page is shown.
    log_out(page)
    expect_login_page(page, "Welcome to Zerde", "Sign in", "Join a class")
    expect(heading(page, f"Hello, {TEACHER_NAME}!")).to_have_count(0)
    shot(page, shots, "14_logged_out")
