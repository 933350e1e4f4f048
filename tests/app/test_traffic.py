"""The traffic lab page: every tab renders in every language; the three controllers run on
SUMO as a job and judge the predictions from their numbers; a short RL training runs live,
is tested against the plans and scores the rush-hour challenge; the forecast beats 'no change'."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.accounts import Actor
from core.config import LANGUAGES
from tests.app.conftest import (
    Seed,
    activity_events,
    lock_prediction,
    open_as,
    run_job,
)

PAGE = "app_pages/traffic.py"


def _open(actor: Actor, lang: str = "en") -> AppTest:
    return open_as(actor, PAGE, lang)


def _events(actor: Actor) -> pd.DataFrame:
    return activity_events(actor, "traffic").set_index("item_id")


def _predict(at: AppTest, question: str, option: str) -> AppTest:
    return lock_prediction(at, "traffic", question, option)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_tab_opens_in_every_language(seed: Seed, lang: str) -> None:
    at = _open(seed.student, lang)
    assert len(at.tabs) == 4
    assert not at.error


def test_three_controllers_on_lopsided_demand(seed: Seed) -> None:
    at = _open(seed.student)
    at.select_slider(key="traffic_sig_seconds").set_value(900).run()
    at = _predict(at, "pressure_vs_fixed", "better")
    at = _predict(at, "best_controller", "fixed_time")
    at = run_job(at, "traffic_compare")
    events = _events(seed.student)
    assert events.loc["pressure_vs_fixed", "correct"]  # max-pressure wins clearly on lopsided
    assert not events.loc["best_controller", "correct"]
    assert events.loc["best_controller", "error_type"] == "fixed_plan_overrated"
    assert events.loc["pressure_vs_fixed", "skill"] == "traffic.signals"
    assert len(at.get("plotly_chart")) >= 3  # bars, queues, the intersection
    assert at.dataframe


def test_rl_training_is_tested_and_scores_the_challenge(seed: Seed) -> None:
    at = _open(seed.student)
    at.segmented_control(key="traffic_rl_scenario").set_value("rush_hour").run()
    at.select_slider(key="traffic_rl_seconds").set_value(900).run()
    at.select_slider(key="traffic_rl_steps").set_value(1000).run()
    at = _predict(at, "rl_vs_tuned", "better")
    at = run_job(at, "traffic_rl", timeout=300)
    events = _events(seed.student)
    assert {"rl_vs_tuned", "challenge.rush_hour"} <= set(events.index)
    assert events.loc["challenge.rush_hour", "skill"] == "traffic.rl"
    payload = events.loc["challenge.rush_hour", "payload"]
    assert payload["timesteps"] == 1000 and payload["tuned_waiting"] > 0


def test_forecast_beats_no_change(seed: Seed) -> None:
    at = _open(seed.student)
    at = _predict(at, "forecast_vs_naive", "better")
    at = _predict(at, "forecast_hours", "night")
    events = _events(seed.student)
    assert events.loc["forecast_vs_naive", "correct"]
    assert events.loc["forecast_hours", "skill"] == "traffic.prediction"
    assert any(m.label == "Model error (MAE)" for m in at.metric)
