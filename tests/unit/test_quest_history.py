"""The quest's record from the stored events: attempts per part of a multi-part task and the
moment each task became solved (what the page reads instead of the browser session)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd

from core.blockchain.history import quest_record
from core.blockchain.progress import ACTIVITY

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _row(
    item: str, correct: bool | None, attempt: int, minute: int, part: str = "", **extra: Any
) -> dict[str, Any]:
    payload = ({"part": part} if part else {}) | extra
    return {
        "activity": ACTIVITY,
        "item_id": item,
        "correct": correct,
        "attempt": attempt,
        "answered_at": T0 + timedelta(minutes=minute),
        "payload": payload,
    }


def test_each_part_has_its_own_history() -> None:
    events = pd.DataFrame(
        [
            _row("double_spend", True, 1, 0, "confirmations"),
            _row("double_spend", False, 1, 1, "majority"),
            _row("double_spend", False, 2, 2, "majority"),
            _row("double_spend", None, 1, 3, "majority"),  # not graded: not an attempt
            _row("spot_forgery", True, 1, 4, "genuine"),
        ]
    )
    record = quest_record(events)
    majority = record.parts[("double_spend", "majority")]
    assert (majority.attempts, majority.next_attempt, majority.solved) == (2, 3, False)
    confirmations = record.parts[("double_spend", "confirmations")]
    assert confirmations.solved_first_try
    assert record.parts_done == {("double_spend", "confirmations"), ("spot_forgery", "genuine")}
    assert "double_spend" not in record.solved_at  # one part is still open


def test_a_task_is_solved_when_its_last_part_first_was() -> None:
    events = pd.DataFrame(
        [
            _row("avalanche", False, 1, 0),
            _row("avalanche", True, 2, 5),
            _row("avalanche", True, 3, 9, practice=True),  # a later practice answer
            _row("double_spend", True, 1, 1, "confirmations"),
            _row("double_spend", True, 1, 7, "majority"),
            {**_row("avalanche", True, 1, 0), "activity": "onboarding"},  # another activity
        ]
    )
    record = quest_record(events)
    assert record.solved_at["avalanche"] == T0 + timedelta(minutes=5)
    assert record.solved_at["double_spend"] == T0 + timedelta(minutes=7)
    assert record.parts[("avalanche", "")].attempts == 3  # practice answers count as attempts


def test_no_events_no_record() -> None:
    assert quest_record(pd.DataFrame()).parts == {}
    onboarding = pd.DataFrame([{**_row("q1", True, 1, 0), "activity": "onboarding"}])
    assert quest_record(onboarding).solved_at == {}
