"""Reinforcement learning for traffic signals, CleanRL-style: hyperparameters in one dataclass,
one function that trains. Every signal of the network is driven by one shared policy (parameter
sharing, as in RESCO's and PettingZoo's multi-agent baselines): each signal is one slot of a
vectorised environment, sees its own sumo-rl observation (current green, lane densities and
queues, padded to the widest signal's, plus which signal it is), picks its next green every
5 s, and is rewarded for reducing its waiting time (sumo-rl's "diff-waiting-time"). On the single
intersection that is plain single-agent RL.

Training episodes draw their random arrivals from seeds the learner can never pick (from
TRAIN_SEED_BASE up), so the test afterwards is always on traffic the policy has not seen. The
live curve is the learning curve: per finished episode, the return and the mean waiting of the
vehicles on the road. stable-baselines3 and torch load only here."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from core.jobs import JobContext, Progress, silent
from core.learner_files import traffic_dir
from core.traffic.controllers import BASELINES
from core.traffic.errors import TrafficInputError
from core.traffic.policy import load_policy, shared_observation
from core.traffic.scenarios import Demand
from core.traffic.simulation import Setup, SimResult, make_env, routes_for, scale_option
from core.traffic.sumo import NETWORKS

ALGORITHMS = ("ppo", "dqn")
# What a trained policy is tested against, on the same unseen arrivals: every baseline.
PLANS = BASELINES
TRAINING_SHARE = 0.7  # of the job's progress bar; the test runs share the rest
TRAIN_SEED_BASE = 20_000  # training arrivals; test seeds are 0..10,000
TEST_SEEDS = 3  # the learner's seed and the next two


@dataclass(frozen=True)
class RlSettings:
    algorithm: str = "ppo"
    timesteps: int = 20_000  # decisions (one per signal per 5 simulated seconds)
    scenario: str = "lopsided"
    demand: float = 1.0
    episode_seconds: int = 1800
    learning_rate: float = 1e-3
    gamma: float = 0.99
    seed: int = 0
    network: str = "single-intersection"

    def check(self) -> None:
        if self.algorithm not in ALGORITHMS:
            raise TrafficInputError("unknown_controller", value=self.algorithm, choices="ppo, dqn")
        if self.network not in NETWORKS:
            raise TrafficInputError(
                "unknown_network", value=self.network, choices=", ".join(NETWORKS)
            )
        longest = NETWORKS[self.network].hour_s if NETWORKS[self.network].real else 7200
        TrafficInputError.check_ranges(
            ("timesteps", self.timesteps, 64, 500_000),
            ("episode_seconds", self.episode_seconds, 300, longest),
            ("learning_rate", self.learning_rate, 1e-5, 0.1),
            ("gamma", self.gamma, 0.5, 0.999),
            ("seed", self.seed, 0, 10_000),
        )
        Demand(self.scenario, self.demand).check()


@dataclass(frozen=True)
class TrainingPoint:
    """One finished training episode: the learning curve's point."""

    timesteps: int  # decisions so far
    episode: int
    episode_return: float  # summed reward of all signals (higher = waiting fell more)
    mean_waiting_s: float  # vehicles on the road, averaged over the episode's decisions


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
    results: tuple[SimResult, ...]  # per test seed: the policy, then each of PLANS

    @property
    def seeds(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(r.seed for r in self.results))


class SharedSignals:
    """sumo-rl's multi-signal environment as a stable-baselines3 VecEnv with one slot per
    signal, so one policy learns from (and drives) all of them. Each episode is a new SUMO run
    on the next training seed."""

    def __init__(self, settings: RlSettings, folder: Path) -> None:
        from gymnasium import spaces

        network = NETWORKS[settings.network]
        demand = Demand(settings.scenario, settings.demand)
        routes = routes_for(network, demand, settings.episode_seconds, folder)
        self.env = make_env(network, routes, settings.episode_seconds, TRAIN_SEED_BASE,
                            scale_option(network, demand))  # fmt: skip
        self.ids = tuple(self.env.ts_ids)
        signals = self.env.traffic_signals
        # each signal's observation padded to the widest, then a one-hot of which signal it is
        self.size = max(signals[ts].observation_space.shape[0] for ts in self.ids) + len(self.ids)
        self.phases = {ts: signals[ts].num_green_phases for ts in self.ids}
        self.num_envs = len(self.ids)
        self.observation_space = spaces.Box(0.0, 1.0, (self.size,), np.float32)
        self.action_space = spaces.Discrete(max(self.phases.values()))
        self.seed_base = TRAIN_SEED_BASE + 1000 * settings.seed
        self.episode = 0
        self.last: dict[str, Any] = {}
        self.actions: Any = None
        self.waiting: list[float] = []

    def _stack(self, observations: dict[str, Any]) -> Any:
        self.last.update(observations)
        count = len(self.ids)
        return np.stack(
            [
                shared_observation(self.last[ts], i, count, self.size)
                for i, ts in enumerate(self.ids)
            ]
        )

    def reset(self) -> Any:
        self.waiting = []
        observations = self.env.reset(seed=self.seed_base + self.episode)
        self.episode += 1
        return self._stack(observations)

    def step(self, actions: Any) -> tuple[Any, Any, Any, list[dict[str, Any]]]:
        chosen = {ts: int(a) % self.phases[ts] for ts, a in zip(self.ids, actions, strict=True)}
        observations, rewards, dones, info = self.env.step(chosen)
        self.waiting.append(float(info["system_mean_waiting_time"]))
        reward = np.array([float(rewards.get(ts, 0.0)) for ts in self.ids], dtype=np.float32)
        done = bool(dones["__all__"])
        stacked = self._stack(observations)
        infos: list[dict[str, Any]] = [{} for _ in self.ids]
        if done:
            mean_waiting = float(np.mean(self.waiting)) if self.waiting else 0.0
            for item, row in zip(infos, stacked, strict=True):
                item["terminal_observation"] = row
                item["TimeLimit.truncated"] = True
                item["mean_waiting_s"] = mean_waiting
            stacked = self.reset()
        return stacked, reward, np.full(self.num_envs, done), infos

    def close(self) -> None:
        self.env.close()


