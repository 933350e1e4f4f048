"""The RL lab's experiments, one module per lesson, each ``render(actor) -> Submission | None``,
and the book the shared lesson frame (app_pages/components/lesson_frame.py) runs them from."""

from __future__ import annotations

from collections.abc import Callable

from app_pages.components.lesson_frame import LessonBook, Submission
from app_pages.components.rl import (
    lesson_applications,
    lesson_bandit,
    lesson_be_agent,
    lesson_compare,
    lesson_deep,
    lesson_q_learning,
)
from app_pages.components.session import exact, tr
from core.accounts import Actor
from core.rl.challenges import CHALLENGES
from core.rl.lessons import ACTIVITY, FAMILIES, LESSONS

EXPERIMENTS: dict[str, Callable[[Actor], Submission | None]] = {
    "be_agent": lesson_be_agent.render,
    "bandit": lesson_bandit.render,
    "q_learning": lesson_q_learning.render,
    "deep_rl": lesson_deep.render,
    "compare": lesson_compare.render,
    "applications": lesson_applications.render,
}


def _setup_value(value: object) -> str:
    if isinstance(value, str):
        return tr(f"rl.task.{value}")
    return exact(value) if isinstance(value, int | float) else str(value)


RL_BOOK = LessonBook(
    activity=ACTIVITY,
    families=FAMILIES,
    lessons=LESSONS,
    challenges=CHALLENGES,
    setup_value=_setup_value,
)
