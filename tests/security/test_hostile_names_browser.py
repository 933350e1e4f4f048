"""Hostile names in a real browser (issue 20, item 1): Markdown in a display or class name must
not become an image the browser fetches or a link to an outside host, on the real stack."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy import update

from core.accounts.classrooms import create_classroom
from core.accounts.service import create_first_teacher, register_student
from core.db.models import User
from core.telemetry import record
from core.text import plain_markdown
from tests import factories as f
from tests.e2e.conftest import browser, chromium_path, zerde_data_dir, zerde_server  # noqa: F401
from tests.e2e.helpers import (
    assert_loopback_only,
    fresh_page,
    main,
    open_page,
    server_database,
    settle,
    signed_in,
)

pytestmark = pytest.mark.e2e
OUTSIDE = "203.0.113.5"
TEACHER = f"![x](http://{OUTSIDE}/x.png)"
ROOM = f"[Teacher says click](http://{OUTSIDE}/a)"
STUDENT = f":red[x] :material/home: http://{OUTSIDE}/b"
HTML_NAME = f"<img src=http://{OUTSIDE}/i.png> www.example.com"


@pytest.fixture(scope="module")
def hostile_server(zerde_data_dir: Path, zerde_server: str) -> str:  # noqa: F811
    engine = server_database(zerde_data_dir)
    teacher = create_first_teacher("aigerim", TEACHER, f.PASSWORD, "en", engine=engine)
    room = create_classroom(teacher, ROOM, engine=engine)
    one = register_student(room.join_code, "bolat", STUDENT, f.PASSWORD, "en", engine=engine)
    two = register_student(room.join_code, "dana.s", "Dana", f.PASSWORD, "en", engine=engine)
    with engine.begin() as conn:  # markup core refuses today, as an older database may hold it
        conn.execute(update(User).where(User.id == two.user_id).values(display_name=HTML_NAME))
    for student in (one, two):
        record(student, f.event(student), engine=engine)
    engine.dispose()
    return zerde_server


def shown(name: str) -> str:
    """The name as the browser shows it: the characters typed, with core/text.py's invisible
    word joiners where a pattern had to be broken."""
    return re.sub(r"\\(.)", r"\1", plain_markdown(name))


def _no_outside_targets(page: Page) -> None:
    settle(page)
    sources = page.eval_on_selector_all("img", "els => els.map(e => e.src)")
    links = page.eval_on_selector_all("a", "els => els.map(e => e.href)")
    outside = [u for u in sources + links if OUTSIDE in u or "example.com" in u]
    assert not outside, f"user text became an image or link: {outside}"


def test_hostile_names_stay_text_in_the_browser(
    browser: Browser,  # noqa: F811
    hostile_server: str,
) -> None:
    requests: list[str] = []
    with fresh_page(browser, requests) as page:
        page.goto(hostile_server)
        signed_in(page, "aigerim", f.PASSWORD)
        _no_outside_targets(page)
        main(page).get_by_text(shown(TEACHER)).first.wait_for()  # the title, as text
        open_page(page, "Classes and students", "teacher_classes")
        _no_outside_targets(page)
        main(page).get_by_text(shown(ROOM)).first.wait_for()  # the class's expander
        open_page(page, "Class overview", "teacher_dashboard")
        main(page).get_by_role("tab", name="Students").click()
        for name in (STUDENT, HTML_NAME):
            main(page).locator(".st-key-dashboard_student input").click()
            page.get_by_role("option", name=name, exact=True).click()
            settle(page)
            _no_outside_targets(page)
            summary = main(page).get_by_test_id("stAlertContentInfo").first
            summary.get_by_text(shown(name)).wait_for()  # the summary shows the name
    with fresh_page(browser, requests) as page:
        page.goto(hostile_server)
        signed_in(page, "bolat", f.PASSWORD)
        _no_outside_targets(page)
        main(page).get_by_text(shown(STUDENT)).first.wait_for()
    assert_loopback_only(requests)
