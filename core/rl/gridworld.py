"""A small gridworld to *be* the agent before watching one learn.

The student first plays it by hand, one click per action, and feels what the agent feels: each
step costs a little, a pit ends the episode badly, the goal ends it well, and the return is the
sum of the rewards along the way. Then Q-learning (``core.rl.q_learning``, the same code that
solves FrozenLake) learns the very same grid through the gymnasium environment registered under
``ENV_ID``, and the page shows its value heatmap and greedy arrows.

The default layout is built so that the obvious routes fail: straight up from the start is a
wall, along the bottom row a wall and then a pit, and the left column is a dead end. The only
shortest route (8 steps) is a staircase squeezed between pits.

Cells are ``(row, col)`` with row 0 at the top; state = ``row * cols + col``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

Cell = tuple[int, int]
Floats = npt.NDArray[np.float64]
Outcome = Literal["moved", "bumped", "goal", "pit", "timeout"]

ACTIONS: tuple[str, ...] = ("up", "right", "down", "left")
ARROWS: tuple[str, ...] = ("↑", "→", "↓", "←")
UNTRAINED = "·"
_MOVES: tuple[Cell, ...] = ((-1, 0), (0, 1), (1, 0), (0, -1))

ENV_ID = "ZerdeGrid-v0"

#     c0 c1 c2 c3 c4
# r0   .  .  #  .  G
# r1   .  P  P  .  .
# r2   .  .  .  .  P
# r3   #  .  P  .  .
# r4   S  .  .  #  .
_PITS: frozenset[Cell] = frozenset({(1, 1), (1, 2), (2, 4), (3, 2)})
_WALLS: frozenset[Cell] = frozenset({(0, 2), (3, 0), (4, 3)})


@dataclass(frozen=True)
class Grid:
    rows: int = 5
    cols: int = 5
    start: Cell = (4, 0)
    goal: Cell = (0, 4)
    pits: frozenset[Cell] = field(default=_PITS)
    walls: frozenset[Cell] = field(default=_WALLS)
    step_reward: float = -1.0  # the cost of time: makes short routes better than long ones
    goal_reward: float = 10.0
    pit_reward: float = -10.0
    max_steps: int = 40  # the episode ends as "timeout" after this many actions

    @property
    def n_states(self) -> int:
        return self.rows * self.cols

    @property
    def n_actions(self) -> int:
        return len(ACTIONS)

    def inside(self, cell: Cell) -> bool:
        return 0 <= cell[0] < self.rows and 0 <= cell[1] < self.cols

    def state(self, cell: Cell) -> int:
        if not self.inside(cell):
            raise ValueError(f"cell {cell} is outside the {self.rows}x{self.cols} grid")
        return cell[0] * self.cols + cell[1]

    def cell(self, state: int) -> Cell:
        if not 0 <= state < self.n_states:
            raise ValueError(f"state {state} is outside 0..{self.n_states - 1}")
        row, col = divmod(int(state), self.cols)
        return row, col

    def validate(self) -> None:
        if not (2 <= self.rows <= 12 and 2 <= self.cols <= 12):
            raise ValueError("the grid must have 2 to 12 rows and columns")
        for name, cell in (("start", self.start), ("goal", self.goal)):
            if not self.inside(cell):
                raise ValueError(f"{name} {cell} is outside the grid")
            if cell in self.walls or cell in self.pits:
                raise ValueError(f"{name} {cell} is on a wall or a pit")
        if self.start == self.goal:
            raise ValueError("start and goal must differ")
        if not all(self.inside(c) for c in self.walls | self.pits):
            raise ValueError("every wall and pit must be inside the grid")
        if self.walls & self.pits:
            raise ValueError("a cell cannot be both a wall and a pit")
        if not 1 <= self.max_steps <= 1000:
            raise ValueError("max_steps must be between 1 and 1000")
        length = _bfs(self)
        if length is None:
            raise ValueError("the goal cannot be reached from the start without crossing a pit")
        if length > self.max_steps:
            raise ValueError(
                f"the goal needs {length} steps but episodes end after {self.max_steps}"
            )


@dataclass(frozen=True)
class Transition:
    state: int
    reward: float
    done: bool
    outcome: Outcome


def _target(grid: Grid, state: int, action: int) -> Cell | None:
    """The cell the action leads to, or None when a wall or the edge stops it."""
    if not 0 <= action < len(ACTIONS):
        raise ValueError(f"action must be 0..{len(ACTIONS) - 1} ({', '.join(ACTIONS)})")
    row, col = grid.cell(state)
    d_row, d_col = _MOVES[action]
    cell = (row + d_row, col + d_col)
    return cell if grid.inside(cell) and cell not in grid.walls else None


def step(grid: Grid, state: int, action: int, steps_taken: int) -> Transition:
    """One action from ``state``, ``steps_taken`` actions into the episode.

    The goal and pit rewards *replace* the step reward rather than add to it, so the numbers the
    student sees on the board are exactly what the agent receives. A bump into a wall or the edge
    still costs a step: wasting time is the lesson. Reaching ``max_steps`` ends the episode as a
    timeout unless that very step found the goal or a pit."""
    cell = _target(grid, state, action)
    outcome: Outcome
    if cell is None:
        following, outcome = state, "bumped"
    else:
        following, outcome = grid.state(cell), "moved"
    if cell == grid.goal:
        return Transition(following, grid.goal_reward, True, "goal")
    if cell in grid.pits:
        return Transition(following, grid.pit_reward, True, "pit")
    if steps_taken + 1 >= grid.max_steps:
        return Transition(following, grid.step_reward, True, "timeout")
    return Transition(following, grid.step_reward, False, outcome)


@dataclass(frozen=True)
class Play:
    """A hand-played episode. Immutable, so the page can keep it in session state and every click
    makes a new one."""

    state: int
    rewards: tuple[float, ...] = ()
    path: tuple[int, ...] = ()  # states visited, the start included; a bump repeats the state
    outcome: Outcome | None = None  # how the episode ended; None while it goes on
    last: Outcome | None = None  # what the latest click did ("bumped", ...), for feedback

    @property
    def done(self) -> bool:
        return self.outcome is not None

    @property
    def steps(self) -> int:
        return len(self.rewards)


def new_play(grid: Grid) -> Play:
    start = grid.state(grid.start)
    return Play(start, path=(start,))


def move(grid: Grid, play: Play, action: int) -> Play:
    if play.done:
        raise ValueError(f"the episode is over ({play.outcome}): start a new one")
    t = step(grid, play.state, action, play.steps)
    return Play(
        t.state,
        (*play.rewards, t.reward),
        (*play.path, t.state),
        t.outcome if t.done else None,
        t.outcome,
    )


def discounted_return(rewards: Sequence[float], gamma: float) -> float:
    """G = r_0 + gamma r_1 + gamma^2 r_2 + ...: what the agent maximises."""
    if not 0 <= gamma <= 1:
        raise ValueError("gamma must be in [0, 1]")
    return float(sum(r * gamma**t for t, r in enumerate(rewards)))


def _bfs(grid: Grid) -> int | None:
    """Fewest actions from start to goal through cells that are neither walls nor pits."""
    distance = {grid.start: 0}
    queue = deque([grid.start])
    while queue:
        cell = queue.popleft()
        if cell == grid.goal:
            return distance[cell]
        for d_row, d_col in _MOVES:
            nxt = (cell[0] + d_row, cell[1] + d_col)
            if (
                grid.inside(nxt)
                and nxt not in grid.walls
                and nxt not in grid.pits
                and nxt not in distance
            ):
                distance[nxt] = distance[cell] + 1
                queue.append(nxt)
    return None


def shortest_path_length(grid: Grid) -> int:
    length = _bfs(grid)
    if length is None:
        raise ValueError("the goal cannot be reached from the start without crossing a pit")
    return length


def best_return(grid: Grid, gamma: float = 1.0) -> float:
    """The return of the shortest safe route: the score to beat when playing by hand."""
    length = shortest_path_length(grid)
    return discounted_return([grid.step_reward] * (length - 1) + [grid.goal_reward], gamma)


def _check_table(grid: Grid, q_table: Floats) -> None:
    if q_table.shape != (grid.n_states, grid.n_actions):
        raise ValueError(
            f"Q-table of shape {q_table.shape} does not fit a grid with "
            f"{grid.n_states} states and {grid.n_actions} actions"
        )


def value_grid(grid: Grid, q_table: Floats) -> Floats:
    """max_a Q(s, a) laid out as the board (NaN on walls), for a heatmap. Pits and the goal end the
    episode, so the agent never acts there and their entries stay at the table's start value."""
    _check_table(grid, q_table)
    values: Floats = np.asarray(q_table, dtype=np.float64).max(axis=1).reshape(grid.rows, grid.cols)
    for row, col in grid.walls:
        values[row, col] = np.nan
    return values


