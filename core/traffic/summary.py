"""Several seeds of the same comparison summed up per controller: the mean and a 95 % interval
(Student's t over the seeds), so a difference smaller than the seed-to-seed spread is not read
as a win."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from core.traffic.simulation import SimResult


@dataclass(frozen=True)
class Estimate:
    mean: float
    low: float  # 95 % interval, never below 0 (no metric here can be); the mean with one seed
    high: float


@dataclass(frozen=True)
class Summary:
    controller: str
    seeds: tuple[int, ...]
    waiting: Estimate  # mean waiting per vehicle, s
    delay: Estimate  # mean delay (timeLoss) per vehicle, s
    throughput: float
    unfinished: float


def estimate(values: Sequence[float]) -> Estimate:
    data = np.asarray(values, dtype=np.float64)
    mean = float(data.mean())
    if len(data) < 2:
        return Estimate(mean, mean, mean)
    half = float(stats.t.ppf(0.975, len(data) - 1) * data.std(ddof=1) / np.sqrt(len(data)))
    return Estimate(mean, max(mean - half, 0.0), mean + half)


def summarise(results: Sequence[SimResult]) -> list[Summary]:
    """One Summary per controller, in the order the controllers first appear."""
    grouped: dict[str, list[SimResult]] = {}
    for r in results:
        grouped.setdefault(r.controller, []).append(r)
    return [
        Summary(
            controller=c,
            seeds=tuple(r.seed for r in runs),
            waiting=estimate([r.mean_waiting_s for r in runs]),
            delay=estimate([r.mean_delay_s for r in runs]),
            throughput=float(np.mean([r.throughput for r in runs])),
            unfinished=float(np.mean([r.unfinished for r in runs])),
        )
        for c, runs in grouped.items()
    ]
