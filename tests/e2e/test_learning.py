"""A student learns and the teacher sees it: the onboarding quiz (hint, a wrong answer, then the
right ones), My progress with its JSON export, and the teacher's class overview."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from core.quiz import load_quiz
from tests.e2e.helpers import (
    assert_loopback_only,
    choose,
    click_until,
    fresh_page,
    heading,
    log_out,
    main,
    open_page,
    seed_class,
    settle,
    shot,
    signed_in,
)

pytestmark = pytest.mark.e2e
PASSWORD = "Tulpar-2026-steppe"


@pytest.fixture(scope="module")
def seeded(zerde_data_dir: Path, zerde_server: str) -> str:
    """A teacher, class 9A and student Bolat, created through core in the server's database."""
    seed_class(zerde_data_dir, ("aigerim", "Aigerim N."), "9A", ("bolat", "Bolat Serik"), PASSWORD)
    return zerde_server


def _card(page: Page, item_id: str) -> Locator:
    return main(page).locator(f".st-key-quizcard_onboarding_{item_id}")


def _answer(page: Page, item_id: str, option: str, feedback: str) -> None:
    card = _card(page, item_id)
    choose(card, option)
    click_until(
        card.get_by_role("button", name="Check"),
        lambda: expect(card.get_by_text(feedback)).to_be_visible(),
    )
    settle(page)


def test_student_learns_teacher_sees(browser: Browser, seeded: str, artifacts_dir: Path) -> None:
    requests: list[str] = []
    items = load_quiz("onboarding")
    with fresh_page(browser, requests) as page:
        page.goto(seeded)
        signed_in(page, "bolat", PASSWORD)
        expect(heading(page, "Hello, Bolat Serik!")).to_be_visible()
        open_page(page, "Getting started", "onboarding")

        first = items[0]
        card = _card(page, first.id)
        card.get_by_role("button", name="Hint").click()
        expect(card.get_by_text(first.hint["en"])).to_be_visible()
        wrong = next(o for i, o in enumerate(first.options) if i != first.answer)
        _answer(page, first.id, wrong.text["en"], "Not quite.")
        shot(page, artifacts_dir, "21_quiz_wrong_answer")
        for item in items:
            _answer(page, item.id, item.options[item.answer].text["en"], "Correct!")
        expect(main(page).get_by_text("4 of 4 answered correctly")).to_be_visible()
        expect(main(page).get_by_text("Well done!")).to_be_visible()
        shot(page, artifacts_dir, "22_quiz_done")

        open_page(page, "My progress", "my_progress")
        metrics = main(page).get_by_test_id("stMetricValue")
        # XP (one right retry = 5, three right first tries = 30), level, streak, badges, then
        # answers, correct, skills, hints
        expect(metrics.nth(0)).to_have_text("35")
        expect(metrics.nth(2)).to_have_text("1 d")
        expect(metrics.nth(4)).to_have_text("5")
        expect(metrics.nth(5)).to_have_text("80%")
        expect(metrics.nth(7)).to_have_text("1")
        # the mastery table (with "not enough evidence yet" after one answer per skill) and the
        # answers by skill
        expect(main(page).get_by_test_id("stDataFrame")).to_have_count(2)
        with page.expect_download() as download:
            main(page).get_by_role("button", name="Download (JSON)").click()
        exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
        assert exported["profile"]["username"] == "bolat"
        assert len(exported["events"]) == 5  # one wrong answer, then four right
        assert [e["correct"] for e in exported["events"]] == [False, True, True, True, True]
        assert exported["events"][0]["hints_used"] == 1
        shot(page, artifacts_dir, "23_my_progress")
        log_out(page)

        signed_in(page, "aigerim", PASSWORD)
        open_page(page, "Class overview", "teacher_dashboard")
        expect(main(page).locator(".js-plotly-plot").first).to_be_visible()
        expect(main(page).get_by_text("Mastery by student and skill")).to_be_visible()
        shot(page, artifacts_dir, "24_class_overview")
    assert_loopback_only(requests)
