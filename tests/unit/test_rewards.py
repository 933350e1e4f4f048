"""The one XP and badge ledger (core/rewards.py): the same events give the same XP, level and
badges on My progress (core.progress.gamification) and in the quest (core.blockchain.progress)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pandas as pd

from core.analytics import mastery
from core.blockchain.progress import ACTIVITY, quest_progress
from core.blockchain.quests import LEVELS, TASKS
from core.progress import gamification
from core.rewards import BADGES, XP_FIRST_TRY, XP_PER_LEVEL, XP_RETRY, badge_key, rewards
from tests import factories as f

BASE = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)
EMPTY_MASTERY = mastery(pd.DataFrame())


def _answer(
    activity: str, item: str, correct: bool | None, attempt: int = 1, **payload: Any
) -> dict[str, Any]:
    skill = TASKS[item].skill if activity == ACTIVITY else "platform.privacy"
    return {"activity": activity, "item_id": item, "skill": skill, "correct": correct,
            "attempt": attempt, "payload": payload}  # fmt: skip


def _frame(rows: list[dict[str, Any]], days_apart: int = 0) -> pd.DataFrame:
    out = []
    for i, row in enumerate(rows):
        shown = BASE + timedelta(minutes=i) - timedelta(days=days_apart * (len(rows) - 1 - i))
        error = None if row["correct"] in (True, None) else "misread"
        event = f.event(f.ANY_STUDENT, shown_at=shown, answered_at=shown + timedelta(seconds=4),
                        error_type=error, **row)  # fmt: skip
        out.append({"id": i + 1, **event.to_row()})
    frame = pd.DataFrame(out)
    for col in ("shown_at", "answered_at"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    return frame


def _student() -> pd.DataFrame:
    """Two levels of the quest (one task retried) and a few onboarding answers."""
    quest = [_answer(ACTIVITY, "avalanche", False), _answer(ACTIVITY, "avalanche", True, 2)]
    quest += [_answer(ACTIVITY, t.id, True) for t in LEVELS[0].tasks[1:] + LEVELS[1].tasks]
    onboarding = [
        _answer("onboarding", "what_is_recorded", False),
        _answer("onboarding", "what_is_recorded", True, 2),
        _answer("onboarding", "who_sees", True),
        _answer("onboarding", "why_time", None),  # ungraded: no XP
    ]
    return _frame(quest + onboarding)


def test_my_progress_and_the_quest_show_the_same_xp_level_and_badges() -> None:
    """Regression: the quest showed its task XP and level badges, My progress 10/5 XP per
    answer and its own three badges, for the same student."""
    events = _student()
    table = mastery(events)
    mine = gamification(events, table, TODAY)  # what My progress shows
    quest = quest_progress(events, TODAY)  # what the quest's map and results show
    assert quest.xp == mine.xp == quest.ledger.xp
    assert quest.badges == mine.badges
    assert quest.ledger.level == mine.level
    quest_xp = LEVELS[0].xp + LEVELS[1].xp  # each task's own XP, once
    assert mine.xp == quest_xp + XP_RETRY + XP_FIRST_TRY
    assert mine.xp_by_activity == {ACTIVITY: quest_xp, "onboarding": XP_RETRY + XP_FIRST_TRY}
    assert mine.level == 1 + mine.xp // XP_PER_LEVEL
    assert {"first_answer", "level_hashing", "level_blocks", "flawless_blocks"} <= set(mine.badges)
    assert "flawless_hashing" not in mine.badges  # the avalanche was wrong first


def test_xp_per_answer_outside_the_quest() -> None:
    events = _frame(
        [
            _answer("onboarding", "a", True),  # first try
            _answer("onboarding", "b", False),
            _answer("onboarding", "b", True, 2),  # right on a retry
            _answer("onboarding", "c", None),  # not graded
        ]
    )
    ledger = rewards(events, TODAY, EMPTY_MASTERY)
    assert ledger.xp == XP_FIRST_TRY + XP_RETRY
    assert ledger.badges == ("first_answer",)


def test_quest_answers_pay_the_task_xp_once_not_per_answer() -> None:
    parts = TASKS["spot_forgery"].parts
    forgery = [_answer(ACTIVITY, "spot_forgery", True, 1, part=p) for p in parts]
    ledger = rewards(_frame(forgery), TODAY, EMPTY_MASTERY)
    assert ledger.xp == TASKS["spot_forgery"].xp  # four right answers, one task
    assert ledger.completed == {"spot_forgery"}
    unfinished = rewards(_frame(forgery[:3]), TODAY, EMPTY_MASTERY)
    assert unfinished.xp == 0 and unfinished.completed == frozenset()


def test_practice_answers_earn_no_xp_but_count_for_mastery() -> None:
    solved = [_answer("onboarding", "a", True), _answer(ACTIVITY, "avalanche", True)]
    practice = [_answer("onboarding", "a", True, n, practice=True) for n in range(2, 12)]
    practice += [_answer(ACTIVITY, "avalanche", True, 2, practice=True)]
    events = _frame(solved + practice)
    ledger = rewards(events, TODAY, EMPTY_MASTERY)
    assert ledger.xp == XP_FIRST_TRY + TASKS["avalanche"].xp
    assert "ten_right" not in ledger.badges  # eleven right answers, but ten are practice
    table = mastery(events)
    assert table.loc[table["skill"] == "platform.privacy", "n_attempts"].item() == 11
    assert "skill_mastered" in rewards(events, TODAY).badges  # mastery sees the practice


def test_badges_for_ten_right_answers_a_streak_and_a_mastered_skill() -> None:
    events = _frame([_answer("onboarding", f"q{i}", True) for i in range(10)], days_apart=1)
    ledger = rewards(events, TODAY, EMPTY_MASTERY)
    assert ledger.streak_days == 10
    assert ledger.badges == ("first_answer", "ten_right", "streak_3")
    assert ledger.xp == 10 * XP_FIRST_TRY and ledger.level == 2
    sure = mastery(events).assign(p_mastery=0.99)
    assert rewards(events, TODAY, sure).badges[-1] == "skill_mastered"


def test_no_events_no_rewards() -> None:
    for empty in (pd.DataFrame(), _frame([_answer("onboarding", "a", True)]).iloc[:0]):
        ledger = rewards(empty, TODAY)
        assert (ledger.xp, ledger.level, ledger.badges, ledger.streak_days) == (0, 1, (), 0)


def test_every_badge_has_one_label_key() -> None:
    assert len(set(BADGES)) == len(BADGES)
    assert {badge_key(b) for b in BADGES} == {f"quest.badge.{b}" for b in BADGES}
