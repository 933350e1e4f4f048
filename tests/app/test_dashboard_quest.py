"""Class overview → Blockchain quest with a student who has no weak concept: the tab shows the
class and the Export tab still offers the CSV (issue: both crashed on a NaN mistake)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.accounts import Actor
from core.blockchain.progress import ACTIVITY
from core.config import LANGUAGES
from core.i18n import t
from core.telemetry import Event, Recorder
from tests import factories as f
from tests.app.conftest import Seed, app_as, assert_clean

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _answers(student: Actor, answers: list[tuple[str, str, bool, str | None]]) -> None:
    Recorder().record_many(
        student,
        [
            Event(
                user_id=student.user_id, classroom_id=student.classroom_id, activity=ACTIVITY,
                item_id=item, skill=skill, shown_at=START + timedelta(minutes=i),
                answered_at=START + timedelta(minutes=i, seconds=20), correct=correct,
                error_type=error, attempt=1,
            )
            for i, (item, skill, correct, error) in enumerate(answers)
        ],
    )  # fmt: skip


@pytest.mark.parametrize("lang", LANGUAGES)
def test_quest_tab_and_export_with_a_student_without_a_weak_concept(seed: Seed, lang: str) -> None:
    weak = f.student(seed.room, "dana")
    strong = f.student(seed.room, "erlan")
    _answers(weak, [("fix_failed_tx", "chain.gas", False, "fee_too_low")] * 3)
    _answers(strong, [("avalanche", "chain.hashing", True, None)] * 4)

    at = app_as(seed.teacher, lang)
    at.switch_page("app_pages/teacher_dashboard.py").run()
    assert_clean(at)
    quest = next(tab for tab in at.tabs if tab.label == t("dashboard.tab_quest", lang))
    table = quest.dataframe[0].value
    rows = dict(zip(table["student"], table["top_error"], strict=True))
    assert rows["Dana"] == t("misconceptions.fee_too_low", lang)
    assert rows["Erlan"] == ""  # no weak concept, no mistake named
    export = next(tab for tab in at.tabs if tab.label == t("dashboard.tab_export", lang))
    assert export.get("download_button")[0].proto.label == t("dashboard.export_button", lang)
