"""The ML lab's lessons: their order and family. Their texts and each learner's progress through
them (a prediction made, a challenge met) come from the loop every lab shares: core/lessons.py."""

from __future__ import annotations

from typing import Literal

import pandas as pd

from core import lessons as loop
from core.lessons import Lesson, LessonProgress

__all__ = [
    "ACTIVITY",
    "BY_ID",
    "FAMILIES",
    "LESSONS",
    "Family",
    "Lesson",
    "LessonProgress",
    "lesson_text",
    "lessons_of",
    "progress",
]

ACTIVITY = "ml"
Family = Literal["supervised", "unsupervised", "semi_supervised", "applications"]
FAMILIES: tuple[Family, ...] = ("supervised", "unsupervised", "semi_supervised", "applications")

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


def lesson_text(lesson_id: str, lang: str) -> str:
    if lesson_id not in BY_ID:
        raise ValueError(f"no text for lesson {lesson_id!r} in {lang!r}")
    return loop.lesson_text(ACTIVITY, lesson_id, lang)


def progress(events: pd.DataFrame) -> dict[str, LessonProgress]:
    return loop.lesson_progress(events, ACTIVITY, LESSONS)
