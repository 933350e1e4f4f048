"""One XP and badge ledger for the whole platform, computed from telemetry events only.

Every view that shows XP, a level or badges (My progress, the blockchain quest's map and its
results) reads `rewards()`, so a student sees the same numbers everywhere. The rules:

- **XP per answer** (every activity without an XP table): a right answer earns
  ``XP_FIRST_TRY`` on the first attempt, ``XP_RETRY`` on a later one.
- **XP per task** (activities with an XP table, ``TASK_XP``: the blockchain quest): a task pays
  its own XP once, when it is complete (every part answered right), whatever the attempts;
  its answers earn nothing per answer.
- **Practice** (an event whose payload has ``"practice": true``: a solved item answered again)
  earns no XP and counts neither for completing a task, nor for first tries, nor for
  ``ten_right``; it still counts for mastery (and so for ``skill_mastered``) and for the streak.
- **Level** = 1 + XP // ``XP_PER_LEVEL``.
- **Badges**, in this order: ``first_answer``, ``ten_right`` (ten right answers), ``streak_3``
  (three days in a row), ``skill_mastered`` (a skill at mastery >= ``MASTERED`` with enough
  evidence, the default learner model), then per quest level ``level_<id>`` (every task
  complete) and ``flawless_<id>`` (every task complete and every part of every task right on its
  first answer). Their labels are ``badge_key(badge)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pandas as pd

from core.analytics.mastery import DEFAULT_MODEL, mastery
from core.blockchain.quests import LEVELS, TASKS, Task

XP_FIRST_TRY, XP_RETRY = 10, 5
XP_PER_LEVEL = 100
TEN_RIGHT = 10
STREAK_BADGE_DAYS = 3
MASTERED = 0.9

QUEST_ACTIVITY = "blockchain_quest"
# Activities whose items pay their own XP once complete, instead of XP per answer.
TASK_XP: Mapping[str, Mapping[str, Task]] = {QUEST_ACTIVITY: TASKS}

PLATFORM_BADGES: tuple[str, ...] = ("first_answer", "ten_right", "streak_3", "skill_mastered")
LEVEL_BADGE, FLAWLESS_BADGE = "level", "flawless"
BADGES: tuple[str, ...] = PLATFORM_BADGES + tuple(
    f"{kind}_{level.id}" for level in LEVELS for kind in (LEVEL_BADGE, FLAWLESS_BADGE)
)
# One table names every badge; the quest map renders quest.badge.<id> for each badge it is given.
BADGE_KEY_PREFIX = "quest.badge."


def badge_key(badge: str) -> str:
    """The i18n key of a badge's label."""
    return f"{BADGE_KEY_PREFIX}{badge}"


@dataclass(frozen=True)
class Rewards:
    xp: int
    level: int
    badges: tuple[str, ...]  # ids from BADGES, labels via badge_key()
    streak_days: int
    xp_by_activity: Mapping[str, int] = field(default_factory=dict)
    completed: frozenset[str] = frozenset()  # quest tasks answered right in every part
    flawless: frozenset[str] = frozenset()  # ... and right on the first answer of every part


def level_of(xp: int) -> int:
    return 1 + xp // XP_PER_LEVEL


def streak(days: pd.Series, today: date) -> int:
    """Consecutive active days ending today (or yesterday: today is not over yet)."""
    active = set(days)
    day = today if today in active else today - timedelta(days=1)
    count = 0
    while day in active:
        count += 1
        day -= timedelta(days=1)
    return count


def is_practice(payload: object) -> bool:
    return isinstance(payload, dict) and payload.get("practice") is True


def _part(payload: object) -> str:
    return str(payload.get("part", "")) if isinstance(payload, dict) else ""


def _chronological(events: pd.DataFrame) -> pd.DataFrame:
    """Events in the order they were stored (ids), else answered, else as given."""
    key = next((c for c in ("id", "answered_at") if c in events), None)
    ordered = events if key is None else events.sort_values(key, kind="stable")
    return ordered.reset_index(drop=True)


