"""The quest's per-concept results: weak concepts come first, with the misconception behind them,
for one learner and for a whole class."""

from __future__ import annotations

import pandas as pd

from core.analytics.mastery import fit_model, mastery
from core.analytics.summary import error_label
from core.blockchain.progress import ACTIVITY
from core.blockchain.results import (
    CONCEPTS,
    LEVEL_OF,
    class_concepts,
    concept_results,
    quest_mastery,
)


def _frame(rows: list[tuple[int, str, bool, str | None]]) -> pd.DataFrame:
    start = pd.Timestamp("2026-11-01", tz="UTC")
    return pd.DataFrame(
        [
            {
                "user_id": user, "activity": ACTIVITY, "skill": skill, "item_id": skill,
                "correct": ok, "error_type": error, "decision_ms": 4000, "attempt": 1,
                "hints_used": 0, "answered_at": start + pd.Timedelta(minutes=i),
            }
            for i, (user, skill, ok, error) in enumerate(rows)
        ]
        + [{"user_id": 1, "activity": "quiz", "skill": "ml.supervised", "item_id": "q",
            "correct": False, "error_type": None, "decision_ms": 1, "attempt": 1, "hints_used": 0,
            "answered_at": start}]
    )  # fmt: skip


def test_weak_concepts_first_with_their_misconception() -> None:
    rows = [(1, "chain.hashing", True, None)] * 4
    rows += [(1, "chain.gas", False, "nonce_reused")] * 3 + [(1, "chain.gas", False, "fee_too_low")]
    table = quest_mastery(_frame(rows))
    assert set(table["skill"]) == {"chain.hashing", "chain.gas"}  # the quiz row is not the quest
    found = concept_results(table, 1)
    assert [c.skill for c in found] == ["chain.gas", "chain.hashing"]
    assert (
        found[0].weak and found[0].top_error == "nonce_reused" and found[0].level == "transactions"
    )
    assert not found[1].weak and found[1].error_rate == 0.0


def test_class_view_has_a_row_per_student() -> None:
    rows = [(1, "chain.consensus", False, "forks_persist")] * 3 + [(2, "chain.pow", True, None)] * 3
    table = quest_mastery(_frame(rows))
    view = class_concepts(table, {1: "Aruzhan", 2: "Dias", 3: "Nurlan"})
    assert list(view["student"]) == ["Aruzhan", "Dias", "Nurlan"]
    first = view.iloc[0]
    assert first["weak"] == ["chain.consensus"] and first["top_error"] == "forks_persist"
    assert view.iloc[2]["weak"] == [] and pd.isna(view.iloc[2]["chain.pow"])


def test_every_concept_maps_to_a_level() -> None:
    assert set(LEVEL_OF) == set(CONCEPTS) and LEVEL_OF["chain.contracts"] == "contracts"
    assert quest_mastery(pd.DataFrame()).empty


def test_a_student_without_a_weak_concept_has_no_mistake_not_nan() -> None:
    """Regression (class overview crash): with pandas' string columns a student without a weak
    concept got NaN as their mistake, a float the teacher's view passed to error_label."""
    rows = [(1, "chain.gas", False, "fee_too_low")] * 3 + [(2, "chain.hashing", True, None)] * 4
    view = class_concepts(quest_mastery(_frame(rows)), {1: "Aruzhan", 2: "Dias", 3: "Nurlan"})
    assert list(view["top_error"]) == ["fee_too_low", None, None]
    only_strong = class_concepts(quest_mastery(_frame(rows[3:])), {2: "Dias"})
    assert list(only_strong["top_error"]) == [None]
    # What the dashboard's quest tab does with the column must work for every row.
    assert [error_label(e, "en") if e else "" for e in view["top_error"]][1:] == ["", ""]


def test_a_mistake_read_back_as_nan_is_no_mistake() -> None:
    table = quest_mastery(_frame([(1, "chain.pow", True, None)] * 2))
    table["top_error_type"] = float("nan")
    assert concept_results(table, 1)[0].top_error is None


def test_the_dashboard_reuses_its_own_trace_when_the_quest_alone_records_the_concepts() -> None:
    rows = [(1, "chain.gas", False, "nonce_reused"), (1, "chain.gas", True, None)]
    rows += [(2, "chain.pow", False, "linear_not_exponential"), (2, "chain.pow", True, None)]
    events = _frame(rows)
    model = fit_model(events)
    traced = mastery(events, model)
    reused = quest_mastery(events, model, traced=traced)
    # The dashboard's own rows (scored with the learner's whole history, as everywhere else).
    pd.testing.assert_frame_equal(
        reused, traced[traced["skill"].isin(CONCEPTS)].reset_index(drop=True)
    )
    # Another activity recording a concept: the quest's own events are traced again.
    other = events.copy()
    other.loc[0, "activity"] = "chain_quiz"
    again = quest_mastery(other, model, traced=mastery(other, model))
    pd.testing.assert_frame_equal(again, quest_mastery(other, model))
