"""Driving a lab's lesson page in AppTest: open a lesson, make its prediction, read metrics and
wait for background jobs. Shared by the labs built on app_pages/components/lesson_frame.py."""

from __future__ import annotations

import time
from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from core.accounts import Actor
from core.lessons import Lesson
from core.quiz import load_quiz
from tests.app.conftest import app_as, assert_clean


def open_lesson(
    actor: Actor, page: str, activity: str, lessons: tuple[Lesson, ...], lesson_id: str,
    lang: str = "en",
) -> AppTest:  # fmt: skip
    at = app_as(actor, lang)
    at.switch_page(page).run()
    lesson = next(lesson for lesson in lessons if lesson.id == lesson_id)
    if lesson.family != lessons[0].family:
        at.segmented_control(key=f"{activity}_family").set_value(lesson.family).run()
    at.button_group(key=f"{activity}_lesson_{lesson.family}").set_value(lesson_id).run()
    assert_clean(at)
    return at


def predict(at: AppTest, activity: str, lesson_id: str, *, right: bool = True) -> AppTest:
    item = next(i for i in load_quiz(activity) if i.id == lesson_id)
    choice = item.answer if right else (item.answer + 1) % len(item.options)
    at.radio(key=f"{activity}_predict_{lesson_id}").set_value(choice)
    at.button(key=f"{activity}_predict_lock_{lesson_id}").click().run()
    assert_clean(at)
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def wait_until(at: AppTest, done: Callable[[AppTest], bool], timeout: float = 60) -> AppTest:
    """Background jobs finish on their own thread; rerun until the page shows ``done``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        at.run()
        if done(at):
            return at
        time.sleep(0.3)
    raise AssertionError("the page did not reach the expected state in time")


def has_metric(label: str) -> Callable[[AppTest], bool]:
    return lambda at: any(label in m.label for m in at.metric)
