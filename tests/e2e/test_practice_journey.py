"""A student fails a concept, practises it until it is no longer weak, and the teacher sees the
change (issue 19, "Must show"): the student works in Kazakh, the teacher reads in Russian.

1. Dana opens the quest's first level and guesses three times that changing one letter flips
   almost none of the hash's bits (the misconception "expects a small change"), then gets it
   right: hashing is her weak concept and "Worth another look" offers to practise it.
2. Her teacher's Class overview names the mistake under the hashing topic, the Blockchain quest
   tab shows Dana, and the CSV export holds her low mastery of hashing and the mistake.
3. Dana practises the solved task: each round deals a fresh record to change, until hashing is
   no longer weak.
4. The teacher's next look (the same session: the page notices the class changed) shows the
   higher mastery in the CSV.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from core.analytics.summary import error_label
from core.blockchain.hashing import avalanche
from core.blockchain.progress import ACTIVITY
from core.db import make_engine
from core.i18n import t
from tests.e2e.conftest import running_server
from tests.e2e.helpers import (
    assert_loopback_only,
    fresh_page,
    heading,
    main,
    open_page,
    server_database,
    settle,
    shot,
    signed_in,
)
from tests.e2e.quest_levels import _card, _click, _enter, _keyed, _slide_to

pytestmark = pytest.mark.e2e
PASSWORD = "Tulpar-2026-steppe"
STUDENT, STUDENT_NAME, STUDENT_LANG = "dana", "Dana M.", "kk"
TEACHER, TEACHER_LANG = "saule", "ru"
SKILL, MISTAKE = "chain.hashing", "expects_small_change"
MAX_PRACTICE_ROUNDS = 4


@pytest.fixture(scope="module")
def practice_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from core.accounts.classrooms import create_classroom
    from core.accounts.service import create_first_teacher, register_student

    data_dir = tmp_path_factory.mktemp("zerde_practice")
    engine = server_database(data_dir)
    head = create_first_teacher(TEACHER, "Saule Apa", PASSWORD, TEACHER_LANG, engine=engine)
    code = create_classroom(head, "8A", engine=engine).join_code
    register_student(code, STUDENT, STUDENT_NAME, PASSWORD, STUDENT_LANG, engine=engine)
    engine.dispose()
    return data_dir


def _weak_button(page: Page) -> Locator:
    """The "Worth another look: practise …" button of a concept (the class name of a key drops
    the dot of chain.hashing; hashing is the only concept this journey touches)."""
    return main(page).locator('[class*="st-key-bcq_practise_chain"] button')


def _avalanche_round(page: Page, guess: int | None) -> None:
    """Change one letter of the record shown and guess the share of flipped bits (None: the
    true share, worked out from the texts on the page)."""
    card = _card(page, "avalanche")
    base = card.get_by_test_id("stCode").first.inner_text().strip()
    changed = base[:-1] + ("x" if base[-1] != "x" else "y")
    field = _keyed(card, "bcq_l1_aval_text").locator("input")
    if field.input_value() != changed:
        _enter(field, changed)
    share = round(100 * avalanche(base, changed).share)
    _slide_to(_keyed(card, "bcq_l1_aval_guess"), share if guess is None else guess)
    _click(card.locator(".st-key-bcq_avalanche_check button"))
    key = "avalanche_right" if guess is None else "avalanche_wrong"
    verdict = card.get_by_test_id("stAlertContainer").first
    expect(verdict).to_contain_text(t(f"quest.feedback.{key}", STUDENT_LANG, percent=share))


def _class_csv(page: Page) -> dict[str, str]:
    """Dana's hashing row of the class's mastery CSV (Export tab)."""
    main(page).get_by_role("tab", name=t("dashboard.tab_export", TEACHER_LANG)).click()
    settle(page)
    with page.expect_download() as download:
        main(page).locator(".st-key-export_csv button").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = [r for r in csv.DictReader(io.StringIO(text)) if r["student"] == STUDENT_NAME]
    return next(r for r in rows if r["skill"] == SKILL)


def _teacher_looks(page: Page, shots: Path, name: str) -> dict[str, str]:
    """Class overview: the hashing topic's mistakes by name, the quest tab, the CSV row."""
    open_page(page, t("nav.teacher_dashboard", TEACHER_LANG), "teacher_dashboard")
    main(page).get_by_role("tab", name=t("dashboard.tab_class", TEACHER_LANG)).click()
    settle(page)
    chart = main(page).locator(".st-key-mistakes .js-plotly-plot")
    chart.scroll_into_view_if_needed()
    ticks = " ".join(chart.locator(".ytick").all_text_contents())
    assert error_label(MISTAKE, TEACHER_LANG).replace(" ", "") in ticks.replace(" ", "")
    shot(page, shots, f"{name}_mistakes")
    main(page).get_by_role("tab", name=t("dashboard.tab_quest", TEACHER_LANG)).click()
    settle(page)
    expect(main(page).get_by_text(t("quest.results.class_caption", TEACHER_LANG))).to_be_visible()
    shot(page, shots, f"{name}_quest_tab")
    return _class_csv(page)


