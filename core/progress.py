"""Progress at a glance, computed from events only (the analytics rule: read only events)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from core.labs import area_of
from core.rewards import XP_FIRST_TRY, XP_PER_LEVEL, XP_RETRY, Rewards, rewards, streak

__all__ = [
    "XP_FIRST_TRY",
    "XP_PER_LEVEL",
    "XP_RETRY",
    "Gamification",
    "ProgressOverview",
    "class_overview",
    "gamification",
    "progress_overview",
    "streak",
]


@dataclass(frozen=True)
class ProgressOverview:
    answered: int
    graded: int
    accuracy: float | None
    skills_practised: int
    hints_used: int
    last_active: pd.Timestamp | None
    per_skill: pd.DataFrame  # skill, area, answered, accuracy, median_decision_s, hints


SKILL_COLUMNS = ["skill", "area", "answered", "accuracy", "median_decision_s", "hints"]


def _accuracy(correct: pd.Series) -> float | None:
    graded = correct.dropna()
    return float(graded.astype(bool).mean()) if len(graded) else None


def _hints(events: pd.DataFrame) -> int:
    """hints_used is cumulative per item (hints seen so far when answering), so count each
    item's largest value once instead of summing every attempt."""
    per_item = events.groupby(["user_id", "activity", "item_id"])["hints_used"].max()
    return int(per_item.sum())


def progress_overview(events: pd.DataFrame) -> ProgressOverview:
    if events.empty:
        return ProgressOverview(0, 0, None, 0, 0, None, pd.DataFrame(columns=SKILL_COLUMNS))
    rows = []
    for skill, group in events.groupby("skill", sort=True):
        rows.append(
            {
                "skill": skill,
                "area": area_of(str(skill)),
                "answered": len(group),
                "accuracy": _accuracy(group["correct"]),
                "median_decision_s": float(group["decision_ms"].median()) / 1000,
                "hints": _hints(group),
            }
        )
    return ProgressOverview(
        answered=len(events),
        graded=int(events["correct"].notna().sum()),
        accuracy=_accuracy(events["correct"]),
        skills_practised=events["skill"].nunique(),
        hints_used=_hints(events),
        last_active=events["answered_at"].max(),
        per_skill=pd.DataFrame(rows, columns=SKILL_COLUMNS),
    )


def class_overview(events: pd.DataFrame, students: dict[int, str]) -> pd.DataFrame:
    """One row per student of the roster, including those who have not started yet."""
    rows = []
    for user_id, name in students.items():
        mine = events[events["user_id"] == user_id] if not events.empty else events
        overview = progress_overview(mine)
        median_ms = float(mine["decision_ms"].median()) if len(mine) else None
        rows.append(
            {
                "user_id": user_id,
                "student": name,
                "answered": overview.answered,
                "accuracy": overview.accuracy,
                "median_decision_s": None if median_ms is None else median_ms / 1000,
                "hints": overview.hints_used,
                "skills": overview.skills_practised,
                "last_active": overview.last_active,
            }
        )
    return pd.DataFrame(rows)


# XP, level, badges and streak live in one ledger (core/rewards.py) that every view reads.
Gamification = Rewards


def gamification(events: pd.DataFrame, mastery_table: pd.DataFrame, today: date) -> Rewards:
    """The learner's ledger: XP, level, badges and the daily streak (core.rewards)."""
    return rewards(events, today, mastery_table)
