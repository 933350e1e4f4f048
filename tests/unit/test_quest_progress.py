import pandas as pd

from core.blockchain.progress import ACTIVITY, quest_progress
from core.blockchain.quests import LEVELS


def _events(rows: list[tuple[str, bool, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"activity": ACTIVITY, "item_id": i, "correct": c, "attempt": a} for i, c, a in rows]
        + [{"activity": "onboarding", "item_id": "avalanche", "correct": True, "attempt": 1}]
    )


def test_progress_counts_right_answers_only_and_unlocks_in_order() -> None:
    progress = quest_progress(
        _events([("avalanche", False, 1), ("avalanche", True, 2), ("find_prefix", True, 1)])
    )
    assert progress.completed == {"avalanche", "find_prefix"}
    assert progress.levels[0].done == 2 and not progress.levels[0].complete
    assert progress.xp == 50
    assert progress.unlocked("hashing") and not progress.unlocked("blocks")
    assert progress.badges == ()


def test_a_level_done_gives_badges() -> None:
    tasks = [(t.id, True, 1) for t in LEVELS[0].tasks]
    progress = quest_progress(_events(tasks))
    assert progress.unlocked("blocks")
    assert progress.badges == ("level_hashing", "flawless_hashing")
    retried = quest_progress(_events([(tasks[0][0], True, 2), *tasks[1:]]))
    assert retried.badges == ("level_hashing",)


def test_no_events() -> None:
    progress = quest_progress(pd.DataFrame())
    assert progress.xp == 0 and progress.completed == frozenset()
    assert [lp.total for lp in progress.levels] == [len(level.tasks) for level in LEVELS]


def test_spot_forgery_needs_every_kind_of_note_right() -> None:
    def row(part: str) -> dict[str, object]:
        return {"activity": ACTIVITY, "item_id": "spot_forgery", "correct": True, "attempt": 1,
                "payload": {"part": part}}  # fmt: skip

    three = pd.DataFrame([row(p) for p in ("genuine", "message_changed", "other_signer")])
    assert "spot_forgery" not in quest_progress(three).completed
    four = pd.concat([three, pd.DataFrame([row("malformed")])])
    assert "spot_forgery" in quest_progress(four).completed
