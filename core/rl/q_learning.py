"""Tabular Q-learning, written out in numpy so a student can read every line (CleanRL style: one
algorithm, one file, hyperparameters in a dataclass).

The agent keeps a table Q[state, action]: how much reward it expects from taking the action in
the state and acting well afterwards. After each step it nudges the entry towards what it just
saw, the reward plus the discounted best value of the next state:

    Q[s, a] += alpha * (r + gamma * max(Q[s', ·]) - Q[s, a])

It explores with probability epsilon (a random action) and otherwise exploits the table; epsilon
decays each episode, so the agent moves from trying things to using what it learnt. Works on any
gymnasium environment with discrete states and actions (FrozenLake, Taxi, CliffWalking, ...).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import numpy.typing as npt

from core.jobs.context import JobContext
from core.rl import gridworld
from core.rl.gridworld import Grid
from core.rl.replay import Replay, record, table_policy

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class QLearningParams:
    alpha: float = 0.1  # learning rate: how far one experience moves the table
    gamma: float = 0.99  # discount: 0 = only the next reward counts, near 1 = far-sighted
    epsilon: float = 1.0  # exploration at the start
    epsilon_min: float = 0.05
    epsilon_decay: float = 0.99  # multiplied into epsilon after every episode
    max_steps: int = 200  # per episode, so a wandering agent still ends
    eval_episodes: int = 100

    def validate(self) -> None:
        if not 0 < self.alpha <= 1:
            raise ValueError("alpha must be in (0, 1]")
        if not 0 <= self.gamma <= 1:
            raise ValueError("gamma must be in [0, 1]")
        if not 0 <= self.epsilon_min <= self.epsilon <= 1:
            raise ValueError("need 0 <= epsilon_min <= epsilon <= 1")
        if not 0 < self.epsilon_decay <= 1:
            raise ValueError("epsilon_decay must be in (0, 1]")
        if not 1 <= self.max_steps <= 10_000 or not 1 <= self.eval_episodes <= 10_000:
            raise ValueError("max_steps and eval_episodes must be between 1 and 10 000")


@dataclass(frozen=True)
class Episode:
    number: int  # 1-based
    reward: float
    steps: int
    success: bool
    epsilon: float  # the exploration rate used in this episode


@dataclass(frozen=True)
class QLearningResult:
    env_id: str
    params: QLearningParams
    q_table: Floats  # states x actions
    episodes: tuple[Episode, ...]
    success_rate: float  # of the greedy policy, over params.eval_episodes fresh episodes
    mean_eval_reward: float
    stopped: bool  # on_episode asked to stop early

    @property
    def policy(self) -> npt.NDArray[np.int64]:
        """The greedy action in every state."""
        return np.asarray(np.argmax(self.q_table, axis=1), dtype=np.int64)


def make_env(env_id: str, env_kwargs: dict[str, Any] | None = None, **extra: Any) -> Any:
    import gymnasium as gym

    if env_id == gridworld.ENV_ID:
        gridworld.ensure_registered()
    env = gym.make(env_id, **(env_kwargs or {}), **extra)
    if not hasattr(env.observation_space, "n") or not hasattr(env.action_space, "n"):
        env.close()
        raise ValueError(f"{env_id} has continuous states or actions: no table can hold them")
    return env


def _greedy(q_row: Floats, rng: np.random.Generator) -> int:
    """Best action, ties broken at random (an all-zero row would otherwise always pick action 0)."""
    best = np.flatnonzero(q_row == q_row.max())
    return int(rng.choice(best))


def _params(hyper: dict[str, Any]) -> QLearningParams:
    known = {f.name for f in fields(QLearningParams)}
    unknown = set(hyper) - known
    if unknown:
        raise ValueError(f"unknown hyperparameters: {', '.join(sorted(unknown))}")
    params = QLearningParams(**hyper)
    params.validate()
    return params


def evaluate(
    env_id: str,
    q_table: Floats,
    *,
    episodes: int = 100,
    seed: int = 0,
    env_kwargs: dict[str, Any] | None = None,
    max_steps: int = 200,
) -> tuple[float, float]:
    """Success rate and mean reward of the greedy policy. Success means the episode ended in the
    goal (terminated with a positive last reward): reaching the gift in FrozenLake, delivering
    the passenger in Taxi."""
    env = make_env(env_id, env_kwargs)
    successes, total = 0, 0.0
    try:
        for i in range(episodes):
            state, _ = env.reset(seed=seed + 10_000 + i)
            for _ in range(max_steps):
                state, reward, terminated, truncated, _ = env.step(int(np.argmax(q_table[state])))
                total += float(reward)
                if terminated or truncated:
                    successes += int(terminated and reward > 0)
                    break
    finally:
        env.close()
    return successes / episodes, total / episodes


def train(
    env_id: str,
    episodes: int,
    seed: int,
    env_kwargs: dict[str, Any] | None = None,
    on_episode: Callable[[Episode, Floats], bool] | None = None,
    **hyper: Any,
) -> QLearningResult:
    """Learn a Q-table over ``episodes`` episodes. ``on_episode(episode, q_table)`` is called
    after each one (live curves and heatmaps); returning False stops training early."""
    if not 1 <= episodes <= 100_000:
        raise ValueError("episodes must be between 1 and 100 000")
    params = _params(hyper)
    rng = np.random.default_rng(seed)
    env = make_env(env_id, env_kwargs)
    q = np.zeros((env.observation_space.n, env.action_space.n))
    log: list[Episode] = []
    epsilon, stopped = params.epsilon, False
    try:
        env.action_space.seed(seed)
        for number in range(1, episodes + 1):
            state, _ = env.reset(seed=seed + number)
            total, success, steps = 0.0, False, 0
            for steps in range(1, params.max_steps + 1):  # noqa: B007 - steps is reported
                explore = rng.random() < epsilon
                action = int(rng.integers(q.shape[1])) if explore else _greedy(q[state], rng)
                following, reward, terminated, truncated, _ = env.step(action)
                future = 0.0 if terminated else params.gamma * float(q[following].max())
                q[state, action] += params.alpha * (float(reward) + future - q[state, action])
                total += float(reward)
                state = following
                if terminated or truncated:
                    success = bool(terminated and reward > 0)
                    break
            log.append(Episode(number, total, steps, success, epsilon))
            epsilon = max(params.epsilon_min, epsilon * params.epsilon_decay)
            if on_episode is not None and not on_episode(log[-1], q):
                stopped = True
                break
    finally:
        env.close()
    rate, mean_reward = evaluate(
        env_id, q, episodes=params.eval_episodes, seed=seed, env_kwargs=env_kwargs,
        max_steps=params.max_steps,
    )  # fmt: skip
    return QLearningResult(env_id, params, q, tuple(log), rate, mean_reward, stopped)


TABULAR_TASKS: dict[str, tuple[str, dict[str, Any]]] = {
    "lake": ("FrozenLake-v1", {"is_slippery": False}),
    "lake_slippery": ("FrozenLake-v1", {"is_slippery": True}),
    "taxi": ("Taxi-v4", {}),
}
LAKE_MAP: tuple[str, ...] = ("SFFF", "FHFH", "FFFH", "HFFG")  # gymnasium's default 4×4 lake


def _lake(rows: tuple[str, ...]) -> Grid:
    cells = {ch: [(r, c) for r, row in enumerate(rows) for c, x in enumerate(row) if x == ch]
             for ch in "SGH"}  # fmt: skip
    return Grid(
        rows=len(rows), cols=len(rows[0]), start=cells["S"][0], goal=cells["G"][0],
        pits=frozenset(cells["H"]), walls=frozenset(),
    )  # fmt: skip


LAKE = _lake(LAKE_MAP)  # the lake as a board: holes are pits, so the grid's views draw it too
LAKE_ARROWS: tuple[str, ...] = ("←", "↓", "→", "↑")  # FrozenLake's action order


def train_with_snapshots(
    env_id: str,
    episodes: int,
    seed: int,
    *,
    snapshots: int = 20,
    env_kwargs: dict[str, Any] | None = None,
    **hyper: Any,
) -> tuple[QLearningResult, tuple[tuple[int, Floats], ...]]:
    """Train, keeping copies of the table at ``snapshots`` evenly spaced episodes: the frames of
    an animation of the agent learning."""
    every = max(1, episodes // snapshots)
    kept: list[tuple[int, Floats]] = []

    def keep(episode: Episode, q: Floats) -> bool:
        if episode.number % every == 0 or episode.number == episodes:
            kept.append((episode.number, q.copy()))
        return True

    result = train(env_id, episodes, seed, env_kwargs=env_kwargs, on_episode=keep, **hyper)
    return result, tuple(kept)


@dataclass(frozen=True)
class Live:
    """One live update of a training job: the rewards since the previous one, and on the lake a
    copy of the table (Taxi's 500 × 6 table is not drawn live)."""

    episode: int
    rewards: tuple[float, ...]
    q_table: Floats | None


def train_job(
    ctx: JobContext, task: str, episodes: int, seed: int, params: QLearningParams
) -> QLearningResult:
    """The lesson's training job on one of ``TABULAR_TASKS``: about a hundred live updates."""
    env_id, env_kwargs = TABULAR_TASKS[task]
    every = max(1, episodes // 100)
    lake = task.startswith("lake")
    batch: list[float] = []

    def on_episode(episode: Episode, q: Floats) -> bool:
        batch.append(episode.reward)
        if episode.number % every and episode.number != episodes:
            return not ctx.stop_requested
        update = Live(episode.number, tuple(batch), q.copy() if lake else None)
        batch.clear()
        return ctx.report(episode.number / episodes, update)

    return train(
        env_id, episodes, seed, env_kwargs=env_kwargs, on_episode=on_episode, **vars(params)
    )


def replay(q_table: Floats, env_id: str, env_kwargs: dict[str, Any] | None = None) -> Replay:
    """A video of the greedy agent, slow enough to follow each move on a grid."""
    return record(
        table_policy(q_table), env_id, env_kwargs=env_kwargs, max_steps=100,
        frame_every=1, fps=3,
    )  # fmt: skip
