"""Federated learning: three hospitals each keep their sequences; each round they train the shared
model a little on their own data and send back only the weights, which the server averages by
sample count (FedAvg, McMahan et al. 2017). Compared with pooling all data in one place
(centralised, which privacy law may forbid) and with each hospital alone (local)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from core.genomics.classify import Scores, score
from core.genomics.errors import check_ranges

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class FedSettings:
    rounds: int = 30
    local_epochs: int = 5
    learning_rate: float = 0.5
    l2: float = 1e-3

    def check(self) -> None:
        check_ranges(("rounds", self.rounds, 1, 200), ("local_epochs", self.local_epochs, 1, 50))


@dataclass(frozen=True)
class FedResult:
    centralised: Scores
    federated: Scores
    local: tuple[Scores, ...]  # one per institution, each scored on the shared test set
    federated_curve: tuple[float, ...]  # test accuracy after each round
    sizes: tuple[int, ...]  # training sequences per institution
    positives: tuple[float, ...]  # tumour share per institution
    numbers_shared: int  # weights sent to the server over all rounds, all institutions
    bases_kept: int  # bases that never left their institution


def _sigmoid(z: Floats) -> Floats:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def _descend(w: Floats, x: Floats, y: Floats, epochs: int, settings: FedSettings) -> Floats:
    """Full-batch gradient descent on logistic loss; x carries a bias column."""
    for _ in range(epochs):
        gradient = x.T @ (_sigmoid(x @ w) - y) / len(y) + settings.l2 * w
        w = w - settings.learning_rate * gradient
    return w


def _with_bias(x: Floats) -> Floats:
    return np.hstack([x, np.ones((len(x), 1))])


def federated_vs_central(
    features: Floats,
    labels: Ints,
    institution: Ints,
    train: Ints,
    test: Ints,
    bases_per_sequence: int,
    settings: FedSettings | None = None,
) -> FedResult:
    settings = settings or FedSettings()
    settings.check()
    # Standardised with the pooled mean and spread: sites share only per-k-mer sums for that.
    centre, spread = features[train].mean(axis=0), features[train].std(axis=0) + 1e-9
    x = _with_bias((features - centre) / spread)
    y = labels.astype(np.float64)
    sites = sorted(set(institution[train].tolist()))
    parts = [train[institution[train] == s] for s in sites]
    total_epochs = settings.rounds * settings.local_epochs
    zero = np.zeros(x.shape[1])
    central = _descend(zero, x[train], y[train], total_epochs, settings)
    local = [_descend(zero, x[p], y[p], total_epochs, settings) for p in parts]
    weights = zero
    curve = []
    sizes = np.array([len(p) for p in parts], dtype=np.float64)
    for _ in range(settings.rounds):
        updates = [_descend(weights, x[p], y[p], settings.local_epochs, settings) for p in parts]
        weights = np.average(updates, axis=0, weights=sizes)
        curve.append(float(((_sigmoid(x[test] @ weights) >= 0.5) == labels[test]).mean()))

    def judge(w: Floats) -> Scores:
        return score(labels[test], _sigmoid(x[test] @ w))

    return FedResult(
        centralised=judge(central),
        federated=judge(weights),
        local=tuple(judge(w) for w in local),
        federated_curve=tuple(curve),
        sizes=tuple(int(s) for s in sizes),
        positives=tuple(float(labels[p].mean()) for p in parts),
        numbers_shared=2 * settings.rounds * len(parts) * x.shape[1],
        bases_kept=int(len(train) * bases_per_sequence),
    )
