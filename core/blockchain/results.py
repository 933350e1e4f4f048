"""Which blockchain concepts a learner has and has not got yet: the quest's results page and the
teacher dashboard's quest tab read the same rows, built on core.analytics' mastery table (BKT
per skill, with the most frequent misconception)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.analytics.bkt import BKTParams
from core.analytics.mastery import mastery
from core.blockchain.progress import ACTIVITY
from core.blockchain.quests import LEVELS

WEAK_BELOW = 0.6  # P(known) under this after the last answer: worth practising again
CONCEPTS: tuple[str, ...] = tuple(dict.fromkeys(t.skill for lv in LEVELS for t in lv.tasks))
LEVEL_OF: dict[str, str] = {
    skill: next(lv.id for lv in LEVELS if any(t.skill == skill for t in lv.tasks))
    for skill in CONCEPTS
}


@dataclass(frozen=True)
class ConceptResult:
    skill: str
    level: str  # the level that practises it, to send the learner back to
    p_mastery: float
    attempts: int
    error_rate: float
    top_error: str | None

    @property
    def weak(self) -> bool:
        return self.p_mastery < WEAK_BELOW


def quest_mastery(events: pd.DataFrame, params: dict[str, BKTParams] | None = None) -> pd.DataFrame:
    """The mastery table restricted to the quest's events. A single learner's page passes
    params={} (population defaults): a model fitted on one learner's few answers says little."""
    if events.empty:
        return mastery(events)
    quest = events[(events["activity"] == ACTIVITY) & events["skill"].isin(CONCEPTS)]
    return mastery(quest, params)


def concept_results(table: pd.DataFrame, user_id: int) -> list[ConceptResult]:
    """The concepts this learner has practised, weakest first."""
    mine = table[(table["user_id"] == user_id) & table["skill"].isin(CONCEPTS)]
    rows = [
        ConceptResult(
            skill=str(r["skill"]),
            level=LEVEL_OF[str(r["skill"])],
            p_mastery=float(r["p_mastery"]),
            attempts=int(r["n_attempts"]),
            error_rate=0.0 if pd.isna(r["error_rate"]) else float(r["error_rate"]),
            top_error=None if r["top_error_type"] is None else str(r["top_error_type"]),
        )
        for r in mine.to_dict("records")
    ]
    return sorted(rows, key=lambda c: (c.p_mastery, -c.error_rate, c.skill))


def class_concepts(table: pd.DataFrame, students: dict[int, str]) -> pd.DataFrame:
    """One row per student: mastery per concept (None when not practised yet), the weak ones
    and the misconception behind the weakest, for the teacher's quest tab."""
    rows = []
    for user_id, name in students.items():
        found = concept_results(table, user_id)
        by_skill = {c.skill: c.p_mastery for c in found}
        weak = [c for c in found if c.weak]
        rows.append(
            {
                "user_id": user_id,
                "student": name,
                **{skill: by_skill.get(skill) for skill in CONCEPTS},
                "weak": [c.skill for c in weak],
                "top_error": next((c.top_error for c in weak if c.top_error), None),
            }
        )
    return pd.DataFrame(rows, columns=["user_id", "student", *CONCEPTS, "weak", "top_error"])
