"""The lesson loop every lab shares (read, predict before you run, experiment, meet a challenge):
a lesson's identity, its text, and a learner's progress through a lab's lessons, read from
telemetry. One prediction and each challenge attempt are one event each, under the lab's activity.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from core.config import LANGUAGES

LESSONS_DIR = Path(__file__).resolve().parents[1] / "content" / "lessons"
_NAME = re.compile(r"[a-z0-9_]+")  # lab and lesson ids become path parts: no "..", no slashes


@dataclass(frozen=True)
class Lesson:
    id: str
    family: str  # the prediction's skill is its quiz item's; challenges carry their own

    @property
    def prediction_item(self) -> str:
        return f"predict.{self.id}"


@dataclass(frozen=True)
class LessonProgress:
    predicted: bool
    prediction_correct: bool
    challenge_solved: bool
    challenge_attempts: int


def lesson_progress(
    events: pd.DataFrame, activity: str, lessons: Sequence[Lesson]
) -> dict[str, LessonProgress]:
    """Per lesson: was a prediction made (its first answer counts), and is its challenge met."""
    predicted: dict[str, bool] = {}
    solved: set[str] = set()
    attempts: dict[str, int] = {}
    if len(events):
        mine = events[events["activity"] == activity]
        for item_id, correct in zip(mine["item_id"], mine["correct"], strict=True):
            kind, _, lesson = str(item_id).partition(".")
            if kind == "predict" and lesson not in predicted:
                predicted[lesson] = bool(correct)
            elif kind == "challenge":
                attempts[lesson] = attempts.get(lesson, 0) + 1
                if correct:
                    solved.add(lesson)
    return {
        lesson.id: LessonProgress(
            predicted=lesson.id in predicted,
            prediction_correct=predicted.get(lesson.id, False),
            challenge_solved=lesson.id in solved,
            challenge_attempts=attempts.get(lesson.id, 0),
        )
        for lesson in lessons
    }


@lru_cache(maxsize=128)
def lesson_text(lab: str, lesson_id: str, lang: str) -> str:
    if lang not in LANGUAGES or not (_NAME.fullmatch(lab) and _NAME.fullmatch(lesson_id)):
        raise ValueError(f"no text for lesson {lab}/{lesson_id!r} in {lang!r}")
    path = LESSONS_DIR / lab / lang / f"{lesson_id}.md"
    if not path.is_file():
        raise ValueError(f"no text for lesson {lab}/{lesson_id!r} in {lang!r}: {path} is missing")
    return path.read_text(encoding="utf-8").strip()
