"""Saved policies, apart from training so that the controllers can load one without importing
core.traffic.rl (which imports the simulation, which imports the controllers: the old import
circle). stable-baselines3 and torch load only when a policy does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from core.traffic.errors import TrafficInputError


def load_policy(path: str) -> Any:
    """A saved PPO or DQN policy; the file name starts with the algorithm."""
    file = Path(path)
    if not file.is_file():
        raise TrafficInputError("no_policy", path=path)
    from stable_baselines3 import DQN, PPO

    loader = DQN if file.name.startswith("dqn") else PPO
    return loader.load(str(file), device="cpu")


def pad(observation: Any, size: int) -> npt.NDArray[np.float32]:
    """One signal's observation in a shared policy's input: zeros after it up to ``size`` (a
    signal with fewer phases or lanes than the widest one), cut if longer."""
    values = np.asarray(observation, dtype=np.float32).ravel()[:size]
    return np.pad(values, (0, size - len(values)))


def shared_observation(
    observation: Any, index: int, count: int, size: int
) -> npt.NDArray[np.float32]:
    """What a shared policy sees of signal ``index`` of ``count``: its observation padded to
    ``size - count``, then a one-hot of which signal it is, so the one policy can still treat
    the signals differently (their padded features do not line up when their phases differ)."""
    one_hot = np.zeros(count, dtype=np.float32)
    one_hot[index] = 1.0
    return np.concatenate([pad(observation, size - count), one_hot])
