"""The ML lab's lessons: their order, family, skill and texts, and each learner's progress through
them, read from telemetry (a prediction made, a challenge met)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pandas as pd

from core.config import LANGUAGES

ACTIVITY = "ml"
TEXT_DIR = Path(__file__).resolve().parents[2] / "content" / "lessons" / "ml"
Family = Literal["supervised", "unsupervised", "semi_supervised", "applications"]
FAMILIES: tuple[Family, ...] = ("supervised", "unsupervised", "semi_supervised", "applications")


@dataclass(frozen=True)
class Lesson:
    id: str
    family: Family  # the prediction's skill is its quiz item's; challenges carry their own

    @property
    def prediction_item(self) -> str:
        return f"predict.{self.id}"


LESSONS: tuple[Lesson, ...] = (
    Lesson("regression", "supervised"),
    Lesson("classification", "supervised"),
    Lesson("overfitting", "supervised"),
    Lesson("evaluation", "supervised"),
    Lesson("neural_net", "supervised"),
    Lesson("kmeans", "unsupervised"),
    Lesson("dbscan", "unsupervised"),
    Lesson("hierarchical", "unsupervised"),
    Lesson("pca", "unsupervised"),
    Lesson("semi_supervised", "semi_supervised"),
    Lesson("applications", "applications"),
)
BY_ID: dict[str, Lesson] = {lesson.id: lesson for lesson in LESSONS}


def lessons_of(family: Family) -> tuple[Lesson, ...]:
    return tuple(lesson for lesson in LESSONS if lesson.family == family)


@lru_cache(maxsize=64)
def lesson_text(lesson_id: str, lang: str) -> str:
    if lesson_id not in BY_ID or lang not in LANGUAGES:
        raise ValueError(f"no text for lesson {lesson_id!r} in {lang!r}")
    return (TEXT_DIR / lang / f"{lesson_id}.md").read_text(encoding="utf-8").strip()


@dataclass(frozen=True)
class LessonProgress:
    predicted: bool
    prediction_correct: bool
    challenge_solved: bool
    challenge_attempts: int


def progress(events: pd.DataFrame) -> dict[str, LessonProgress]:
    """Per lesson: was a prediction made (its first answer counts), and is its challenge met."""
    predicted: dict[str, bool] = {}
    solved: set[str] = set()
    attempts: dict[str, int] = {}
    if len(events):
        mine = events[events["activity"] == ACTIVITY]
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
        for lesson in LESSONS
    }
