"""The traffic lab's background jobs, run as a job worker runs them (a real ``JobContext``):
live updates and progress, a Stop, and input the lab cannot use handed back as a value that
survives the job store's pickling."""

from __future__ import annotations

from pathlib import Path

import cloudpickle
import pytest

from core.jobs import JobContext
from core.traffic.controllers import BASELINES
from core.traffic.errors import TrafficInputError
from core.traffic.rl import TRAIN_SEED_BASE, Outcome, RlSettings, TrainingPoint, train_job
from core.traffic.simulation import Setup, compare_job
from tests.job_contexts import stopped, through_the_store

SHORT = Setup(seconds=300)


def test_compare_job_runs_each_controller_with_frames() -> None:
    ctx = JobContext()
    results = compare_job(ctx, SHORT, ("fixed_time", "max_pressure"))
    assert isinstance(results, list)
    assert [r.controller for r in results] == ["fixed_time", "max_pressure"]
    assert all(r.frames and r.seconds == 300 for r in results)
    _, progress, updates = ctx.state()
    assert progress == 1.0 and updates == ["fixed_time", "max_pressure"]


def test_compare_job_stop_keeps_the_controllers_already_run() -> None:
    ctx = stopped()
    results = compare_job(ctx, SHORT, ("fixed_time", "max_pressure", "tuned_fixed_time"))
    assert isinstance(results, list) and [r.controller for r in results] == ["fixed_time"]
    assert ctx.state()[1] == pytest.approx(1 / 3)


def test_compare_job_hands_back_bad_input() -> None:
    error = compare_job(JobContext(), Setup(network="moon", seconds=300), ("fixed_time",))
    assert isinstance(error, TrafficInputError) and error.code == "unknown_network"
    assert through_the_store(error).code == "unknown_network"  # type: ignore[attr-defined]


def test_setup_pickles_without_the_pages() -> None:
    text = cloudpickle.dumps(Setup("2x2grid", "rush_hour", 1.2, 900, 3))
    assert b"app_pages" not in text
    assert through_the_store(Setup("2x2grid")) == Setup("2x2grid")


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ZERDE_DATA_DIR", str(tmp_path))
    return tmp_path


def test_train_job_trains_then_tests_against_every_baseline_on_unseen_seeds(
    data_dir: Path,
) -> None:
    ctx = JobContext()
    outcome = train_job(
        ctx, SHORT, RlSettings(timesteps=120, episode_seconds=300), user_id=7, seeds=2
    )
    assert isinstance(outcome, Outcome) and not outcome.policy.stopped
    assert Path(outcome.policy.path).parent == data_dir / "traffic" / "user-7"
    policy = f"rl:{outcome.policy.path}"
    assert [r.controller for r in outcome.results] == [policy, *BASELINES] * 2
    assert outcome.seeds == (0, 1) and all(s < TRAIN_SEED_BASE for s in outcome.seeds)
    _, progress, updates = ctx.state()
    assert progress == 1.0 and tuple(updates) == outcome.policy.history
    assert updates and all(isinstance(u, TrainingPoint) for u in updates)
    assert isinstance(through_the_store(outcome), Outcome)


def test_train_job_stop_ends_training_and_still_tests_the_policy(data_dir: Path) -> None:
    ctx = stopped()
    outcome = train_job(
        ctx, SHORT, RlSettings(timesteps=2400, episode_seconds=300), user_id=7, seeds=1
    )
    assert isinstance(outcome, Outcome) and outcome.policy.stopped
    assert len(outcome.policy.history) <= 1 and len(outcome.results) == 1 + len(BASELINES)


def test_train_job_hands_back_bad_input(data_dir: Path) -> None:
    error = train_job(JobContext(), SHORT, RlSettings(algorithm="a2c"), user_id=7)
    assert isinstance(error, TrafficInputError) and error.code == "unknown_controller"
