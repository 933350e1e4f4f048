"""Smoothing for reward curves: single episodes are noisy (a slippery lake drowns a good agent
now and then), so curves show a moving average next to the raw values."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def moving_average(values: Sequence[float], window: int = 10) -> list[float]:
    """Mean of the last ``window`` values at each point (fewer at the start)."""
    if window < 1:
        raise ValueError("window must be at least 1")
    data = np.asarray(values, dtype=float)
    if not len(data):
        return []
    sums = np.cumsum(np.insert(data, 0, 0.0))
    counts = np.minimum(np.arange(1, len(data) + 1), window)
    starts = np.arange(1, len(data) + 1) - counts
    return list((sums[1:] - sums[starts]) / counts)
