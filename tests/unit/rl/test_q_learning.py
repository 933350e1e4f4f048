import numpy as np
import pytest

from core.rl.q_learning import Episode, train

DETERMINISTIC = {"is_slippery": False}


def test_deterministic_frozen_lake_is_solved_in_500_episodes() -> None:
    result = train("FrozenLake-v1", 500, 0, env_kwargs=DETERMINISTIC)
    assert result.success_rate == 1.0
    assert result.q_table.shape == (16, 4)
    assert result.episodes[-1].success and not result.stopped
    assert sum(e.success for e in result.episodes[:20]) < sum(
        e.success for e in result.episodes[-20:]
    )


def test_the_greedy_policy_walks_from_start_to_goal() -> None:
    policy = train("FrozenLake-v1", 500, 1, env_kwargs=DETERMINISTIC).policy
    moves = {0: (0, -1), 1: (1, 0), 2: (0, 1), 3: (-1, 0)}  # left, down, right, up
    holes = {5, 7, 11, 12}
    row, col, path = 0, 0, []
    for _ in range(16):
        d_row, d_col = moves[int(policy[row * 4 + col])]
        row, col = min(max(row + d_row, 0), 3), min(max(col + d_col, 0), 3)
        path.append(row * 4 + col)
        if path[-1] == 15:
            break
    assert path[-1] == 15 and not holes & set(path)


def test_same_seed_same_table_and_epsilon_decays() -> None:
    a = train("FrozenLake-v1", 50, 3, env_kwargs=DETERMINISTIC, epsilon_decay=0.9)
    b = train("FrozenLake-v1", 50, 3, env_kwargs=DETERMINISTIC, epsilon_decay=0.9)
    assert np.array_equal(a.q_table, b.q_table)
    assert a.episodes[0].epsilon == 1.0
    assert a.episodes[-1].epsilon == pytest.approx(0.05)


def test_gamma_zero_values_only_the_next_reward() -> None:
    """Myopic: only the step into the goal is worth anything; every other entry stays 0."""
    q = train("FrozenLake-v1", 300, 0, env_kwargs=DETERMINISTIC, gamma=0.0).q_table
    worth = {tuple(x) for x in np.argwhere(q > 0)}
    assert worth and worth <= {(14, 2), (11, 1)}


def test_on_episode_delivers_progress_and_honours_stop() -> None:
    seen: list[Episode] = []

    def stop_after_ten(episode: Episode, q: np.ndarray) -> bool:
        seen.append(episode)
        return episode.number < 10

    result = train("FrozenLake-v1", 500, 0, env_kwargs=DETERMINISTIC, on_episode=stop_after_ten)
    assert result.stopped and len(result.episodes) == 10
    assert [e.number for e in seen] == list(range(1, 11))


def test_taxi_learns_to_deliver() -> None:
    result = train("Taxi-v4", 1500, 0, alpha=0.5)  # deterministic moves: large steps are safe
    assert result.q_table.shape == (500, 6)
    assert result.success_rate >= 0.8
    assert np.mean([e.reward for e in result.episodes[-100:]]) > np.mean(
        [e.reward for e in result.episodes[:100]]
    )


@pytest.mark.parametrize(
    ("hyper", "message"),
    [
        ({"alpha": 0.0}, "alpha"),
        ({"gamma": 1.5}, "gamma"),
        ({"epsilon_min": 0.5, "epsilon": 0.1}, "epsilon"),
        ({"learning_speed": 1}, "unknown"),
    ],
)
def test_bad_hyperparameters_are_refused(hyper: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        train("FrozenLake-v1", 10, 0, **hyper)


def test_continuous_environments_are_refused() -> None:
    with pytest.raises(ValueError, match="continuous"):
        train("CartPole-v1", 10, 0)
    with pytest.raises(ValueError, match="episodes"):
        train("FrozenLake-v1", 0, 0)


def test_the_lake_is_drawn_as_a_board_in_its_own_action_order() -> None:
    from core.rl import gridworld
    from core.rl.q_learning import LAKE, LAKE_ARROWS

    assert (LAKE.rows, LAKE.cols, LAKE.goal) == (4, 4, (3, 3))
    assert LAKE.pits == {(1, 1), (1, 3), (2, 3), (3, 0)}
    q = train("FrozenLake-v1", 500, 0, env_kwargs={"is_slippery": False}).q_table
    arrows = gridworld.policy_arrows(LAKE, q, LAKE_ARROWS)
    assert arrows[0][0] in ("→", "↓") and arrows[3][3] == arrows[1][1] == ""
    assert gridworld.value_grid(LAKE, q)[3, 2] == q[14].max()
