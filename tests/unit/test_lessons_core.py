"""The lesson loop every lab shares: progress from telemetry, lesson texts, challenge verdicts."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import pytest

from core.challenges import Challenge, error_codes, judge_challenge
from core.lessons import Lesson, lesson_progress, lesson_text

LESSONS = (Lesson("walk", "basics"), Lesson("run", "basics"), Lesson("jump", "advanced"))


def _events(rows: list[tuple[str, str, bool]]) -> pd.DataFrame:
    activity, item_id, correct = zip(*rows, strict=True) if rows else ((), (), ())
    return pd.DataFrame({"activity": activity, "item_id": item_id, "correct": correct})


def _at_least(m: Mapping[str, float], g: Mapping[str, float]) -> str | None:
    if m["score"] >= g["score"]:
        return None
    return "overfit" if m["train"] >= g["score"] else "too_low"


CHALLENGE = Challenge(
    "walk", "lab.walking", {"score": 0.9}, {"world": "flat", "steps": 10}, _at_least,
    ("too_low", "overfit"),
)  # fmt: skip


def test_the_first_prediction_counts_and_attempts_are_counted() -> None:
    events = _events(
        [
            ("lab", "predict.walk", False),
            ("lab", "predict.walk", True),
            ("lab", "challenge.walk", False),
            ("lab", "challenge.walk", True),
            ("lab", "challenge.walk", False),
            ("lab", "predict.run", True),
        ]
    )
    status = lesson_progress(events, "lab", LESSONS)
    assert set(status) == {"walk", "run", "jump"}
    walk = status["walk"]
    assert walk.predicted and not walk.prediction_correct
    assert walk.challenge_solved and walk.challenge_attempts == 3  # a later miss does not unsolve
    assert status["run"].predicted and status["run"].prediction_correct
    assert not status["run"].challenge_solved and status["run"].challenge_attempts == 0
    assert not status["jump"].predicted


def test_other_activities_and_empty_events_do_not_count() -> None:
    events = _events([("ml", "predict.jump", True), ("ml", "challenge.jump", True)])
    jump = lesson_progress(events, "rl", LESSONS)["jump"]
    assert not jump.predicted and not jump.challenge_solved and jump.challenge_attempts == 0
    assert not lesson_progress(pd.DataFrame(), "rl", LESSONS)["walk"].predicted


def test_lesson_text_reads_the_lab_folder_and_refuses_the_rest() -> None:
    assert len(lesson_text("ml", "regression", "kk")) > 200
    with pytest.raises(ValueError, match="de"):
        lesson_text("ml", "regression", "de")
    with pytest.raises(ValueError, match="missing"):
        lesson_text("ml", "no_such_lesson", "en")
    with pytest.raises(ValueError):
        lesson_text("no_such_lab", "regression", "en")
    with pytest.raises(ValueError):
        lesson_text("ml", "../ml/en/regression", "en")


def test_a_mismatched_setup_is_not_judged() -> None:
    verdict = judge_challenge(CHALLENGE, {"world": "hills", "steps": 10}, {})
    assert not verdict.ready and not verdict.correct and verdict.error_type is None
    assert verdict.mismatched == ("world",)
    missing = judge_challenge(CHALLENGE, {}, {"score": 1.0, "train": 1.0})
    assert missing.mismatched == ("world", "steps")


@pytest.mark.parametrize(
    ("score", "train", "error"), [(0.95, 0.95, None), (0.5, 0.99, "overfit"), (0.5, 0.5, "too_low")]
)
def test_the_rule_decides_the_verdict(score: float, train: float, error: str | None) -> None:
    setup = {"world": "flat", "steps": 10, "extra": "ignored"}
    verdict = judge_challenge(CHALLENGE, setup, {"score": score, "train": train})
    assert verdict.ready and verdict.correct == (error is None) and verdict.error_type == error
    assert verdict.mismatched == ()
    assert CHALLENGE.item_id == "challenge.walk"


def test_error_codes_are_sorted_and_unique() -> None:
    other = Challenge("run", "lab.running", {}, {}, lambda m, g: None, ("overfit", "fell"))
    assert error_codes([CHALLENGE, other]) == ("fell", "overfit", "too_low")
    assert error_codes([]) == ()
