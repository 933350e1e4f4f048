"""Exploration versus exploitation on the 10-armed testbed of Sutton & Barto, *Reinforcement
Learning: An Introduction* (2nd ed., 2018), §2.3 and Figure 2.2.

Each run is a fresh bandit: ten arms whose true mean rewards q*(a) are drawn from N(0, 1); a pull
of arm a pays a reward drawn from N(q*(a), 1). The agent keeps an estimate Q(a) per arm and, with
probability epsilon, pulls a random arm; otherwise the arm with the highest estimate. A greedy
agent (epsilon = 0) locks onto the first arm that looks good and finds the best arm in only about
a third of the runs; a little exploration finds it far more often. Optimistic initial values
(§2.6) explore without randomness: every arm disappoints at first, so the agent tries them all.

All runs advance together as numpy arrays (one row per run), so only the steps are a Python loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class BanditParams:
    arms: int = 10
    steps: int = 1000
    runs: int = 200
    epsilon: float = 0.1  # probability of a random pull
    epsilon_decay: float = 1.0  # multiplied into epsilon after every step (1.0 = constant)
    initial_value: float = 0.0  # the estimate of every arm before any pull; > 0 is optimistic
    # None: sample averages, Q(a) = mean of a's rewards (§2.4). A constant step size alpha
    # (§2.5) keeps the initial value's pull for a while; S&B's optimistic experiment (§2.6,
    # Figure 2.3) uses alpha = 0.1, whereas a sample average forgets the initial value at the
    # first pull of each arm.
    step_size: float | None = None

    def validate(self) -> None:
        if not 2 <= self.arms <= 50:
            raise ValueError("arms must be between 2 and 50")
        if not 1 <= self.steps <= 5000:
            raise ValueError("steps must be between 1 and 5000")
        if not 1 <= self.runs <= 2000:
            raise ValueError("runs must be between 1 and 2000")
        if not 0 <= self.epsilon <= 1:
            raise ValueError("epsilon must be in [0, 1]")
        if not 0 < self.epsilon_decay <= 1:
            raise ValueError("epsilon_decay must be in (0, 1]")
        if not -10 <= self.initial_value <= 10:
            raise ValueError("initial_value must be between -10 and 10")
        if self.step_size is not None and not 0 < self.step_size <= 1:
            raise ValueError("step_size must be in (0, 1], or None for sample averages")


@dataclass(frozen=True)
class BanditResult:
    params: BanditParams
    mean_reward: Floats  # per step, averaged over runs (steps,)
    optimal_share: Floats  # per step, the share of runs that pulled their best arm (steps,)
    final_optimal_share: float  # mean of optimal_share over the last 10 % of the steps
    average_reward: float  # over all steps and runs
    best_possible: float  # what an agent that knew the best arm would earn per step, on average


def run(params: BanditParams, seed: int) -> BanditResult:
    params.validate()
    testbed, agent = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2))
    true_means = testbed.normal(0.0, 1.0, (params.runs, params.arms))
    best_arm = true_means.argmax(axis=1)
    estimates = np.full((params.runs, params.arms), params.initial_value, dtype=np.float64)
    pulls = np.zeros((params.runs, params.arms), dtype=np.int64)
    runs = np.arange(params.runs)
    mean_reward = np.empty(params.steps)
    optimal_share = np.empty(params.steps)
    epsilon = params.epsilon
    for t in range(params.steps):
        # Random tie-breaking: among the arms sharing the top estimate, the highest random key wins.
        top = estimates == estimates.max(axis=1, keepdims=True)
        greedy = np.where(top, agent.random((params.runs, params.arms)), -1.0).argmax(axis=1)
        explore = agent.random(params.runs) < epsilon
        arm = np.where(explore, agent.integers(params.arms, size=params.runs), greedy)
        reward = agent.normal(true_means[runs, arm], 1.0)
        pulls[runs, arm] += 1
        alpha = 1.0 / pulls[runs, arm] if params.step_size is None else params.step_size
        estimates[runs, arm] += alpha * (reward - estimates[runs, arm])
        mean_reward[t] = reward.mean()
        optimal_share[t] = np.mean(arm == best_arm)
        epsilon *= params.epsilon_decay
    tail = max(1, params.steps // 10)
    return BanditResult(
        params=params,
        mean_reward=mean_reward,
        optimal_share=optimal_share,
        final_optimal_share=float(optimal_share[-tail:].mean()),
        average_reward=float(mean_reward.mean()),
        best_possible=float(true_means.max(axis=1).mean()),
    )


def compare(epsilons: Sequence[float], seed: int, **params: Any) -> dict[float, BanditResult]:
    """One result per epsilon on the same bandits (the seed fixes the true means), so the curves
    differ only by how the agents explore, as in Figure 2.2."""
    base = BanditParams(**params)
    return {float(e): run(replace(base, epsilon=float(e)), seed) for e in epsilons}
