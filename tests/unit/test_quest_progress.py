from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd

from core.blockchain.progress import ACTIVITY, QuestProgress, quest_progress
from core.blockchain.quests import LEVELS, TASKS
from core.rewards import XP_FIRST_TRY
from tests import factories as f

BASE = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _row(
    item: str, correct: bool, attempt: int = 1, part: str = "", **extra: Any
) -> dict[str, Any]:
    activity = extra.pop("activity", ACTIVITY)
    skill = TASKS[item].skill if item in TASKS and activity == ACTIVITY else "platform.privacy"
    payload = {"part": part} if part else {}
    payload |= extra.pop("payload", {})
    return {"activity": activity, "item_id": item, "skill": skill, "correct": correct,
            "attempt": attempt, "payload": payload, **extra}  # fmt: skip


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows in the order given, one minute apart, as load_events returns them."""
    out = []
    for i, row in enumerate(rows):
        shown = BASE + timedelta(minutes=i)
        error = None if row["correct"] else "misread"
        event = f.event(f.ANY_STUDENT, shown_at=shown, answered_at=shown + timedelta(seconds=5),
                        error_type=error, **row)  # fmt: skip
        out.append({"id": i + 1, **event.to_row()})
    frame = pd.DataFrame(out)
    for col in ("shown_at", "answered_at"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    return frame


def _quest_badges(progress: QuestProgress) -> tuple[str, ...]:
    return tuple(b for b in progress.badges if b.startswith(("level_", "flawless_")))


def _events(rows: list[tuple[str, bool, int]]) -> pd.DataFrame:
    return _frame(
        [_row(i, c, a) for i, c, a in rows] + [_row("avalanche", True, activity="onboarding")]
    )


def test_progress_counts_right_answers_only_and_unlocks_in_order() -> None:
    progress = quest_progress(
        _events([("avalanche", False, 1), ("avalanche", True, 2), ("find_prefix", True, 1)])
    )
    assert progress.completed == {"avalanche", "find_prefix"}  # not the onboarding "avalanche"
    assert progress.levels[0].done == 2 and not progress.levels[0].complete
    assert progress.levels[0].xp == 50  # the two tasks' own XP, whatever the attempts
    assert progress.xp == 50 + XP_FIRST_TRY  # the ledger's total: the onboarding answer too
    assert progress.unlocked("hashing") and not progress.unlocked("blocks")
    assert progress.badges == ("first_answer",)


def test_a_level_done_gives_badges() -> None:
    tasks = [(t.id, True, 1) for t in LEVELS[0].tasks]
    progress = quest_progress(_events(tasks))
    assert progress.unlocked("blocks")
    assert _quest_badges(progress) == ("level_hashing", "flawless_hashing")
    assert progress.badges[0] == "first_answer"  # one ledger: the platform's badges too
    retried = quest_progress(_events([(tasks[0][0], False, 1), *tasks]))
    assert _quest_badges(retried) == ("level_hashing",)


def test_no_events() -> None:
    progress = quest_progress(pd.DataFrame())
    assert progress.xp == 0 and progress.completed == frozenset() and progress.badges == ()
    assert [lp.total for lp in progress.levels] == [len(level.tasks) for level in LEVELS]


def test_spot_forgery_needs_every_kind_of_note_right() -> None:
    kinds = ("genuine", "message_changed", "other_signer")
    three = [_row("spot_forgery", True, part=p) for p in kinds]
    assert "spot_forgery" not in quest_progress(_frame(three)).completed
    four = [*three, _row("spot_forgery", True, part="malformed")]
    assert "spot_forgery" in quest_progress(_frame(four)).completed


CONTRACTS = next(level for level in LEVELS if level.id == "contracts")


def _contracts(wrong_first: set[tuple[str, str]], attempts: str) -> list[dict[str, Any]]:
    """Level 6 answered right in every part; the parts in ``wrong_first`` had a wrong answer
    first. ``attempts`` numbers them per part (1 then 2, the old session state) or per task
    (one count for all the task's parts, as core.telemetry.item_history gives)."""
    rows = []
    for task in CONTRACTS.tasks:
        n = 0
        for part in task.parts or ("",):
            tries = [False, True] if (task.id, part) in wrong_first else [True]
            for k, correct in enumerate(tries, start=1):
                n += 1
                rows.append(_row(task.id, correct, k if attempts == "part" else n, part))
    return rows


def test_flawless_multi_part_task_needs_every_part_right_at_once() -> None:
    """Regression: "Flawless contract smith" was given with two wrong answers in level 6's
    multi-part tasks, because each part's retry was numbered from 1 again."""
    wrong = {("class_ballot", "vote"), ("exploit_bank", "fix")}
    for attempts in ("part", "task"):
        progress = quest_progress(_frame(_contracts(wrong, attempts)))
        assert progress.levels[5].complete
        assert "level_contracts" in progress.badges
        assert "flawless_contracts" not in progress.badges, attempts
        # every part right at its first answer is flawless, even when the task's attempt
        # counter reached 2 or 3 on its later parts
        perfect = quest_progress(_frame(_contracts(set(), attempts)))
        assert "flawless_contracts" in perfect.badges, attempts


def test_one_wrong_part_is_enough_to_lose_flawless() -> None:
    for task in CONTRACTS.tasks:
        for part in task.parts:
            progress = quest_progress(_frame(_contracts({(task.id, part)}, "part")))
            assert "flawless_contracts" not in progress.badges, (task.id, part)


def test_practice_answers_earn_nothing_and_do_not_spoil_flawless() -> None:
    tasks = [_row(t.id, True) for t in LEVELS[0].tasks]
    practice = {"practice": True}
    replay = [
        _row("avalanche", False, 2, payload=practice),
        _row("avalanche", True, 3, payload=practice),
    ]
    progress = quest_progress(_frame(tasks + replay))
    assert progress.xp == LEVELS[0].xp
    assert _quest_badges(progress) == ("level_hashing", "flawless_hashing")
    only_practice = quest_progress(_frame([_row("avalanche", True, payload=practice)]))
    assert only_practice.completed == frozenset() and only_practice.xp == 0
