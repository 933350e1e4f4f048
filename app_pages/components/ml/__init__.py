"""The ML lab's experiments, one module per lesson, each ``render(actor) -> Submission | None``,
and the book the shared lesson frame (app_pages/components/lesson_frame.py) runs them from."""

from __future__ import annotations

from collections.abc import Callable

from app_pages.components.lesson_frame import LessonBook, Submission
from app_pages.components.ml import (
    lesson_applications,
    lesson_classification,
    lesson_dbscan,
    lesson_evaluation,
    lesson_hierarchical,
    lesson_kmeans,
    lesson_neural_net,
    lesson_overfitting,
    lesson_pca,
    lesson_regression,
    lesson_semi_supervised,
)
from app_pages.components.session import exact, tr
from core.accounts import Actor
from core.ml.challenges import CHALLENGES
from core.ml.lessons import ACTIVITY, FAMILIES, LESSONS

EXPERIMENTS: dict[str, Callable[[Actor], Submission | None]] = {
    "regression": lesson_regression.render,
    "classification": lesson_classification.render,
    "overfitting": lesson_overfitting.render,
    "evaluation": lesson_evaluation.render,
    "neural_net": lesson_neural_net.render,
    "kmeans": lesson_kmeans.render,
    "dbscan": lesson_dbscan.render,
    "hierarchical": lesson_hierarchical.render,
    "pca": lesson_pca.render,
    "semi_supervised": lesson_semi_supervised.render,
    "applications": lesson_applications.render,
}


def _setup_value(value: object) -> str:
    if isinstance(value, str):
        return tr(f"ml.dataset.{value}")
    return exact(value) if isinstance(value, int | float) else str(value)


ML_BOOK = LessonBook(
    activity=ACTIVITY,
    families=FAMILIES,
    lessons=LESSONS,
    challenges=CHALLENGES,
    setup_value=_setup_value,
)
