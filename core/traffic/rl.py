"""Reinforcement learning for one traffic signal, CleanRL-style: hyperparameters in one
dataclass, one function that trains. The agent sees sumo-rl's observation (current green, lane
densities and queues), picks the next green every 5 s, and is rewarded for reducing the total
waiting time (sumo-rl's "diff-waiting-time"). stable-baselines3 and torch load only here."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.jobs import JobContext, Progress, silent
from core.learner_files import traffic_dir
from core.traffic.errors import TrafficInputError
from core.traffic.scenarios import Demand, write_routes
from core.traffic.simulation import Setup, SimResult, make_env
from core.traffic.sumo import NETWORKS

ALGORITHMS = ("ppo", "dqn")
# What a trained policy is tested against, on the same arrivals: Webster's plan, then the
# network's own fixed plan.
PLANS = ("tuned_fixed_time", "fixed_time")
TRAINING_SHARE = 0.85  # of the job's progress bar; the three test runs share the rest


@dataclass(frozen=True)
class RlSettings:
    algorithm: str = "ppo"
    timesteps: int = 20_000  # decisions; one decision = 5 simulated seconds
    scenario: str = "lopsided"
    demand: float = 1.0
    episode_seconds: int = 1800
    learning_rate: float = 1e-3
    gamma: float = 0.99
    seed: int = 0

    def check(self) -> None:
        if self.algorithm not in ALGORITHMS:
            raise TrafficInputError("unknown_controller", value=self.algorithm, choices="ppo, dqn")
        TrafficInputError.check_ranges(
            ("timesteps", self.timesteps, 64, 500_000),
            ("episode_seconds", self.episode_seconds, 300, 7200),
            ("learning_rate", self.learning_rate, 1e-5, 0.1),
            ("gamma", self.gamma, 0.5, 0.999),
        )
        Demand(self.scenario, self.demand).check()


@dataclass(frozen=True)
class TrainingPoint:
    timesteps: int
    queue: float  # halted vehicles at the signal, averaged over the last report window
    episode_reward: float | None  # mean return of finished episodes so far (None before one ends)


@dataclass(frozen=True)
class TrainedPolicy:
    path: str  # the saved policy; simulate(f"rl:{path}") runs it
    settings: RlSettings
    history: tuple[TrainingPoint, ...]
    seconds: float
    stopped: bool


@dataclass(frozen=True)
class Outcome:
    policy: TrainedPolicy
    results: tuple[SimResult, ...]  # the policy, then each of PLANS


def _env(settings: RlSettings, folder: Path) -> Any:
    """sumo-rl's single-agent view of the one signal (what stable-baselines3 expects)."""
    network = NETWORKS["single-intersection"]
    routes = write_routes(
        network, Demand(settings.scenario, settings.demand), settings.episode_seconds, folder
    )
    return make_env(network, routes, settings.episode_seconds, settings.seed, single_agent=True)


def train_policy(
    settings: RlSettings,
    folder: Path,
    report: Progress = silent,
    continue_from: str | None = None,
) -> TrainedPolicy:
    """Train, reporting a TrainingPoint about every 1 % of the budget; report returning False
    stops early (the policy so far is still saved and usable). ``continue_from`` resumes a saved
    policy of the same algorithm for ``settings.timesteps`` more decisions."""
    settings.check()
    import torch
    from stable_baselines3 import DQN, PPO
    from stable_baselines3.common.callbacks import BaseCallback
    from stable_baselines3.common.monitor import Monitor

    torch.set_num_threads(1)
    folder.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    env = Monitor(_env(settings, folder))
    history: list[TrainingPoint] = []
    every = max(settings.timesteps // 100, 60)

    class Reporter(BaseCallback):
        def __init__(self) -> None:
            super().__init__()
            self.queues: list[float] = []
            self.stopped = False

        def _on_step(self) -> bool:
            self.queues += [float(i.get("system_total_stopped", 0)) for i in self.locals["infos"]]
            if self.num_timesteps % every:
                return True
            episodes = [float(e["r"]) for e in self.model.ep_info_buffer or ()]
            point = TrainingPoint(
                self.num_timesteps,
                sum(self.queues) / max(len(self.queues), 1),
                sum(episodes) / len(episodes) if episodes else None,
            )
            self.queues = []
            history.append(point)
            self.stopped = not report(self.num_timesteps / settings.timesteps, point)
            return not self.stopped

    if continue_from is not None:
        model: Any = load_policy(continue_from)
        model.set_env(env)
    elif settings.algorithm == "ppo":
        n_steps = min(360, settings.timesteps)
        model = PPO("MlpPolicy", env, learning_rate=settings.learning_rate, n_steps=n_steps,
                         batch_size=math.gcd(n_steps, 60), gamma=settings.gamma, seed=settings.seed,
                         device="cpu", verbose=0)  # fmt: skip
    else:
        model = DQN("MlpPolicy", env, learning_rate=settings.learning_rate, gamma=settings.gamma,
                    learning_starts=min(500, settings.timesteps // 4), buffer_size=50_000,
                    train_freq=1, target_update_interval=500, exploration_fraction=0.3,
                    seed=settings.seed, device="cpu", verbose=0)  # fmt: skip
    reporter = Reporter()
    try:
        model.learn(
            total_timesteps=settings.timesteps,
            callback=reporter,
            reset_num_timesteps=continue_from is None,
        )
    finally:
        env.close()
    path = folder / f"{settings.algorithm}-{settings.scenario}-{settings.seed}.zip"
    model.save(str(path))
    return TrainedPolicy(
        str(path), settings, tuple(history), time.perf_counter() - start, reporter.stopped
    )


def load_policy(path: str) -> Any:
    """A saved PPO or DQN policy; the file name starts with the algorithm."""
    file = Path(path)
    if not file.is_file():
        raise TrafficInputError("no_policy", path=path)
    from stable_baselines3 import DQN, PPO

    loader = DQN if file.name.startswith("dqn") else PPO
    return loader.load(str(file), device="cpu")


def policy_folder(user_id: int) -> Path:
    """Where one learner's trained policies are saved (on the machine that trains them)."""
    return traffic_dir(user_id)  # core.learner_files: deleted with the student's data


def train_job(
    ctx: JobContext, setup: Setup, settings: RlSettings, user_id: int
) -> Outcome | TrafficInputError:
    """The RL tab's background job: train (each TrainingPoint a live update), then run the
    policy and PLANS on ``setup``'s arrivals. A Stop ends training early; the policy so far is
    still tested. Input the lab cannot use is the result, for the page to explain."""
    try:
        policy = train_policy(
            settings,
            policy_folder(user_id),
            lambda progress, point: ctx.report(TRAINING_SHARE * progress, point),
        )
        results: list[SimResult] = []
        for i, controller in enumerate((f"rl:{policy.path}", *PLANS), start=1):
            results.append(setup.run(controller))
            ctx.report(TRAINING_SHARE + (1 - TRAINING_SHARE) * i / (1 + len(PLANS)))
    except TrafficInputError as error:
        return error
    return Outcome(policy, tuple(results))
