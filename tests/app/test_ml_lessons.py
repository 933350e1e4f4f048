"""The ML lessons page: every lesson renders in every language after a prediction, widgets change
the trained model's results, predictions and challenges are recorded with skill and error type,
and a learner's CSV works or is explained."""

from __future__ import annotations

import re
import time

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.accounts import Actor
from core.config import LANGUAGES
from core.ml.lessons import ACTIVITY, LESSONS
from core.telemetry import load_events
from tests.app import lessons
from tests.app.conftest import Seed, assert_clean
from tests.app.lessons import metric

PAGE = "app_pages/ml_lessons.py"


def _events(actor: Actor) -> pd.DataFrame:
    events = load_events(actor, [actor.user_id])
    return events[events["activity"] == ACTIVITY].reset_index(drop=True)


def open_lesson(actor: Actor, lesson_id: str, lang: str = "en") -> AppTest:
    return lessons.open_lesson(actor, PAGE, ACTIVITY, LESSONS, lesson_id, lang)


def predict(at: AppTest, lesson_id: str, *, right: bool = True) -> AppTest:
    return lessons.predict(at, ACTIVITY, lesson_id, right=right)


def wait_for_job(at: AppTest, done_text: str, timeout: float = 60) -> AppTest:
    return lessons.wait_until(at, lessons.has_metric(done_text), timeout)


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


WIDGETS = [
    ("regression", "slider", "mlr_linear_degree", 15, "Test R²"),
    ("classification", "slider", "mlc_tree_depth", 1, "Test accuracy"),
    ("overfitting", "slider", "mlo_tree_depth", 20, "Train accuracy"),
    ("evaluation", "select_slider", "mle_threshold", 0.1, "Tumours caught (recall)"),
    ("kmeans", "slider", "mlk_k", 6, "Inertia"),
    ("dbscan", "select_slider", "mld_eps", 0.05, "Clusters found"),
    ("hierarchical", "selectbox", "mlh_linkage", "single", "Largest cluster"),
    ("pca", "checkbox", "mlp_scale", True, "PC1 explains"),
    ("semi_supervised", "select_slider", "mls_share", 0.5, "Labelled points"),
]


@pytest.mark.parametrize(("lesson", "kind", "key", "value", "label"), WIDGETS)
def test_widgets_change_the_trained_result(
    seed: Seed, lesson: str, kind: str, key: str, value: object, label: str
) -> None:
    at = predict(open_lesson(seed.student, lesson), lesson)
    before = metric(at, label)
    getattr(at, kind)(key=key).set_value(value).run()
    assert_clean(at)
    assert metric(at, label) != before


def test_applications_show_four_worked_examples_against_their_baselines(seed: Seed) -> None:
    at = predict(open_lesson(seed.student, "applications", "ru"), "applications")
    assert len(at.tabs) == 4
    tables = [frame.value for frame in at.dataframe]
    metric_tables = [t for t in tables if "Метрика" in t.columns]
    assert len(metric_tables) == 4
    assert all(len(t) >= 2 for t in metric_tables)


NBSP = "\u00a0"


def test_russian_metrics_have_a_decimal_comma_and_a_thousands_space(seed: Seed) -> None:
    at = predict(open_lesson(seed.student, "classification", "ru"), "classification")
    assert f"1{NBSP}000" in at.select_slider(key="mlc_n").options  # generated moons: sliders
    assert "0,20" in at.select_slider(key="mlc_noise").options
    at.selectbox(key="mlc").set_value("digits").run()
    assert_clean(at)
    score = metric(at, "точность на тесте")
    assert re.fullmatch(r"[01],\d{3}", score), score
    assert metric(at, "Строк обучение / тест") == f"1{NBSP}347 / 450"  # 1 797 digits, 3:1
    assert re.fullmatch(r"\d+ мс", metric(at, "Время обучения"))


def _features(at: AppTest, names: list[str]) -> AppTest:
    at.multiselect(key="mlc_features_wine").set_value(names).run()
    return at


def test_the_wine_challenge_records_each_attempt_with_its_misconception(seed: Seed) -> None:
    at = predict(open_lesson(seed.student, "classification"), "classification")
    at.button(key="ml_challenge_submit_classification").click().run()
    assert "Set up the experiment" in at.warning[0].value  # moons: not judged, not recorded
    assert _events(seed.student)["item_id"].tolist() == ["predict.classification"]
    at.selectbox(key="mlc").set_value("wine").run()
    at.button(key="ml_challenge_submit_classification").click().run()
    _features(at, ["proline", "od280/od315_of_diluted_wines", "color_intensity"])
    at.button(key="ml_challenge_submit_classification").click().run()
    assert_clean(at)
    assert "Challenge met" in at.success[-1].value
    events = _events(seed.student)
    challenge = events[events["item_id"] == "challenge.classification"]
    assert challenge["error_type"].fillna("").tolist() == ["too_many_features", ""]
    assert challenge["correct"].tolist() == [False, True]
    assert challenge["attempt"].tolist() == [1, 2]
    assert set(challenge["skill"]) == {"ml.supervised"}
    assert challenge["payload"].iloc[1]["measured"]["n_features"] == 3


