"""Which blockchain concepts a learner has and has not got yet: the quest's results page and the
teacher dashboard's quest tab read the same rows, built on core.analytics' mastery table (the
learner model per skill, with the most frequent misconception and the evidence behind it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from core.analytics.learner import LearnerModel
from core.analytics.mastery import DEFAULT_MODEL, mastery
from core.blockchain.progress import ACTIVITY
from core.blockchain.quests import LEVELS

WEAK_BELOW = 0.6  # chance of a right next answer under this: worth practising again
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
    uncertain: bool = False  # not enough evidence yet: the number is shown as such

    @property
    def weak(self) -> bool:
        return self.p_mastery < WEAK_BELOW


def quest_mastery(
    events: pd.DataFrame,
    model: LearnerModel | None = None,
    traced: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The mastery table restricted to the quest's events. A single learner's page passes no
    model (the population default, DEFAULT_MODEL): a fit on one learner's answers says little.
    `traced` is a mastery table already traced over the same events with the same params (the
    dashboard's): when the quest is the only activity that records its concepts, its rows are
    the quest's table and nothing is traced again."""
    if events.empty:
        return mastery(events)
    concept = events["skill"].isin(CONCEPTS)
    quest = events[(events["activity"] == ACTIVITY) & concept]
    if traced is not None and len(quest) == int(concept.sum()):
        return traced[traced["skill"].isin(CONCEPTS)].reset_index(drop=True)
    return mastery(quest, model if model is not None else DEFAULT_MODEL)


def _results(rows: list[dict[str, Any]]) -> list[ConceptResult]:
    found = [
        ConceptResult(
            skill=str(r["skill"]),
            level=LEVEL_OF[str(r["skill"])],
            p_mastery=float(r["p_mastery"]),
            attempts=int(r["n_attempts"]),
            error_rate=0.0 if pd.isna(r["error_rate"]) else float(r["error_rate"]),
            top_error=None if pd.isna(r["top_error_type"]) else str(r["top_error_type"]),
            uncertain=str(r.get("state", "")) == "uncertain",
        )
        for r in rows
    ]
    return sorted(found, key=lambda c: (c.p_mastery, -c.error_rate, c.skill))


def concept_results(table: pd.DataFrame, user_id: int) -> list[ConceptResult]:
    """The concepts this learner has practised, weakest first."""
    mine = table[(table["user_id"] == user_id) & table["skill"].isin(CONCEPTS)]
    return _results([{str(k): v for k, v in r.items()} for r in mine.to_dict("records")])


def class_concepts(table: pd.DataFrame, students: dict[int, str]) -> pd.DataFrame:
    """One row per student: mastery per concept (None when not practised yet), the weak ones
    and the misconception behind the weakest, for the teacher's quest tab."""
    by_user: dict[int, list[dict[str, Any]]] = {}
    for r in table[table["skill"].isin(CONCEPTS)].to_dict("records"):
        by_user.setdefault(int(r["user_id"]), []).append({str(k): v for k, v in r.items()})
    rows = []
    for user_id, name in students.items():
        found = _results(by_user.get(user_id, []))
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
    table = pd.DataFrame(rows, columns=["user_id", "student", *CONCEPTS, "weak", "top_error"])
    # pandas infers a string column for text with gaps and turns None into NaN, a float that
    # reads as true: the view would name a mistake for a student without one.
    top = table["top_error"].astype(object)
    table["top_error"] = top.where(top.notna(), None)
    return table
