"""SUMO runs headless and offline; the controllers are measured on the same seed and demand:
max-pressure beats the network's fixed plan on lopsided demand, Webster's split helps too, an
incident hurts, and a trained policy can be run by path."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.traffic import questions
from core.traffic.controllers import parse
from core.traffic.errors import TrafficInputError
from core.traffic.geometry import drawing
from core.traffic.rl import RlSettings, train_policy
from core.traffic.scenarios import Demand, write_routes
from core.traffic.simulation import SimResult, simulate
from core.traffic.sumo import NETWORKS


@pytest.fixture(scope="module")
def lopsided() -> dict[str, SimResult]:
    return {c: simulate(c, scenario="lopsided", seconds=1200, seed=0)
            for c in ("fixed_time", "tuned_fixed_time", "max_pressure")}  # fmt: skip


def test_simulation_measures_real_traffic(lopsided: dict[str, SimResult]) -> None:
    fixed = lopsided["fixed_time"]
    assert fixed.throughput > 300  # ~1600 veh/h for 20 minutes, minus the ones still driving
    assert fixed.mean_waiting_s > 0 and fixed.mean_travel_time_s > 20
    assert len(fixed.times) == 1200 // 5 and max(fixed.queue) > 0
    assert fixed.frames == ()


def test_max_pressure_beats_the_fixed_plan_on_lopsided_demand(
    lopsided: dict[str, SimResult],
) -> None:
    fixed, pressure = lopsided["fixed_time"], lopsided["max_pressure"]
    assert pressure.mean_waiting_s < 0.75 * fixed.mean_waiting_s
    assert pressure.mean_queue < fixed.mean_queue
    assert questions.compare_truth(pressure.mean_waiting_s, fixed.mean_waiting_s) == ("better",)


def test_webster_split_helps_on_lopsided_demand(lopsided: dict[str, SimResult]) -> None:
    assert lopsided["tuned_fixed_time"].mean_waiting_s < lopsided["fixed_time"].mean_waiting_s


def test_same_seed_same_result_and_seeds_differ() -> None:
    a = simulate("max_pressure", seconds=600, seed=3)
    b = simulate("max_pressure", seconds=600, seed=3)
    c = simulate("max_pressure", seconds=600, seed=4)
    assert a.mean_waiting_s == b.mean_waiting_s and a.throughput == b.throughput
    assert (a.throughput, a.mean_waiting_s) != (c.throughput, c.mean_waiting_s)


def test_an_incident_hurts_the_fixed_plan_and_max_pressure_copes() -> None:
    calm = simulate("fixed_time", scenario="lopsided", seconds=900, seed=1, demand=1600 / 1300)
    crash = simulate("fixed_time", scenario="incident", seconds=900, seed=1)
    assert crash.mean_waiting_s > 1.3 * calm.mean_waiting_s
    assert crash.mean_travel_time_s > calm.mean_travel_time_s
    adaptive = simulate("max_pressure", scenario="incident", seconds=900, seed=1)
    assert adaptive.mean_waiting_s < 0.6 * crash.mean_waiting_s


def test_grid_runs_with_every_baseline_and_records_frames() -> None:
    result = simulate("max_pressure", network="2x2grid", scenario="rush_hour", seconds=600,
                      frames=True)  # fmt: skip
    assert result.throughput > 0 and len(result.frames) == 600 // 30 - 1  # from 30 s
    frame = result.frames[-1]
    assert len(frame.x) == len(frame.y) == len(frame.halted) and set(frame.lights) == {
        "1",
        "2",
        "5",
        "6",
    }
    tuned = simulate("tuned_fixed_time", network="2x2grid", scenario="rush_hour", seconds=600)
    assert tuned.throughput > 0


def test_routes_follow_the_scenario(tmp_path: Path) -> None:
    single = NETWORKS["single-intersection"]
    text = write_routes(single, Demand("rush_hour", 1.2), 1000, tmp_path).read_text()
    assert text.count("<flow") == 20
    assert Demand("rush_hour").per_hour("we", 4) > 2 * Demand("rush_hour").per_hour("we", 0)
    assert Demand("incident").incident_window(1800) == (600, 1200)


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda: simulate("magic"), "unknown_controller"),
        (lambda: simulate("fixed_time", network="moon"), "unknown_network"),
        (lambda: simulate("fixed_time", scenario="parade"), "unknown_scenario"),
        (lambda: simulate("fixed_time", seconds=10), "parameter_range"),
        (lambda: simulate("fixed_time", demand=5.0), "parameter_range"),
        (lambda: simulate("rl:/nowhere/ppo.zip", seconds=300), "no_policy"),
    ],
)
def test_bad_input_is_a_coded_error(call: object, code: str) -> None:
    with pytest.raises(TrafficInputError) as refused:
        call()  # type: ignore[operator]
    assert refused.value.code == code


def test_controller_names() -> None:
    assert parse("rl:/tmp/x.zip") == "rl:/tmp/x.zip"
    with pytest.raises(TrafficInputError):
        parse("rl:")


def test_drawing_has_lanes_and_signals() -> None:
    single = drawing("single-intersection")
    assert len(single.lanes) == 8 and set(single.signals) == {"t"}
    assert set(drawing("2x2grid").signals) == {"1", "2", "5", "6"}


def test_a_tiny_trained_policy_runs_by_path(tmp_path: Path) -> None:
    points: list[object] = []
    trained = train_policy(RlSettings(timesteps=240, episode_seconds=600), tmp_path,
                           lambda progress, point: points.append(point) is None)  # fmt: skip
    assert Path(trained.path).is_file() and trained.history and not trained.stopped
    assert [p for p in points if p is not None] == list(trained.history)
    result = simulate(f"rl:{trained.path}", seconds=600)
    assert result.throughput > 50


def test_stop_ends_training_early_and_keeps_the_policy(tmp_path: Path) -> None:
    trained = train_policy(RlSettings(timesteps=2400, episode_seconds=600), tmp_path,
                           lambda progress, point: False)  # fmt: skip
    assert trained.stopped and len(trained.history) <= 1 and Path(trained.path).is_file()


def test_question_truths() -> None:
    assert questions.compare_truth(8.0, 10.0) == ("better",)
    assert questions.compare_truth(9.5, 10.0) == ("same",)
    assert questions.compare_truth(12.0, 10.0) == ("worse",)
    waiting = {"fixed_time": 13.0, "tuned_fixed_time": 9.8, "max_pressure": 9.6}  # 5 % ties
    assert questions.best_truth(waiting) == ("tuned_fixed_time", "max_pressure")
    naive = [5.0] * 24
    model = [5.0] * 24
    model[8] = 2.0
    assert questions.hours_truth(model, naive) == ("peaks",)
    assert questions.hours_truth([4.0] * 24, naive) == ("everywhere",)
    assert questions.challenge(7.0, {"tuned_fixed_time": 10.0}) == (True, None)
    assert questions.challenge(11.0, {"tuned_fixed_time": 10.0}) == (False, "rl_worse_than_plan")


def test_traci_connects_without_a_sleeping_retry(capfd: pytest.CaptureFixture[str]) -> None:
    """TraCI's own connect sleeps a second and prints "Retrying" when SUMO is not listening
    yet, which it never is on the first try; ours polls quietly."""
    simulate("fixed_time", scenario="balanced", seconds=300, seed=0)
    assert "Retrying" not in capfd.readouterr().out