def test_a_learners_csv_is_trained_on_or_its_problem_explained(seed: Seed) -> None:
    at = predict(open_lesson(seed.student, "classification", "kk"), "classification")
    at.selectbox(key="mlc").set_value("upload").run()
    at.file_uploader(key="mlc_file").set_value(("bad.csv", b"a,b\n1,\n2,3\n", "text/csv")).run()
    assert_clean(at)
    assert "бос" in at.error[0].value  # Kazakh: "some cells are empty"
    rows = "\n".join(f"{i % 7},{(i * 3) % 5},{'иә' if i % 7 > 3 else 'жоқ'}" for i in range(60))
    data = f"сабақ,ұйқы,өтті\n{rows}\n".encode()
    at.file_uploader(key="mlc_file").set_value(("exam.csv", data, "text/csv")).run()
    assert_clean(at)
    assert not at.error
    assert float(metric(at, "Тесттегі дәлдік").replace(",", ".")) >= 0.9  # a decimal comma


def test_the_network_trains_in_the_background_and_meets_its_challenge(seed: Seed) -> None:
    at = predict(open_lesson(seed.student, "neural_net"), "neural_net")
    at.button(key="mln_go").click().run()
    wait_for_job(at, "Test accuracy")
    assert_clean(at)
    assert float(metric(at, "Test accuracy")) > 0.9
    at.button(key="ml_challenge_submit_neural_net").click().run()
    events = _events(seed.student)
    assert events["item_id"].tolist()[-1] == "challenge.neural_net"
    assert bool(events["correct"].iloc[-1])


def test_a_training_can_be_stopped_and_keeps_what_it_learnt(seed: Seed) -> None:
    at = predict(open_lesson(seed.student, "neural_net"), "neural_net")
    at.selectbox(key="mln").set_value("digits").run()
    at.slider(key="mln_epochs").set_value(500).run()
    at.button(key="mln_go").click().run()
    at.button(key="mln_train_stop").click().run()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any("Stopped" in i.value for i in at.info):
        time.sleep(0.2)
        at.run()
    assert_clean(at)
    assert any("Stopped" in i.value for i in at.info)


def test_the_validation_curve_is_drawn_in_the_background(seed: Seed) -> None:
    at = predict(open_lesson(seed.student, "overfitting"), "overfitting")
    assert not at.get("plotly_chart")
    at.button(key="mlo_complexity_start").click().run()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not at.get("plotly_chart"):
        time.sleep(0.2)
        at.run()
    assert_clean(at)
    assert at.get("plotly_chart")
    assert any("Best cross-validated score" in c.value for c in at.caption)


def test_a_curve_for_earlier_settings_says_so(seed: Seed) -> None:
    at = predict(open_lesson(seed.student, "overfitting"), "overfitting")
    at.button(key="mlo_learning_start").click().run()
    lessons.wait_until(at, lambda at: bool(at.get("plotly_chart")), 30)
    assert not any("earlier settings" in c.value for c in at.caption)
    at.slider(key="mlo_tree_depth").set_value(2).run()
    assert_clean(at)
    assert any("earlier settings" in c.value for c in at.caption)


def test_a_trained_network_is_stale_once_a_setting_changes(seed: Seed) -> None:
    at = predict(open_lesson(seed.student, "neural_net"), "neural_net")
    at.slider(key="mln_epochs").set_value(20).run()
    at.button(key="mln_go").click().run()
    wait_for_job(at, "Test accuracy")
    at.slider(key="mln_epochs").set_value(30).run()
    assert_clean(at)
    assert any("You changed the settings" in i.value for i in at.info)
    assert not any(m.label == "Test accuracy" for m in at.metric)


def test_a_large_file_trains_in_the_background(seed: Seed) -> None:
    rows = "\n".join(f"{i % 97},{(i * 7) % 13},{int(i % 97 > 40)}" for i in range(3500))
    at = predict(open_lesson(seed.student, "classification"), "classification")
    at.selectbox(key="mlc").set_value("upload").run()
    data = f"a,b,label\n{rows}\n".encode()
    at.file_uploader(key="mlc_file").set_value(("big.csv", data, "text/csv")).run()
    assert_clean(at)
    wait_for_job(at, "Test accuracy")
    assert float(metric(at, "Test accuracy")) > 0.95
