"""TEMPORARY: drives tests/e2e/quest_levels.py (delete before finishing)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from core.accounts.classrooms import create_classroom
from core.accounts.service import create_first_teacher, register_student
from tests.e2e import quest_levels as q
from tests.e2e.helpers import fresh_page, heading, server_database, settle, sidebar, sign_in

pytestmark = pytest.mark.e2e
PASSWORD = "Tulpar-2026-steppe"


@pytest.fixture(scope="module")
def seeded(zerde_data_dir: Path, zerde_server: str) -> str:
    engine = server_database(zerde_data_dir)
    teacher = create_first_teacher("aigerim", "Aigerim N.", PASSWORD, "en", engine=engine)
    room = create_classroom(teacher, "9A", engine=engine)
    register_student(room.join_code, "bolat", "Bolat Serik", PASSWORD, "en", engine=engine)
    engine.dispose()
    return zerde_server


def test_quest(browser: Browser, seeded: str, artifacts_dir: Path) -> None:
    with fresh_page(browser, []) as page:
        page.goto(seeded)
        sign_in(page, "bolat", PASSWORD)
        expect(heading(page, "Hello, Bolat Serik!")).to_be_visible()
        sidebar(page).get_by_role("link", name="Blockchain quest").click()
        expect(heading(page, "Blockchain quest")).to_be_visible()
        settle(page)
        for n, play in enumerate((q.play_level_1, q.play_level_2, q.play_level_3, q.play_level_4), 1):
            start = time.monotonic()
            play(page, artifacts_dir)
            print(f"LEVEL {n}: {time.monotonic() - start:.1f}s")
