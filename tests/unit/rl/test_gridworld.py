import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core.rl import gridworld as gw
from core.rl.gridworld import ENV_ID, Grid, Play, move, new_play, step
from core.rl.q_learning import make_env, train

UP, RIGHT, DOWN, LEFT = range(4)
GRID = Grid()
# The one shortest staircase between the pits (the last two moves may also be right, up).
SAFE_ROUTE = (RIGHT, UP, UP, RIGHT, RIGHT, UP, UP, RIGHT)


def play(actions: tuple[int, ...], grid: Grid = GRID) -> Play:
    p = new_play(grid)
    for action in actions:
        p = move(grid, p, action)
    return p


def greedy_walk(grid: Grid, q_table: np.ndarray) -> Play:
    p = new_play(grid)
    while not p.done:
        p = move(grid, p, int(np.argmax(q_table[p.state])))
    return p


def test_the_default_grid_is_valid_and_its_obvious_routes_fail() -> None:
    GRID.validate()
    assert GRID.n_states == 25 and GRID.n_actions == 4
    assert GRID.cell(GRID.state((3, 4))) == (3, 4)
    straight_up = play((UP,))
    assert straight_up.last == "bumped" and straight_up.state == GRID.state(GRID.start)
    along_the_bottom = play((RIGHT, RIGHT, UP))
    assert along_the_bottom.outcome == "pit"


def test_a_bump_keeps_the_state_and_costs_a_step() -> None:
    start = GRID.state(GRID.start)
    t = step(GRID, start, UP, 0)  # (3, 0) is a wall
    assert t == gw.Transition(start, GRID.step_reward, False, "bumped")
    t = step(GRID, start, LEFT, 0)  # off the edge
    assert t.state == start and t.outcome == "bumped"
    t = step(GRID, start, RIGHT, 0)
    assert t == gw.Transition(GRID.state((4, 1)), -1.0, False, "moved")


def test_pit_and_goal_end_the_episode_and_replace_the_step_reward() -> None:
    pit = step(GRID, GRID.state((4, 2)), UP, 5)
    assert pit == gw.Transition(GRID.state((3, 2)), GRID.pit_reward, True, "pit")
    goal = step(GRID, GRID.state((0, 3)), RIGHT, 5)
    assert goal == gw.Transition(GRID.state((0, 4)), GRID.goal_reward, True, "goal")


def test_the_episode_times_out_at_max_steps_unless_that_step_ends_it() -> None:
    grid = Grid(max_steps=10)
    p = play((UP,) * 9, grid)
    assert not p.done and p.steps == 9
    p = move(grid, p, UP)
    assert p.outcome == "timeout" and p.rewards[-1] == grid.step_reward and p.steps == 10
    assert play(SAFE_ROUTE, Grid(max_steps=8)).outcome == "goal"


def test_a_hand_played_episode_records_its_path_and_refuses_moves_after_the_end() -> None:
    p = play(SAFE_ROUTE)
    assert p.outcome == "goal" and p.done and p.steps == 8
    assert p.rewards == (-1.0,) * 7 + (10.0,)
    assert p.path[0] == GRID.state(GRID.start) and p.path[-1] == GRID.state(GRID.goal)
    assert len(p.path) == 9
    with pytest.raises(ValueError, match="over"):
        move(GRID, p, UP)
    with pytest.raises(ValueError, match="action"):
        move(GRID, new_play(GRID), 4)
    assert new_play(GRID).outcome is None and new_play(GRID).steps == 0


def test_discounted_return() -> None:
    assert gw.discounted_return([-1, -1, 10], 1.0) == 8.0
    assert gw.discounted_return([-1, -1, 10], 0.9) == pytest.approx(-1 - 0.9 + 0.81 * 10)
    assert gw.discounted_return([5, 100], 0.0) == 5.0
    assert gw.discounted_return([], 0.9) == 0.0


