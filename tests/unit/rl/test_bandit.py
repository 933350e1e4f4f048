import numpy as np
import pytest

from core.rl.bandit import BanditParams, BanditResult, compare, run


@pytest.fixture(scope="module")
def figure_2_2() -> dict[float, BanditResult]:
    """Sutton & Barto's setting: 2000 bandits, 1000 steps, epsilon 0, 0.01 and 0.1."""
    return compare([0.0, 0.01, 0.1], 0, runs=2000)


def test_greedy_finds_the_best_arm_in_about_a_third_of_the_runs(
    figure_2_2: dict[float, BanditResult],
) -> None:
    greedy, little, some = figure_2_2[0.0], figure_2_2[0.01], figure_2_2[0.1]
    # S&B: the greedy method "found the optimal action in only approximately one-third of the tasks"
    assert 0.28 <= greedy.final_optimal_share <= 0.42
    assert 0.75 <= some.final_optimal_share <= 0.87
    assert greedy.final_optimal_share < little.final_optimal_share < some.final_optimal_share
    assert greedy.average_reward < little.average_reward < some.average_reward
    # Figure 2.2: greedy levels off near 1 reward per step, epsilon = 0.1 near 1.35.
    assert greedy.mean_reward[-100:].mean() == pytest.approx(1.0, abs=0.1)
    assert some.mean_reward[-100:].mean() == pytest.approx(1.35, abs=0.1)


def test_every_epsilon_plays_the_same_bandits(figure_2_2: dict[float, BanditResult]) -> None:
    best = {r.best_possible for r in figure_2_2.values()}
    assert len(best) == 1 and 1.4 < best.pop() < 1.65  # E[max of 10 N(0,1)] = 1.54
    for result in figure_2_2.values():
        assert result.mean_reward.shape == result.optimal_share.shape == (1000,)
        assert result.average_reward < result.best_possible


def test_optimistic_initial_values_make_a_greedy_agent_explore() -> None:
    realistic = run(BanditParams(runs=1000, epsilon=0.0), 1)
    optimistic = run(BanditParams(runs=1000, epsilon=0.0, initial_value=5.0), 1)
    assert optimistic.final_optimal_share > realistic.final_optimal_share + 0.2
    # Every untried arm still looks better than any tried one, so the first ten pulls try each once.
    assert optimistic.optimal_share[:10].mean() == pytest.approx(0.1, abs=0.01)


def test_figure_2_3_optimistic_greedy_beats_realistic_epsilon_greedy_with_constant_step() -> None:
    optimistic = run(BanditParams(runs=1000, epsilon=0.0, initial_value=5.0, step_size=0.1), 2)
    realistic = run(BanditParams(runs=1000, epsilon=0.1, step_size=0.1), 2)
    assert optimistic.final_optimal_share > realistic.final_optimal_share


def test_decaying_epsilon_explores_early_and_exploits_late() -> None:
    constant = run(BanditParams(epsilon=0.5), 3)
    decaying = run(BanditParams(epsilon=0.5, epsilon_decay=0.99), 3)
    assert decaying.final_optimal_share > constant.final_optimal_share


def test_same_seed_same_arrays() -> None:
    params = BanditParams(steps=200, runs=50)
    a, b = run(params, 7), run(params, 7)
    assert np.array_equal(a.mean_reward, b.mean_reward)
    assert np.array_equal(a.optimal_share, b.optimal_share)
    assert not np.array_equal(a.mean_reward, run(params, 8).mean_reward)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"arms": 1}, "arms"),
        ({"steps": 0}, "steps"),
        ({"runs": 5000}, "runs"),
        ({"epsilon": 1.5}, "epsilon"),
        ({"epsilon_decay": 0.0}, "epsilon_decay"),
        ({"initial_value": 50.0}, "initial_value"),
        ({"step_size": 0.0}, "step_size"),
    ],
)
def test_bad_parameters_are_refused(changes: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        run(BanditParams(**changes), 0)  # type: ignore[arg-type]
