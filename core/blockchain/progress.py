"""Quest progress from telemetry alone: a task is done once the learner answered it right.
Nothing else is stored, so progress survives restarts and shows up in the analytics for free."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.blockchain.quests import LEVELS, TASKS

ACTIVITY = "blockchain_quest"
BADGE_FIRST_TRY_LEVEL = "flawless"  # a whole level right on the first attempt of every task


@dataclass(frozen=True)
class LevelProgress:
    level: str
    done: int
    total: int
    xp: int

    @property
    def complete(self) -> bool:
        return self.done == self.total


@dataclass(frozen=True)
class QuestProgress:
    completed: frozenset[str]
    levels: tuple[LevelProgress, ...]
    badges: tuple[str, ...]  # i18n keys under quest.badge.

    @property
    def xp(self) -> int:
        return sum(level.xp for level in self.levels)

    def unlocked(self, level_id: str) -> bool:
        """A level opens when the one before it is complete (level 1 is always open)."""
        ids = [level.id for level in LEVELS]
        index = ids.index(level_id)
        return index == 0 or self.levels[index - 1].complete


def _part(payload: object) -> str | None:
    return str(payload.get("part")) if isinstance(payload, dict) and "part" in payload else None


def _completed(right: pd.DataFrame) -> frozenset[str]:
    done = set()
    for item, rows in right.groupby("item_id"):
        task = TASKS.get(str(item))
        if task is None:
            continue
        parts = {_part(p) for p in rows["payload"]} if "payload" in rows else set()
        if not task.parts or set(task.parts) <= parts:
            done.add(task.id)
    return frozenset(done)


def quest_progress(events: pd.DataFrame) -> QuestProgress:
    mine = events[events["activity"] == ACTIVITY] if not events.empty else events
    right = mine[mine["correct"].fillna(False).astype(bool)] if not mine.empty else mine
    completed = _completed(right) if len(right) else frozenset()
    first_try = (
        frozenset(str(i) for i in right.loc[right["attempt"] == 1, "item_id"])
        if len(right)
        else frozenset()
    )
    levels = []
    badges = []
    for level in LEVELS:
        ids = [t.id for t in level.tasks]
        done = [t for t in level.tasks if t.id in completed]
        levels.append(LevelProgress(level.id, len(done), len(ids), sum(t.xp for t in done)))
        if len(done) == len(ids):
            badges.append(f"level_{level.id}")
            if all(i in first_try for i in ids):
                badges.append(f"{BADGE_FIRST_TRY_LEVEL}_{level.id}")
    return QuestProgress(completed, tuple(levels), tuple(badges))
