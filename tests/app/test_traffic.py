"""The traffic lab page: every tab renders in every language; the four baselines run on SUMO
as a job (on a synthetic network or a real one with its recorded traffic) and judge the
predictions from their numbers; a short RL training runs live, is tested against every baseline
on unseen seeds and scores the rush-hour challenge; one colour per controller on every chart;
the forecast beats 'no change'."""

from __future__ import annotations

import json

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
COLOURS = {
    "Fixed plan (network's own)": "#9aa5b1",
    "Webster's plan (tuned to counted demand)": "#5b8def",
    "Alternating (blind, switches at every chance)": "#b07aa1",
    "Max-pressure (reacts to queues)": "#2bb673",
    "Trained RL policy": "#f28e2b",
}


def _bar_colours(at: AppTest, index: int) -> dict[str, str]:
    """Controller name -> bar colour of the first trace of the index-th plotly chart."""
    spec = json.loads(at.get("plotly_chart")[index].proto.spec)
    bar = spec["data"][0]
    return dict(zip(bar["x"], bar["marker"]["color"], strict=True))


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


def test_four_controllers_on_lopsided_demand(seed: Seed) -> None:
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
    shown = at.dataframe[0].value
    assert len(shown) == 4 and "Mean delay per vehicle, s" in shown.columns
    assert _bar_colours(at, 0) == {k: v for k, v in COLOURS.items() if "RL" not in k}


def test_a_real_network_runs_its_recorded_traffic(seed: Seed) -> None:
    at = _open(seed.student)
    at.segmented_control(key="traffic_sig_network").set_value("cologne1").run()
    assert any("Cologne" in c.value for c in at.caption)
    at.select_slider(key="traffic_sig_seconds").set_value(900).run()
    at = _predict(at, "pressure_vs_fixed", "better")
    at = _predict(at, "best_controller", "max_pressure")
    at = run_job(at, "traffic_compare")
    events = _events(seed.student)
    assert events.loc["pressure_vs_fixed", "correct"] and events.loc["best_controller", "correct"]
    table = at.dataframe[0].value.set_index("Controller")
    pressure = table.loc["Max-pressure (reacts to queues)"]
    assert pressure["Mean waiting per vehicle, s"] < pressure["Mean delay per vehicle, s"]
    assert not at.error


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
    assert payload["best_waiting"] <= payload["tuned_waiting"] and len(payload["seeds"]) == 3
    assert payload["seeds"][0] == 0  # the learner's seed and the next two; training never used them
    colours = _bar_colours(at, 1)  # after the learning curve: the policy against all baselines
    assert colours == COLOURS  # the policy orange, never grey (grey is the network's plan)


def test_forecast_beats_no_change(seed: Seed) -> None:
    at = _open(seed.student)
    at = _predict(at, "forecast_vs_naive", "better")
    at = _predict(at, "forecast_hours", "night")
    events = _events(seed.student)
    assert events.loc["forecast_vs_naive", "correct"]
    assert events.loc["forecast_hours", "skill"] == "traffic.prediction"
    assert any(m.label == "Model error (MAE)" for m in at.metric)