def _graded_for_credit(events: pd.DataFrame) -> pd.DataFrame:
    """Graded answers that may earn credit: practice answers are left out."""
    graded = events[events["correct"].notna()] if "correct" in events else events.iloc[:0]
    if "payload" in graded and len(graded):
        graded = graded[~graded["payload"].map(is_practice).astype(bool)]
    return graded


def _right(events: pd.DataFrame) -> pd.Series:
    return events["correct"].fillna(False).astype(bool)


def _first_try(events: pd.DataFrame) -> pd.Series:
    attempts = events["attempt"] if "attempt" in events else pd.Series(1, index=events.index)
    return _right(events) & (attempts == 1)


def _task_status(graded: pd.DataFrame, tasks: Mapping[str, Task]) -> tuple[set[str], set[str]]:
    """Complete tasks (every part right) and flawless ones (every part right at its first answer).
    Attempt numbers cannot tell the latter: the parts of a task may share one attempt count, or
    each count from 1 again; the order of the answers can."""
    complete: set[str] = set()
    flawless: set[str] = set()
    payloads = graded["payload"] if "payload" in graded else pd.Series(None, index=graded.index)
    parts = payloads.map(_part)
    for item, rows in graded.groupby("item_id", sort=False):
        task = tasks.get(str(item))
        if task is None:
            continue
        wanted = task.parts or ("",)
        of_part = parts.loc[rows.index] if task.parts else pd.Series("", index=rows.index)
        right = _right(rows)
        if not set(wanted) <= set(of_part[right]):
            continue
        complete.add(task.id)
        if all(bool(right[of_part == p].iloc[0]) for p in wanted):
            flawless.add(task.id)
    return complete, flawless


def rewards(
    events: pd.DataFrame, today: date | None = None, mastery_table: pd.DataFrame | None = None
) -> Rewards:
    """The ledger of one learner's events; ``today`` defaults to today in UTC. Without a
    ``mastery_table``, ``skill_mastered`` reads core.analytics.mastery of the same events with the
    population's default learner model (as the quest's results do): the same for every view, and
    cheap enough for every page run. Only a skill shown as "strong" counts: a high number on too
    few answers ("not enough evidence yet") earns no badge."""
    if events.empty:
        return Rewards(0, level_of(0), (), 0)
    today = today or datetime.now(UTC).date()
    ordered = _chronological(events)
    graded = _graded_for_credit(ordered)
    xp_by_activity: dict[str, int] = {}
    completed: set[str] = set()
    flawless: set[str] = set()
    for activity, rows in graded.groupby("activity", sort=True):
        tasks = TASK_XP.get(str(activity))
        if tasks is None:
            first = _first_try(rows)
            xp = int(first.sum()) * XP_FIRST_TRY + int((_right(rows) & ~first).sum()) * XP_RETRY
        else:
            done, perfect = _task_status(rows, tasks)
            completed |= done
            flawless |= perfect
            xp = sum(tasks[t].xp for t in done)
        if xp:
            xp_by_activity[str(activity)] = xp
    total = sum(xp_by_activity.values())
    answered = ordered["answered_at"] if "answered_at" in ordered else pd.Series([], dtype=object)
    days = streak(pd.to_datetime(answered, utc=True).dt.date, today)
    if mastery_table is None:
        mastery_table = mastery(ordered, DEFAULT_MODEL)
    badges = ["first_answer"]
    if int(_right(graded).sum()) >= TEN_RIGHT:
        badges.append("ten_right")
    if days >= STREAK_BADGE_DAYS:
        badges.append("streak_3")
    sure = mastery_table["state"] != "uncertain" if "state" in mastery_table else True
    if not mastery_table.empty and bool(((mastery_table["p_mastery"] >= MASTERED) & sure).any()):
        badges.append("skill_mastered")
    for level in LEVELS:
        ids = {t.id for t in level.tasks}
        if ids <= completed:
            badges.append(f"{LEVEL_BADGE}_{level.id}")
            if ids <= flawless:
                badges.append(f"{FLAWLESS_BADGE}_{level.id}")
    return Rewards(
        xp=total,
        level=level_of(total),
        badges=tuple(badges),
        streak_days=days,
        xp_by_activity=xp_by_activity,
        completed=frozenset(completed),
        flawless=frozenset(flawless),
    )
