"""Finding the rare mutant among thousands of normal sequences without ever being shown one: an
autoencoder learns to rebuild normal sequences through a narrow bottleneck, so whatever it rebuilds
badly is unusual. IsolationForest, which isolates points by random splits, is the baseline. Both
are judged by precision@k: of the k sequences ranked most unusual, how many are planted mutants."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from core.genomics.encoding import one_hot_batch
from core.genomics.errors import check_ranges
from core.jobs import Progress, silent
from core.jobs.context import JobContext

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class AutoencoderSettings:
    bottleneck: int = 16
    epochs: int = 40
    learning_rate: float = 2e-3
    seed: int = 0

    def check(self) -> None:
        check_ranges(("bottleneck", self.bottleneck, 2, 128), ("epochs", self.epochs, 1, 200))


@dataclass(frozen=True)
class AutoencoderResult:
    scores: Floats  # reconstruction error per scored sequence
    per_position: Floats  # (n scored, length): error per position, for the picture
    losses: tuple[float, ...]


def train_autoencoder(
    normal: npt.NDArray[np.float32],
    scored: npt.NDArray[np.float32],
    settings: AutoencoderSettings,
    report: Progress = silent,
) -> AutoencoderResult:
    """Fits on (n, 4, length) one-hot normals; scores ``scored`` by mean squared reconstruction
    error. Reports each epoch's training loss."""
    import torch
    from torch import nn

    settings.check()
    torch.manual_seed(settings.seed)
    torch.set_num_threads(1)
    n, channels, length = normal.shape
    width = channels * length
    net = nn.Sequential(
        nn.Flatten(), nn.Linear(width, 128), nn.ReLU(), nn.Linear(128, settings.bottleneck),
        nn.ReLU(), nn.Linear(settings.bottleneck, 128), nn.ReLU(), nn.Linear(128, width),
    )  # fmt: skip
    optimiser = torch.optim.Adam(net.parameters(), lr=settings.learning_rate)
    x = torch.from_numpy(normal)
    flat = x.reshape(n, -1)
    generator = torch.Generator().manual_seed(settings.seed)
    losses: list[float] = []
    for epoch in range(1, settings.epochs + 1):
        order = torch.randperm(n, generator=generator)
        total = 0.0
        for start in range(0, n, 64):
            batch = order[start : start + 64]
            optimiser.zero_grad()
            loss = ((net(x[batch]) - flat[batch]) ** 2).mean()
            loss.backward()
            optimiser.step()
            total += float(loss.detach()) * len(batch)
        losses.append(total / n)
        if not report(epoch / settings.epochs, losses[-1]):
            break
    with torch.no_grad():
        target = torch.from_numpy(scored)
        rebuilt = net(target).reshape(target.shape)
        squared = ((rebuilt - target) ** 2).sum(dim=1).numpy().astype(np.float64)
    return AutoencoderResult(squared.mean(axis=1), squared, tuple(losses))


def isolation_forest_scores(normal: Floats, scored: Floats, seed: int = 0) -> Floats:
    """Higher = more unusual (sklearn's score_samples is higher for normal, so it is negated)."""
    from sklearn.ensemble import IsolationForest

    forest = IsolationForest(n_estimators=200, random_state=seed, n_jobs=1).fit(normal)
    return np.asarray(-forest.score_samples(scored), dtype=np.float64)


@dataclass(frozen=True)
class Detection:
    """Both detectors' scores for the same scored sequences."""

    autoencoder: AutoencoderResult
    forest: Floats  # IsolationForest, higher = more unusual


def detect_job(
    ctx: JobContext,
    normal_seqs: Sequence[str],
    scored_seqs: Sequence[str],
    settings: AutoencoderSettings,
) -> Detection:
    """The anomaly step's training as a background job: the autoencoder's 40 default epochs
    take about 20 s. Each epoch's loss is a live update (progress 0..0.9); Stop ends the
    training after the current epoch, and the IsolationForest baseline (about a second) still
    runs, so what the autoencoder learnt until then can be compared."""
    normal = one_hot_batch(normal_seqs)
    scored = one_hot_batch(scored_seqs)
    result = train_autoencoder(
        normal, scored, settings, lambda progress, loss: ctx.report(0.9 * progress, loss)
    )
    forest = isolation_forest_scores(
        normal.reshape(len(normal), -1).astype(np.float64),
        scored.reshape(len(scored), -1).astype(np.float64),
        settings.seed,
    )
    ctx.report(1.0)
    return Detection(result, forest)


def precision_at_k(scores: Floats, truth: Bools, k: int) -> float:
    """Share of true anomalies among the k highest scores (ties broken by position)."""
    if k < 1:
        return 0.0
    top = np.argsort(-scores, kind="stable")[:k]
    return float(truth[top].mean())


def rank_percentiles(scores: Floats, truth: Bools) -> Floats:
    """Where each true anomaly ranks, as the share of sequences scored above it (0 = the top)."""
    order = np.argsort(-scores, kind="stable")
    rank = np.empty(len(scores), dtype=np.float64)
    rank[order] = np.arange(len(scores)) / len(scores)
    return rank[truth]


@dataclass(frozen=True)
class Screening:
    """Who the detector learns from and who it ranks: it learns from training normals only and
    ranks held-out normals mixed with a few true anomalies (the planted rare mutants, or else a
    ~5 % sample of class 1), so a rare event stays rare."""

    normal_train: npt.NDArray[np.int64]
    scored: npt.NDArray[np.int64]
    truth: Bools  # per scored sequence: a true anomaly?


def screening(
    labels: npt.NDArray[np.int64],
    rare: Bools | None,
    train: npt.NDArray[np.int64],
    test: npt.NDArray[np.int64],
    seed: int = 0,
) -> Screening:
    unusual = rare if rare is not None and rare.any() else labels == 1
    normal = (labels == 0) & ~unusual
    held_out_normal = test[normal[test]]
    anomalies = test[unusual[test]]
    if rare is None or not rare.any():
        wanted = max(1, round(0.05 * len(held_out_normal)))
        anomalies = np.random.default_rng(seed).permutation(anomalies)[:wanted]
    scored = np.sort(np.concatenate([held_out_normal, anomalies]))
    return Screening(train[normal[train]], scored, np.isin(scored, anomalies))
