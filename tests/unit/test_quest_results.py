"""The quest's per-concept results: weak concepts come first, with the misconception behind them,
for one learner and for a whole class."""

from __future__ import annotations

import pandas as pd

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
    table = quest_mastery(_frame(rows), params={})
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
