import math

import pytest

from core.rl import deep


def test_callback_gets_rising_progress_and_the_result_is_evaluated() -> None:
    seen: list[deep.Progress] = []
    result = deep.train("ppo", "CartPole-v1", 2048, seed=0, callback=seen.append)
    assert len(seen) >= 5
    assert [p.timesteps for p in seen] == sorted(p.timesteps for p in seen)
    assert all(0 < p.fraction <= 1 and p.total == 2048 for p in seen)
    assert any(not math.isnan(p.mean_reward) for p in seen)
    assert result.timesteps >= 2048 and not result.stopped
    assert 8 <= result.mean_eval_reward <= 500
    assert result.curve == tuple(seen)


def test_returning_false_stops_training_and_keeps_the_agent() -> None:
    calls = []

    def stop_on_second(progress: deep.Progress) -> bool:
        calls.append(progress)
        return len(calls) < 2

    result = deep.train("a2c", "CartPole-v1", 20_000, seed=0, callback=stop_on_second)
    assert result.stopped and len(calls) == 2
    assert result.timesteps < 2_000
    assert result.model.predict(result.model.observation_space.sample())[0] in (0, 1)


def test_ppo_solves_cartpole_and_stops_as_soon_as_it_does() -> None:
    result = deep.train("ppo", "CartPole-v1", 30_000, seed=0, check_solved_every=2_000)
    assert result.solved_at is not None and result.timesteps <= result.solved_at + 256
    assert result.solved and result.mean_eval_reward >= 475


@pytest.mark.parametrize("algo", ["dqn", "a2c"])
def test_every_algorithm_runs_on_acrobot(algo: str) -> None:
    result = deep.train(algo, "Acrobot-v1", 1_000, seed=1)
    assert -500 <= result.mean_eval_reward <= 0 and result.steps_per_s > 0


@pytest.mark.parametrize(
    ("algo", "env_id", "steps"),
    [("sarsa", "CartPole-v1", 5_000), ("ppo", "Pong-v5", 5_000), ("ppo", "CartPole-v1", 10)],
)
def test_bad_settings_are_refused_before_any_work(algo: str, env_id: str, steps: int) -> None:
    with pytest.raises(ValueError):
        deep.train(algo, env_id, steps, seed=0)


def test_hyperparameters_are_a_copy() -> None:
    first = deep.hyperparameters("ppo", "CartPole-v1")
    first.pop("n_envs")
    assert deep.hyperparameters("ppo", "CartPole-v1")["n_envs"] == 8
