"""Issue 22, items 2 and 3: the RL tab's curve is a learning curve (one point per training
episode), training never sees the test seeds, and one shared policy drives every signal of a
multi-intersection network, signals of different shapes included (cologne3)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.traffic.policy import pad, shared_observation
from core.traffic.rl import (
    TRAIN_SEED_BASE,
    RlSettings,
    SharedSignals,
    evaluation_seeds,
    train_policy,
)
from core.traffic.simulation import simulate


def test_the_curve_has_one_point_per_training_episode(tmp_path: Path) -> None:
    """It used to be the raw queue every 1 % of training, which rises and falls with demand."""
    trained = train_policy(RlSettings(timesteps=240, episode_seconds=300), tmp_path)
    assert [p.episode for p in trained.history] == [1, 2, 3, 4]
    assert [p.timesteps for p in trained.history] == [60, 120, 180, 240]  # 300 s / 5 s each
    assert all(p.mean_waiting_s >= 0 and np.isfinite(p.episode_return) for p in trained.history)


def test_training_episodes_never_use_a_test_seed(tmp_path: Path) -> None:
    shared = SharedSignals(RlSettings(episode_seconds=300, seed=3), tmp_path)
    try:
        seeds = []
        for _ in range(2):
            shared.reset()
            seeds.append(shared.env.sumo_seed)
    finally:
        shared.close()
    assert seeds[0] != seeds[1] and min(seeds) >= TRAIN_SEED_BASE
    assert evaluation_seeds(3) == (3, 4, 5) and evaluation_seeds(10_000) == (10_000, 0, 1)
    assert max(evaluation_seeds(10_000)) < TRAIN_SEED_BASE


def test_one_shared_policy_drives_every_signal_of_cologne3(tmp_path: Path) -> None:
    settings = RlSettings(network="cologne3", timesteps=180, episode_seconds=300)
    shared = SharedSignals(settings, tmp_path)
    try:
        assert shared.num_envs == 3 and sorted(shared.phases.values()) == [3, 4, 4]
        first = shared.reset()
        assert first.shape == (3, shared.size)
        assert first[:, -3:].tolist() == np.eye(3).tolist()  # which signal
    finally:
        shared.close()
    trained = train_policy(settings, tmp_path)
    assert trained.history and trained.history[0].timesteps == 180  # 60 steps x 3 signals
    result = simulate(f"rl:{trained.path}", network="cologne3", seconds=300, seed=1)
    assert result.throughput > 50


def test_a_shared_policy_sees_padding_and_which_signal() -> None:
    assert pad([0.5, 1.0], 4).tolist() == [0.5, 1.0, 0.0, 0.0]
    assert pad(np.ones(5), 3).shape == (3,)
    assert shared_observation([0.5], 1, 2, 4).tolist() == [0.5, 0.0, 0.0, 1.0]


def test_results_over_seeds_have_a_95_percent_interval() -> None:
    from core.traffic.summary import estimate

    spread = estimate([2.0, 4.0, 6.0])
    assert spread.mean == 4.0
    assert spread.high == pytest.approx(4.0 + 4.303 * 2.0 / 3**0.5, rel=1e-3)
    assert spread.low == 0.0  # clipped: no waiting time is negative
    assert estimate([3.0]) == estimate([3.0, 3.0])