def test_student_practises_a_weak_concept_and_the_teacher_sees_it(
    browser: Browser, practice_data_dir: Path, artifacts_dir: Path
) -> None:
    requests: list[str] = []
    with (
        running_server(practice_data_dir) as url,
        fresh_page(browser, requests) as student,
        fresh_page(browser, requests) as teacher,
    ):
        student.set_viewport_size({"width": 1280, "height": 1200})
        teacher.set_viewport_size({"width": 1400, "height": 1100})
        student.goto(url)
        signed_in(student, STUDENT, PASSWORD)
        open_page(student, t("labs.blockchain.title", STUDENT_LANG), "blockchain_game")
        _click(main(student).locator(".st-key-bcq_open_hashing button"))
        title = t("quest.level.hashing", STUDENT_LANG)
        expect(
            heading(student, t("quest.level_title", STUDENT_LANG, n=1, title=title))
        ).to_be_visible()

        # 1. Three wrong guesses (almost no bits flip), then the right one.
        for guess in (0, 5, 10):
            _avalanche_round(student, guess)
        _avalanche_round(student, None)
        weak = _weak_button(student)
        expect(weak).to_be_visible()
        weak.scroll_into_view_if_needed()
        shot(student, artifacts_dir, "61_kk_hashing_weak")

        # 2. The teacher sees the mistake, the student and the low mastery.
        teacher.goto(url)
        signed_in(teacher, TEACHER, PASSWORD)
        before = _teacher_looks(teacher, artifacts_dir, "62_ru_before")
        assert before["top_error_type"] == MISTAKE
        assert int(float(before["n_attempts"])) == 4
        assert float(before["p_mastery"]) < 0.6

        # 3. Practice rounds with fresh values until hashing is no longer weak.
        _click(weak)  # "Worth another look" opens the level; the solved task offers practice
        rounds = 0
        while _weak_button(student).count() and rounds < MAX_PRACTICE_ROUNDS:
            practice = _card(student, "avalanche").locator(".st-key-bcq_avalanche_practice")
            _click(practice.get_by_role("button").first)  # (the second is its help tooltip)
            card = _card(student, "avalanche")
            expect(card).to_contain_text(t("quest.practice.badge", STUDENT_LANG))
            _avalanche_round(student, None)
            rounds += 1
        expect(_weak_button(student)).to_have_count(0)
        success = main(student).get_by_text(t("quest.results.all_strong", STUDENT_LANG))
        expect(success).to_be_visible()
        success.scroll_into_view_if_needed()
        shot(student, artifacts_dir, "63_kk_hashing_practised")

        # 4. The teacher's next look shows the change.
        after = _teacher_looks(teacher, artifacts_dir, "64_ru_after")
        assert int(float(after["n_attempts"])) == 4 + rounds
        assert float(after["p_mastery"]) >= 0.6 > float(before["p_mastery"])
    assert_loopback_only(requests)
    _practice_events_are_marked(practice_data_dir, rounds)


def _practice_events_are_marked(data_dir: Path, rounds: int) -> None:
    """The practice answers are stored as practice (no XP), the first four as the task's own."""
    from sqlalchemy import select

    from core.db.models import Event as EventRow
    from core.db.session import read_session

    engine = make_engine(f"sqlite:///{data_dir / 'zerde.db'}")
    with read_session(engine) as s:
        rows = s.execute(
            select(EventRow.correct, EventRow.attempt, EventRow.payload)
            .where(EventRow.activity == ACTIVITY, EventRow.item_id == "avalanche")
            .order_by(EventRow.id)
        ).all()
    engine.dispose()
    assert [(c, a) for c, a, _ in rows[:4]] == [(False, 1), (False, 2), (False, 3), (True, 4)]
    practice = [p for _, _, p in rows[4:]]
    assert len(practice) == rounds and all(p.get("practice") is True for p in practice)
