"""A small 1-D convolutional network on one-hot DNA: each filter is a learnable motif detector
slid along the sequence, so unlike k-mer counts it knows *where* a word sits. Kept small enough
to train live on a laptop core in seconds. Its explanation is a map over positions: gradient ×
input saliency and a Grad-CAM-style map of the convolution layer, which should light up at the
planted TATA box."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from core.genomics.classify import Scores, score
from core.genomics.encoding import one_hot_batch
from core.genomics.errors import check_ranges
from core.genomics.preprocess import augment_reverse_complement
from core.jobs import Progress, silent
from core.jobs.context import JobContext

Floats = npt.NDArray[np.float64]
POOL = 8  # positions pooled together: the head knows roughly where a motif sits
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class CnnSettings:
    filters: int = 32
    width: int = 11  # a motif-sized window (TATA box 7 bp, GC box 9 bp)
    epochs: int = 12
    batch_size: int = 64
    learning_rate: float = 3e-3
    seed: int = 0

    def check(self) -> None:
        check_ranges(
            ("filters", self.filters, 4, 128),
            ("width", self.width, 3, 25),
            ("epochs", self.epochs, 1, 100),
        )


@dataclass(frozen=True)
class EpochLog:
    epoch: int
    loss: float
    test_accuracy: float


@dataclass(frozen=True)
class CnnResult:
    settings: CnnSettings
    state: dict[str, Any]  # the weights, so saliency can be computed later
    length: int
    history: tuple[EpochLog, ...]
    scores: Scores | None  # None when stopped before the first epoch ended


def _network(settings: CnnSettings, length: int) -> Any:
    import torch
    from torch import nn

    class MotifCnn(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv1d(4, settings.filters, settings.width, padding=settings.width // 2)
            self.head = nn.Sequential(
                nn.MaxPool1d(POOL), nn.Flatten(), nn.Dropout(0.3),
                nn.Linear(settings.filters * (length // POOL), 1),
            )  # fmt: skip

        def features(self, x: torch.Tensor) -> torch.Tensor:
            return torch.relu(self.conv(x))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            logits: torch.Tensor = self.head(self.features(x))
            return logits.squeeze(1)

    return MotifCnn()


def train_cnn(
    x_train: npt.NDArray[np.float32],
    y_train: Ints,
    x_test: npt.NDArray[np.float32],
    y_test: Ints,
    settings: CnnSettings,
    report: Progress = silent,
) -> CnnResult:
    """Trains on (n, 4, length) one-hot arrays; reports one ``EpochLog`` per epoch."""
    import torch

    settings.check()
    torch.manual_seed(settings.seed)
    torch.set_num_threads(1)
    net = _network(settings, int(x_train.shape[2]))
    optimiser = torch.optim.Adam(net.parameters(), lr=settings.learning_rate)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    xs, ys = torch.from_numpy(x_train), torch.from_numpy(y_train.astype(np.float32))
    xt = torch.from_numpy(x_test)
    generator = torch.Generator().manual_seed(settings.seed)
    history: list[EpochLog] = []
    probability: Floats | None = None
    for epoch in range(1, settings.epochs + 1):
        net.train()
        order = torch.randperm(len(xs), generator=generator)
        total = 0.0
        for start in range(0, len(xs), settings.batch_size):
            batch = order[start : start + settings.batch_size]
            optimiser.zero_grad()
            loss = loss_fn(net(xs[batch]), ys[batch])
            loss.backward()
            optimiser.step()
            total += float(loss.detach()) * len(batch)
        net.eval()
        with torch.no_grad():
            probability = torch.sigmoid(net(xt)).numpy().astype(np.float64)
        log = EpochLog(epoch, total / len(xs), float(((probability >= 0.5) == y_test).mean()))
        history.append(log)
        if not report(epoch / settings.epochs, log):
            break
    scores = None if probability is None else score(y_test, probability)
    state = {k: v.detach().clone() for k, v in net.state_dict().items()}
    return CnnResult(settings, state, int(x_train.shape[2]), tuple(history), scores)


def train_job(
    ctx: JobContext,
    train_seqs: Sequence[str],
    train_labels: Ints,
    test_seqs: Sequence[str],
    test_labels: Ints,
    settings: CnnSettings,
    both_strands: bool,
) -> CnnResult:
    """The classification step's CNN training as a background job: a dozen epochs on 1,500
    sequences take tens of seconds. ``both_strands`` adds every training sequence's reverse
    complement. Each epoch's ``EpochLog`` is a live update; Stop ends the training after the
    current epoch and keeps the network as it is then."""
    labels = np.asarray(train_labels, dtype=np.int64)
    seqs = list(train_seqs)
    if both_strands:
        seqs, labels = augment_reverse_complement(seqs, labels)
    return train_cnn(
        one_hot_batch(seqs),
        labels,
        one_hot_batch(test_seqs),
        np.asarray(test_labels, dtype=np.int64),
        settings,
        ctx.report,
    )


def position_maps(result: CnnResult, x: npt.NDArray[np.float32]) -> tuple[Floats, Floats]:
    """(saliency, grad_cam), each (n, length) and scaled to 0..1 per sequence.
    Saliency: |gradient × input| summed over the four bases. Grad-CAM in its HiResCAM form
    (Draelos & Carin 2020): filter maps times their gradient position by position, summed over
    filters, positive part only; plain Grad-CAM averages the gradient over positions first, which
    blurs away *where* the motif is when the head itself is position-aware."""
    import torch

    net = _network(result.settings, result.length)
    net.load_state_dict(result.state)
    net.eval()
    inputs = torch.from_numpy(x).requires_grad_(True)
    maps = net.features(inputs)
    maps.retain_grad()
    net.head(maps).sum().backward()
    assert inputs.grad is not None and maps.grad is not None
    saliency = (inputs.grad * inputs).abs().sum(dim=1).detach().numpy()
    cam = torch.relu((maps.grad * maps).sum(dim=1)).detach().numpy()
    return _unit(saliency), _unit(cam)


def _unit(values: Floats) -> Floats:
    top = values.max(axis=1, keepdims=True)
    scaled: Floats = np.divide(
        values, top, out=np.zeros_like(values, dtype=np.float64), where=top > 0
    )
    return scaled