def test_shortest_path_and_best_return_on_the_default_grid() -> None:
    assert gw.shortest_path_length(GRID) == 8
    assert gw.best_return(GRID) == 3.0  # seven steps at -1, then +10
    expected = -sum(0.95**t for t in range(7)) + 0.95**7 * 10
    assert gw.best_return(GRID, 0.95) == pytest.approx(expected)
    assert gw.best_return(GRID) == gw.discounted_return(play(SAFE_ROUTE).rewards, 1.0)


@pytest.mark.parametrize(
    ("grid", "message"),
    [
        (Grid(pits=frozenset({(1, 3), (1, 4), (2, 4)}) | gw._PITS), "cannot be reached"),
        (Grid(walls=frozenset({(0, 3), (1, 4)})), "cannot be reached"),
        (Grid(goal=(1, 1)), "goal"),
        (Grid(start=(5, 0)), "outside"),
        (Grid(start=(0, 4)), "differ"),
        (Grid(max_steps=5), "8 steps"),
    ],
)
def test_broken_grids_are_refused(grid: Grid, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        grid.validate()


def test_q_learning_learns_the_grid_and_finds_the_shortest_route() -> None:
    """The same Q-learning that solves FrozenLake learns the student's grid."""
    result = train(ENV_ID, 300, 0, env_kwargs={"grid": GRID}, gamma=0.95)
    assert result.success_rate == 1.0
    walk = greedy_walk(GRID, result.q_table)
    assert walk.outcome == "goal" and walk.steps == gw.shortest_path_length(GRID)
    values = gw.value_grid(GRID, result.q_table)
    along = [values[GRID.cell(s)] for s in walk.path[:-1]]
    assert along[0] > 0 and np.all(np.diff(along) > 0)  # each step on the route is worth more
    assert gw.policy_arrows(GRID, result.q_table)[4][0] == "→"


def test_the_environment_follows_the_grid_rules() -> None:
    tiny = Grid(rows=2, cols=2, start=(1, 0), goal=(0, 1), pits=frozenset(), walls=frozenset(),
                max_steps=3)  # fmt: skip
    env = make_env(ENV_ID, {"grid": tiny})
    try:
        state, _ = env.reset(seed=0)
        assert state == tiny.state(tiny.start) and env.spec.max_episode_steps is None
        assert env.observation_space.n == 4 and env.action_space.n == 4
        _, reward, terminated, truncated, info = env.step(LEFT)
        assert (reward, terminated, truncated, info["outcome"]) == (-1.0, False, False, "bumped")
        env.step(DOWN)
        _, reward, terminated, truncated, info = env.step(LEFT)
        assert (terminated, truncated, info["outcome"]) == (False, True, "timeout")
        env.reset()
        env.step(UP)
        _, reward, terminated, truncated, info = env.step(RIGHT)
        assert (reward, terminated, truncated, info["outcome"]) == (10.0, True, False, "goal")
    finally:
        env.close()
    with pytest.raises(ValueError, match="8 steps"):
        make_env(ENV_ID, {"grid": Grid(max_steps=3)})


def test_value_grid_and_arrows_of_an_untrained_table() -> None:
    q = np.zeros((GRID.n_states, GRID.n_actions))
    values = gw.value_grid(GRID, q)
    assert values.shape == (5, 5)
    assert np.isnan(values[0, 2]) and np.isnan(values[3, 0]) and values[4, 0] == 0.0
    arrows = gw.policy_arrows(GRID, q)
    assert len(arrows) == 5 and all(len(row) == 5 for row in arrows)
    assert arrows[4][0] == gw.UNTRAINED
    assert arrows[0][2] == arrows[1][1] == arrows[0][4] == ""
    q[GRID.state((2, 2)), LEFT] = 1.0
    assert gw.policy_arrows(GRID, q)[2][2] == "←"
    with pytest.raises(ValueError, match="shape"):
        gw.value_grid(GRID, np.zeros((16, 4)))


def test_importing_the_grid_does_not_import_gymnasium() -> None:
    code = "import sys, core.rl.gridworld; assert 'gymnasium' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[3])
