"""The ML lessons page: every lesson renders in every language after a prediction, widgets change
the trained model's results, predictions and challenges are recorded with skill and error type,
and a learner's CSV works or is explained."""

from __future__ import annotations

import time

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.accounts import Actor
from core.config import LANGUAGES
from core.ml.lessons import ACTIVITY, LESSONS
from core.quiz import load_quiz
from core.telemetry import load_events
from tests.app.conftest import Seed, app_as, assert_clean

PAGE = "pages/ml_lessons.py"


def _events(actor: Actor) -> pd.DataFrame:
    events = load_events(actor, [actor.user_id])
    return events[events["activity"] == ACTIVITY].reset_index(drop=True)


def open_lesson(actor: Actor, lesson_id: str, lang: str = "en") -> AppTest:
    at = app_as(actor, lang)
    at.switch_page(PAGE).run()
    lesson = next(lesson for lesson in LESSONS if lesson.id == lesson_id)
    if lesson.family != "supervised":
        at.segmented_control(key="ml_family").set_value(lesson.family).run()
    at.button_group(key=f"ml_lesson_{lesson.family}").set_value(lesson_id).run()
    assert_clean(at)
    return at


def predict(at: AppTest, lesson_id: str, *, right: bool = True) -> AppTest:
    item = next(i for i in load_quiz(ACTIVITY) if i.id == lesson_id)
    choice = item.answer if right else (item.answer + 1) % len(item.options)
    at.radio(key=f"ml_predict_{lesson_id}").set_value(choice)
    at.button(key=f"ml_predict_lock_{lesson_id}").click().run()
    assert_clean(at)
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def wait_for_job(at: AppTest, done_text: str, timeout: float = 60) -> AppTest:
    """Background jobs finish on their own thread; rerun until the page shows the result."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        at.run()
        if any(done_text in m.label for m in at.metric):
            return at
        time.sleep(0.3)
    raise AssertionError("the background job did not finish in time")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_experiment_opens_only_after_a_prediction(seed: Seed, lang: str) -> None:
    at = open_lesson(seed.student, "regression", lang)
    assert len(at.get("plotly_chart")) == 0
    predict(at, "regression")
    assert len(at.get("plotly_chart")) >= 1
    assert at.slider(key="mlr_linear_degree").value == 1


@pytest.mark.parametrize("lesson", [lesson.id for lesson in LESSONS])
def test_every_lesson_renders_its_experiment(seed: Seed, lesson: str) -> None:
    at = predict(open_lesson(seed.student, lesson), lesson)
    shown = len(at.get("plotly_chart")) + len(at.metric) + len(at.dataframe)
    assert shown or (lesson == "neural_net" and at.button(key="mln_go"))
    events = _events(seed.student)
    assert events["item_id"].tolist() == [f"predict.{lesson}"]
    assert bool(events["correct"].iloc[0]) and pd.isna(events["error_type"].iloc[0])


def test_a_wrong_prediction_records_its_misconception_and_opens_the_experiment(seed: Seed) -> None:
    at = predict(open_lesson(seed.student, "overfitting"), "overfitting", right=False)
    events = _events(seed.student)
    assert events["skill"].tolist() == ["ml.overfitting"]
    assert events["correct"].tolist() == [False] and events["error_type"].iloc[0]
    assert at.get("plotly_chart") is not None
    assert at.button(key="mlo_complexity_start") is not None
