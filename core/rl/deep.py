"""Deep reinforcement learning with stable-baselines3: DQN, PPO and A2C on classic-control tasks.

A table cannot hold CartPole's states (four real numbers), so a small neural network estimates
action values (DQN) or the policy itself (PPO and A2C, the policy-gradient family). The
hyperparameters are the tuned ones from the RL Baselines3 Zoo (hyperparams/*.yml in
DLR-RM/rl-baselines3-zoo), written out so the lesson can show them; with SB3's defaults PPO
needs several times more steps on CartPole.

Training is slow Python work: the page runs ``train`` in a background job, one torch thread per
training (more threads only fight each other on a shared classroom laptop), and follows it
through ``callback``: it receives a ``Progress`` every few hundred steps and stops the training
by returning False.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from core.jobs.context import JobContext
from core.rl.replay import Replay, record, sb3_policy

Algo = Literal["ppo", "a2c", "dqn"]
ALGOS: tuple[Algo, ...] = ("ppo", "a2c", "dqn")
POLICY_GRADIENT: frozenset[str] = frozenset({"ppo", "a2c"})


@dataclass(frozen=True)
class Task:
    env_id: str
    solved_at: float  # mean evaluation reward that counts as solved (gymnasium's reward_threshold)
    max_steps: int  # episode length limit
    default_timesteps: int


TASKS: dict[str, Task] = {
    "CartPole-v1": Task("CartPole-v1", 475.0, 500, 40_000),
    "Acrobot-v1": Task("Acrobot-v1", -100.0, 500, 60_000),
}
MAX_TIMESTEPS = 300_000


def _linear(start: float) -> Callable[[float], float]:
    """A schedule falling linearly to 0 over training (the Zoo's ``lin_<start>``)."""
    return lambda remaining: remaining * start


def hyperparameters(algo: Algo, env_id: str) -> dict[str, Any]:
    """The Zoo's tuned settings; ``n_envs`` is how many copies of the task collect experience."""
    tuned: dict[tuple[str, str], dict[str, Any]] = {
        ("ppo", "CartPole-v1"): dict(
            n_envs=8, n_steps=32, batch_size=256, gae_lambda=0.8, gamma=0.98, n_epochs=20,
            ent_coef=0.0, learning_rate=_linear(0.001), clip_range=_linear(0.2),
        ),
        ("a2c", "CartPole-v1"): dict(n_envs=8, ent_coef=0.0),
        ("dqn", "CartPole-v1"): dict(
            n_envs=1, learning_rate=2.3e-3, batch_size=64, buffer_size=100_000,
            learning_starts=1000, gamma=0.99, target_update_interval=10, train_freq=256,
            gradient_steps=128, exploration_fraction=0.16, exploration_final_eps=0.04,
            policy_kwargs={"net_arch": [256, 256]},
        ),
        ("ppo", "Acrobot-v1"): dict(
            n_envs=16, n_steps=256, gae_lambda=0.94, gamma=0.99, n_epochs=4, ent_coef=0.0,
        ),
        ("a2c", "Acrobot-v1"): dict(n_envs=16, ent_coef=0.0),
        ("dqn", "Acrobot-v1"): dict(
            n_envs=1, learning_rate=6.3e-4, batch_size=128, buffer_size=50_000,
            learning_starts=0, gamma=0.99, target_update_interval=250, train_freq=4,
            gradient_steps=-1, exploration_fraction=0.12, exploration_final_eps=0.1,
            policy_kwargs={"net_arch": [256, 256]},
        ),
    }  # fmt: skip
    if (algo, env_id) not in tuned:
        raise ValueError(f"no settings for {algo} on {env_id}")
    return dict(tuned[(algo, env_id)])


@dataclass(frozen=True)
class Progress:
    timesteps: int
    total: int
    mean_reward: float  # of the last training episodes; nan before the first one ends
    episodes: int
    elapsed_s: float

    @property
    def fraction(self) -> float:
        return min(1.0, self.timesteps / self.total)


@dataclass(frozen=True)
class DeepResult:
    algo: Algo
    env_id: str
    seed: int
    timesteps: int  # steps actually trained (fewer than asked when stopped or solved early)
    mean_eval_reward: float  # greedy policy on fresh episodes
    std_eval_reward: float
    curve: tuple[Progress, ...]
    solved_at: int | None  # first check with eval ≥ the task's threshold (when checks were asked)
    solved_after_s: float | None  # wall time from the start to that check, checks included
    stopped: bool  # the callback asked to stop
    elapsed_s: float
    checks_s: float  # of elapsed_s, the time spent checking whether the task is solved
    model: Any = field(repr=False, compare=False)

    @property
    def steps_per_s(self) -> float:
        return self.timesteps / self.elapsed_s if self.elapsed_s > 0 else 0.0

    @property
    def solved(self) -> bool:
        return self.mean_eval_reward >= TASKS[self.env_id].solved_at


def _check(algo: str, env_id: str, timesteps: int) -> Task:
    if algo not in ALGOS:
        raise ValueError(f"unknown algorithm {algo!r}; choose one of {', '.join(ALGOS)}")
    if env_id not in TASKS:
        raise ValueError(f"unknown task {env_id!r}; choose one of {', '.join(TASKS)}")
    if not 1_000 <= timesteps <= MAX_TIMESTEPS:
        raise ValueError(f"timesteps must be between 1 000 and {MAX_TIMESTEPS:,}")
    return TASKS[env_id]


def _algo_class(algo: Algo) -> Any:
    from stable_baselines3 import A2C, DQN, PPO

    return {"ppo": PPO, "a2c": A2C, "dqn": DQN}[algo]


def build(algo: Algo, env_id: str, seed: int) -> Any:
    """A fresh, untrained agent with the tuned settings, on ``n_envs`` copies of the task."""
    import torch
    from stable_baselines3.common.env_util import make_vec_env

    torch.set_num_threads(1)
    settings = hyperparameters(algo, env_id)
    env = make_vec_env(env_id, n_envs=settings.pop("n_envs"), seed=seed)
    return _algo_class(algo)("MlpPolicy", env, seed=seed, device="cpu", verbose=0, **settings)


def evaluate(model: Any, env_id: str, episodes: int = 10, seed: int = 0) -> tuple[float, float]:
    """Mean and spread of the reward of the greedy (deterministic) policy, all episodes run side
    by side in one batch so a check costs one forward pass per step, not per episode."""
    from stable_baselines3.common.env_util import make_vec_env
    from stable_baselines3.common.evaluation import evaluate_policy

    env = make_vec_env(env_id, n_envs=episodes, seed=seed + 100_000)
    try:
        rewards, _ = evaluate_policy(
            model, env, n_eval_episodes=episodes, deterministic=True, return_episode_rewards=True
        )
    finally:
        env.close()
    return float(np.mean(rewards)), float(np.std(rewards))


def _callback_class() -> type:
    from stable_baselines3.common.callbacks import BaseCallback

    class Reporter(BaseCallback):
        """Reports progress every ``every`` steps and, when asked, checks whether the greedy
        policy already solves the task (then training ends early)."""

        def __init__(self, run: _Run) -> None:
            super().__init__()
            self.run = run
            self.next_report = run.every
            self.next_check = run.check_every or math.inf

        def _on_step(self) -> bool:
            steps = int(self.num_timesteps)
            if steps >= self.next_check:
                self.next_check += self.run.check_every
                if self.run.solved_now(self.model, steps):
                    return False
            if steps < self.next_report:
                return True
            self.next_report += self.run.every
            return self.run.report(steps, self.model.ep_info_buffer)

    return Reporter


@dataclass
class _Run:
    task: Task
    total: int
    every: int
    check_every: int
    callback: Callable[[Progress], bool | None] | None
    started: float = field(default_factory=time.perf_counter)
    curve: list[Progress] = field(default_factory=list)
    episodes: int = 0
    stopped: bool = False
    solved_at: int | None = None
    solved_after_s: float | None = None
    checks_s: float = 0.0

    def report(self, steps: int, infos: Any) -> bool:
        recent = [float(info["r"]) for info in list(infos)[-10:]]
        point = Progress(
            timesteps=steps,
            total=self.total,
            mean_reward=sum(recent) / len(recent) if recent else math.nan,
            episodes=len(infos),
            elapsed_s=time.perf_counter() - self.started,
        )
        self.curve.append(point)
        if self.callback is not None and self.callback(point) is False:
            self.stopped = True
            return False
        return True

    def solved_now(self, model: Any, steps: int) -> bool:
        started = time.perf_counter()
        mean, _ = evaluate(model, self.task.env_id)
        self.checks_s += time.perf_counter() - started
        if mean >= self.task.solved_at:
            self.solved_at, self.solved_after_s = steps, time.perf_counter() - self.started
        return self.solved_at is not None


def train(
    algo: str,
    env_id: str,
    timesteps: int,
    seed: int,
    callback: Callable[[Progress], bool | None] | None = None,
    *,
    report_every: int | None = None,
    check_solved_every: int = 0,
    eval_episodes: int = 10,
) -> DeepResult:
    """Train ``algo`` on ``env_id`` for up to ``timesteps`` steps and evaluate the result.

    ``callback`` gets a Progress about every ``report_every`` steps (default: 1 % of the budget);
    returning False stops the training, which keeps what was learnt so far. With
    ``check_solved_every`` > 0 the greedy policy is evaluated that often and training ends as soon
    as it solves the task (the benchmark's "time to solve")."""
    task = _check(algo, env_id, timesteps)
    started = time.perf_counter()
    model = build(algo, env_id, seed)  # type: ignore[arg-type]
    run = _Run(
        task=task,
        total=timesteps,
        every=report_every or max(100, timesteps // 100),
        check_every=check_solved_every,
        callback=callback,
        started=started,
    )
    model.learn(total_timesteps=timesteps, callback=_callback_class()(run))
    trained = int(model.num_timesteps)
    mean, std = evaluate(model, env_id, eval_episodes, seed)
    return DeepResult(
        algo=algo,  # type: ignore[arg-type]
        env_id=env_id,
        seed=seed,
        timesteps=trained,
        mean_eval_reward=mean,
        std_eval_reward=std,
        curve=tuple(run.curve),
        solved_at=run.solved_at,
        solved_after_s=run.solved_after_s,
        stopped=run.stopped,
        elapsed_s=time.perf_counter() - started,
        checks_s=run.checks_s,
        model=model,
    )


def train_job(ctx: JobContext, algo: Algo, env_id: str, timesteps: int, seed: int) -> DeepResult:
    """The lessons' training job: ``train`` with every Progress reported as a live update."""
    return train(algo, env_id, timesteps, seed, callback=lambda p: ctx.report(p.fraction, p))


def save(model: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    model.save(path)


def load(algo: Algo, path: Path) -> Any:
    """A saved agent, ready to act and to be evaluated. A damaged file raises ValueError."""
    import torch

    torch.set_num_threads(1)
    try:
        return _algo_class(algo).load(path, device="cpu")
    except Exception as error:  # SB3 raises zipfile, pickle and key errors for a damaged file
        raise ValueError(f"cannot read the saved agent {path.name}: {error}") from error


def replay(model: Any, env_id: str, seed: int = 0) -> Replay:
    """A video of one greedy episode (every second frame, real time at 25 fps)."""
    return record(sb3_policy(model), env_id, seed=seed, max_steps=TASKS[env_id].max_steps)
