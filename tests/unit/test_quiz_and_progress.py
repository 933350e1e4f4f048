from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from core.progress import class_overview, progress_overview
from core.quiz import grade, load_quiz, solved_count
from core.telemetry import item_history, record
from tests import factories as f


def test_grading_names_the_misconception() -> None:
    item = load_quiz("onboarding")[0]
    assert grade(item, item.answer).correct
    wrong = next(i for i in range(len(item.options)) if i != item.answer)
    result = grade(item, wrong)
    assert not result.correct
    assert result.error_type == item.options[wrong].error_type
    with pytest.raises(ValueError):
        grade(item, 99)


def _frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    base = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    out = []
    for i, row in enumerate(rows):
        event = f.event(
            f.ANY_STUDENT,
            shown_at=base,
            answered_at=base + timedelta(milliseconds=int(row.pop("ms"))),  # type: ignore[call-overload]
            **row,
        )
        out.append({"id": i, **event.to_row()})
    return pd.DataFrame(out)


def test_progress_overview_counts_accuracy_and_time() -> None:
    events = _frame(
        [
            {"skill": "chain.hashing", "correct": True, "error_type": None, "ms": 2000},
            {
                "skill": "chain.hashing",
                "item_id": "h2",
                "correct": False,
                "ms": 4000,
                "hints_used": 2,
            },
            {
                "skill": "chain.hashing",
                "item_id": "h2",
                "correct": False,
                "ms": 4000,
                "hints_used": 2,
            },
            {"skill": "ml.supervised", "correct": None, "error_type": None, "ms": 1000},
        ]
    )
    overview = progress_overview(events)
    assert (overview.answered, overview.graded, overview.skills_practised) == (4, 3, 2)
    assert overview.accuracy == pytest.approx(1 / 3)
    assert overview.hints_used == 2  # two attempts at one item after the same two hints
    hashing = overview.per_skill.set_index("skill").loc["chain.hashing"]
    assert hashing["area"] == "chain"
    assert hashing["median_decision_s"] == pytest.approx(4.0)
    assert hashing["hints"] == 2
    ml = overview.per_skill.set_index("skill").loc["ml.supervised"]
    assert ml["accuracy"] is None or pd.isna(ml["accuracy"])


def test_empty_progress() -> None:
    overview = progress_overview(pd.DataFrame())
    assert overview.answered == 0
    assert overview.accuracy is None
    assert overview.per_skill.empty


def test_class_overview_lists_students_without_events() -> None:
    events = _frame([{"correct": True, "error_type": None, "ms": 1500}])
    table = class_overview(events, {7: "Bolat", 8: "Dana"})
    assert list(table["student"]) == ["Bolat", "Dana"]
    assert list(table["answered"]) == [1, 0]
    assert table.loc[0, "accuracy"] == 1.0
    assert table.loc[1, "median_decision_s"] is None or pd.isna(table.loc[1, "median_decision_s"])


def test_quiz_summary_counts_solved_items_from_the_stored_events(db_url: str) -> None:
    """The onboarding summary ("n of 4 answered correctly") comes from the stored events, so a
    reload or a new sign-in keeps it; a wrong answer or another activity does not count."""
    items = load_quiz("onboarding")
    student = f.student(f.classroom(f.teacher()), "dana")
    first, second, third = (item.id for item in items[:3])
    record(student, f.event(student, item_id=first, attempt=1))  # wrong
    record(student, f.event(student, item_id=first, attempt=2, correct=True, error_type=None))
    record(student, f.event(student, item_id=second, attempt=1))  # wrong, not yet solved
    record(student, f.event(student, activity="ml", item_id=third, correct=True, error_type=None))
    history = item_history(student, "onboarding")
    assert solved_count(items, history) == 1
    assert history[first].next_attempt == 3 and history[second].next_attempt == 2
    assert solved_count(items, {}) == 0
