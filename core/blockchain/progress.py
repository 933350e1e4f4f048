"""Quest progress from telemetry alone: a task is done once the learner answered it right (every
part of a multi-part task). Nothing else is stored, so progress survives restarts and shows up in
the analytics for free. XP and badges are the platform's one ledger (core/rewards.py): the quest
map shows the same XP and badges as My progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from core.blockchain.quests import LEVELS
from core.rewards import FLAWLESS_BADGE, QUEST_ACTIVITY, Rewards, rewards

ACTIVITY = QUEST_ACTIVITY
BADGE_FIRST_TRY_LEVEL = FLAWLESS_BADGE  # every part of every task of a level right at once


@dataclass(frozen=True)
class LevelProgress:
    level: str
    done: int
    total: int
    xp: int  # the XP this level's completed tasks paid into the ledger

    @property
    def complete(self) -> bool:
        return self.done == self.total


@dataclass(frozen=True)
class QuestProgress:
    completed: frozenset[str]
    levels: tuple[LevelProgress, ...]
    ledger: Rewards

    @property
    def xp(self) -> int:
        """The learner's XP across the platform (the ledger's total, as in My progress)."""
        return self.ledger.xp

    @property
    def badges(self) -> tuple[str, ...]:
        """Every badge of the ledger (i18n keys under quest.badge.), as in My progress."""
        return self.ledger.badges

    def unlocked(self, level_id: str) -> bool:
        """A level opens when the one before it is complete (level 1 is always open)."""
        ids = [level.id for level in LEVELS]
        index = ids.index(level_id)
        return index == 0 or self.levels[index - 1].complete


def quest_progress(
    events: pd.DataFrame, today: date | None = None, mastery_table: pd.DataFrame | None = None
) -> QuestProgress:
    """Progress from the learner's own events (all activities: the ledger counts them all)."""
    ledger = rewards(events, today, mastery_table)
    levels = []
    for level in LEVELS:
        done = [t for t in level.tasks if t.id in ledger.completed]
        levels.append(LevelProgress(level.id, len(done), len(level.tasks), sum(t.xp for t in done)))
    return QuestProgress(ledger.completed, tuple(levels), ledger)