def _vec_env(settings: RlSettings, folder: Path) -> Any:
    """SharedSignals behind stable-baselines3's VecEnv interface (with VecMonitor's episode
    bookkeeping)."""
    from stable_baselines3.common.vec_env import VecEnv, VecMonitor

    shared = SharedSignals(settings, folder)

    class Vec(VecEnv):
        def __init__(self) -> None:
            super().__init__(shared.num_envs, shared.observation_space, shared.action_space)

        def reset(self) -> Any:
            return shared.reset()

        def step_async(self, actions: Any) -> None:
            shared.actions = actions

        def step_wait(self) -> Any:
            return shared.step(shared.actions)

        def close(self) -> None:
            shared.close()

        def get_attr(self, attr_name: str, indices: Any = None) -> list[Any]:
            return [getattr(shared, attr_name, None)] * self.num_envs

        def set_attr(self, attr_name: str, value: Any, indices: Any = None) -> None:
            return None

        def env_method(self, method_name: str, *args: Any, indices: Any = None,
                       **kwargs: Any) -> list[Any]:  # fmt: skip
            return [None] * self.num_envs

        def env_is_wrapped(self, wrapper_class: Any, indices: Any = None) -> list[bool]:
            return [False] * self.num_envs

    return VecMonitor(Vec())


def train_policy(
    settings: RlSettings,
    folder: Path,
    report: Progress = silent,
    continue_from: str | None = None,
) -> TrainedPolicy:
    """Train, reporting a TrainingPoint for every finished episode (and progress about every
    1 % of the budget); report returning False stops early (the policy so far is still saved and
    usable). ``continue_from`` resumes a saved policy of the same algorithm for
    ``settings.timesteps`` more decisions."""
    settings.check()
    import torch
    from stable_baselines3 import DQN, PPO
    from stable_baselines3.common.callbacks import BaseCallback

    torch.set_num_threads(1)
    folder.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    env = _vec_env(settings, folder)
    history: list[TrainingPoint] = []
    every = max(settings.timesteps // 100, 60)

    class Reporter(BaseCallback):
        def __init__(self) -> None:
            super().__init__()
            self.stopped = False
            self.next_report = every

        def _on_step(self) -> bool:
            progress = self.num_timesteps / settings.timesteps
            infos = self.locals["infos"]
            if "episode" in infos[0]:
                point = TrainingPoint(
                    self.num_timesteps,
                    len(history) + 1,
                    float(sum(i["episode"]["r"] for i in infos)),
                    float(infos[0].get("mean_waiting_s", 0.0)),
                )
                history.append(point)
                self.stopped = not report(progress, point)
            elif self.num_timesteps >= self.next_report:
                self.next_report += every
                self.stopped = not report(progress, None)
            return not self.stopped

    n_steps = max(8, min(360, settings.timesteps) // env.num_envs)
    if continue_from is not None:
        model: Any = load_policy(continue_from)
        model.set_env(env)
    elif settings.algorithm == "ppo":
        batch = math.gcd(n_steps * env.num_envs, 60)
        model = PPO("MlpPolicy", env, learning_rate=settings.learning_rate, n_steps=n_steps,
                    batch_size=batch, gamma=settings.gamma, seed=settings.seed, device="cpu",
                    verbose=0)  # fmt: skip
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
    path = (
        folder / f"{settings.algorithm}-{settings.network}-{settings.scenario}-{settings.seed}.zip"
    )
    model.save(str(path))
    return TrainedPolicy(
        str(path), settings, tuple(history), time.perf_counter() - start, reporter.stopped
    )


def policy_folder(user_id: int) -> Path:
    """Where one learner's trained policies are saved (on the machine that trains them)."""
    return traffic_dir(user_id)  # core.learner_files: deleted with the student's data


def evaluation_seeds(seed: int, count: int = TEST_SEEDS) -> tuple[int, ...]:
    """The learner's seed and the next ones (wrapping inside 0..10,000): never a training seed."""
    return tuple((seed + k) % 10_001 for k in range(count))


def train_job(
    ctx: JobContext, setup: Setup, settings: RlSettings, user_id: int, seeds: int = TEST_SEEDS
) -> Outcome | TrafficInputError:
    """The RL tab's background job: train (each finished episode a live update), then run the
    policy and every baseline on ``seeds`` test seeds from ``setup.seed`` (arrivals training
    never saw). A Stop ends training early; the policy so far is still tested. Input the lab
    cannot use is the result, for the page to explain."""
    try:
        policy = train_policy(
            settings,
            policy_folder(user_id),
            lambda progress, point: ctx.report(TRAINING_SHARE * progress, point),
        )
        results: list[SimResult] = []
        runs = [
            (s, c)
            for s in evaluation_seeds(setup.seed, seeds)
            for c in (f"rl:{policy.path}", *PLANS)
        ]
        for i, (seed, controller) in enumerate(runs, start=1):
            results.append(
                Setup(setup.network, setup.scenario, setup.demand, setup.seconds, seed).run(
                    controller
                )
            )
            ctx.report(TRAINING_SHARE + (1 - TRAINING_SHARE) * i / len(runs))
    except TrafficInputError as error:
        return error
    return Outcome(policy, tuple(results))