def policy_arrows(grid: Grid, q_table: Floats, arrows: Sequence[str] = ARROWS) -> list[list[str]]:
    """The greedy action in every cell as an arrow; "·" where the agent has no preference yet
    (all entries equal, as in an untrained table), "" where it never acts. ``arrows`` follows the
    environment's action order (FrozenLake's is left, down, right, up)."""
    _check_table(grid, q_table)
    board: list[list[str]] = []
    for row in range(grid.rows):
        line = []
        for col in range(grid.cols):
            cell = (row, col)
            q_row = q_table[grid.state(cell)]
            if cell in grid.walls or cell in grid.pits or cell == grid.goal:
                line.append("")
            elif np.all(q_row == q_row[0]):
                line.append(UNTRAINED)
            else:
                line.append(arrows[int(np.argmax(q_row))])
        board.append(line)
    return board


_env_class: type[Any] | None = None


def _grid_env_class() -> type[Any]:
    """The gymnasium environment, defined on first use so that importing this module (at app
    start, for the hand-played game) does not import gymnasium."""
    global _env_class  # noqa: PLW0603 - a one-time lazy definition
    if _env_class is not None:
        return _env_class
    import gymnasium as gym
    from gymnasium import spaces

    class GridEnv(gym.Env[np.int64, np.int64]):
        metadata: dict[str, Any] = {"render_modes": ["ansi"], "render_fps": 4}  # noqa: RUF012 - gymnasium's API

        def __init__(self, grid: Grid | None = None, render_mode: str | None = None) -> None:
            self.grid = grid or Grid()
            self.grid.validate()
            if render_mode not in (None, "ansi"):
                raise ValueError(f"render_mode {render_mode!r} is not supported (only 'ansi')")
            self.render_mode = render_mode
            self.observation_space = spaces.Discrete(self.grid.n_states)
            self.action_space = spaces.Discrete(self.grid.n_actions)
            self._state = self.grid.state(self.grid.start)
            self._steps = 0

        def reset(
            self, *, seed: int | None = None, options: dict[str, Any] | None = None
        ) -> tuple[np.int64, dict[str, Any]]:
            super().reset(seed=seed)
            self._state, self._steps = self.grid.state(self.grid.start), 0
            return np.int64(self._state), {}

        def step(self, action: np.int64) -> tuple[np.int64, float, bool, bool, dict[str, Any]]:
            t = step(self.grid, self._state, int(action), self._steps)
            self._state, self._steps = t.state, self._steps + 1
            terminated = t.outcome in ("goal", "pit")
            truncated = t.outcome == "timeout"
            return np.int64(t.state), t.reward, terminated, truncated, {"outcome": t.outcome}

        def render(self) -> str | None:
            if self.render_mode != "ansi":
                return None
            return render_text(self.grid, self._state)

    _env_class = GridEnv
    return GridEnv


def _make_env(grid: Grid | None = None, render_mode: str | None = None) -> Any:
    return _grid_env_class()(grid=grid, render_mode=render_mode)


def ensure_registered() -> None:
    """Register ``ENV_ID`` with gymnasium once. No ``max_episode_steps``: the grid's own
    ``max_steps`` ends an episode, as a truncation, so a wrapper must not cut it earlier."""
    import gymnasium as gym

    if ENV_ID not in gym.registry:
        gym.register(ENV_ID, entry_point=f"{__name__}:_make_env")


def render_text(grid: Grid, state: int | None = None) -> str:
    """The board as text: S start, G goal, P pit, # wall, A the agent."""
    agent = grid.cell(state) if state is not None else None
    lines = []
    for row in range(grid.rows):
        line = ""
        for col in range(grid.cols):
            cell = (row, col)
            if cell == agent:
                line += "A"
            elif cell in grid.walls:
                line += "#"
            elif cell in grid.pits:
                line += "P"
            elif cell == grid.goal:
                line += "G"
            elif cell == grid.start:
                line += "S"
            else:
                line += "."
        lines.append(line)
    return "\n".join(lines)
