"""A small residual network that turns a palm image into an identity embedding.

Why not the study's ResNet50: it has about 23 million parameters and needs about 4 GFLOPs per
224-pixel image, so on one classroom-laptop core an epoch over even a few hundred images takes
minutes, and thirty students share the machine. This network keeps what the lesson is about,
the residual block (two 3×3 convolutions whose output is *added* to their input, so a deep stack
can start as the identity and gradients flow through the shortcut), with few channels on 64-pixel
images: with the defaults about 0.1 million parameters and 13 million multiply-adds per image,
some 300 times less arithmetic, so it trains in seconds.

Training is identity classification over the training people. The classifier compares the
L2-normalised embedding with one normalised weight vector per person and subtracts a margin
from the true person's cosine (CosFace, Wang et al. 2018): it pulls a person's images together
*by angle*, which is exactly what enrolment later measures for people never seen in training.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from core.jobs import Progress, silent
from core.vision.palm.errors import PalmInputError, check_ranges
from core.vision.palm.generator import PalmDataset

Floats = npt.NDArray[np.float64]
Images = npt.NDArray[np.float32]
SCALE = 16.0  # cosine logits are multiplied by this so softmax can become confident
MARGIN = 0.2


@dataclass(frozen=True)
class PalmNetSettings:
    channels: int = 16
    blocks: tuple[int, ...] = (1, 1, 1)
    epochs: int = 15
    batch_size: int = 32
    learning_rate: float = 3e-3
    embedding_dim: int = 64
    augment: bool = True
    seed: int = 0

    def check(self) -> None:
        check_ranges(
            ("channels", self.channels, 4, 64),
            ("epochs", self.epochs, 1, 200),
            ("batch_size", self.batch_size, 4, 512),
            ("learning_rate", self.learning_rate, 1e-5, 0.1),
            ("embedding_dim", self.embedding_dim, 8, 512),
            ("seed", self.seed, 0, 2**31 - 1),
        )
        if not 1 <= len(self.blocks) <= 4 or not all(1 <= b <= 4 for b in self.blocks):
            raise PalmInputError("blocks", value=self.blocks)


@dataclass(frozen=True)
class EpochLog:
    epoch: int
    loss: float
    train_accuracy: float


@dataclass(frozen=True)
class PalmNetResult:
    settings: PalmNetSettings
    state: dict[str, Any]  # detached weight tensors
    identities: tuple[int, ...]  # the training people, in class order
    history: tuple[EpochLog, ...]
    stopped: bool  # the report callback asked to stop before the last epoch

    @property
    def parameters(self) -> int:
        return int(sum(v.numel() for k, v in self.state.items() if not _is_buffer(k)))


def _is_buffer(name: str) -> bool:
    return name.endswith(("running_mean", "running_var", "num_batches_tracked"))


def _network(settings: PalmNetSettings, classes: int) -> Any:
    import torch
    from torch import nn
    from torch.nn import functional

    class Residual(nn.Module):
        def __init__(self, inputs: int, outputs: int, stride: int) -> None:
            super().__init__()
            self.body = nn.Sequential(
                nn.Conv2d(inputs, outputs, 3, stride, 1, bias=False), nn.BatchNorm2d(outputs),
                nn.ReLU(inplace=True),
                nn.Conv2d(outputs, outputs, 3, 1, 1, bias=False), nn.BatchNorm2d(outputs),
            )  # fmt: skip
            self.shortcut: nn.Module = nn.Identity()
            if stride != 1 or inputs != outputs:
                self.shortcut = nn.Sequential(
                    nn.Conv2d(inputs, outputs, 1, stride, bias=False), nn.BatchNorm2d(outputs)
                )

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return torch.relu(self.body(x) + self.shortcut(x))

    class PalmResNet(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            width = settings.channels
            layers: list[nn.Module] = [
                nn.Conv2d(1, width, 3, 1, 1, bias=False), nn.BatchNorm2d(width),
                nn.ReLU(inplace=True), nn.MaxPool2d(2),
            ]  # fmt: skip
            for stage, count in enumerate(settings.blocks):
                out = settings.channels * 2**stage
                for block in range(count):
                    stride = 2 if stage > 0 and block == 0 else 1
                    layers.append(Residual(width, out, stride))
                    width = out
            layers += [nn.AdaptiveAvgPool2d(2), nn.Flatten(), nn.Dropout(0.2)]
            self.features = nn.Sequential(*layers)
            self.embedding = nn.Linear(width * 4, settings.embedding_dim)
            self.centres = nn.Parameter(torch.randn(classes, settings.embedding_dim) * 0.1)

        def embed(self, x: torch.Tensor) -> torch.Tensor:
            return functional.normalize(self.embedding(self.features(x)), dim=1)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            cosines: torch.Tensor = self.embed(x) @ functional.normalize(self.centres, dim=1).T
            return cosines

    return PalmResNet()


def _inputs(images: Images) -> Any:
    """Each image standardised on its own, so overall brightness carries no identity."""
    import torch

    x = np.asarray(images, np.float32)
    mean = x.mean(axis=(1, 2), keepdims=True)
    std = x.std(axis=(1, 2), keepdims=True) + 1e-6
    return torch.from_numpy(((x - mean) / std)[:, None].astype(np.float32))


def _augment(x: Any, generator: Any) -> Any:
    """Shift each image by up to 2 pixels and add a little noise: alignment is never perfect."""
    import torch

    shifts = torch.randint(-2, 3, (len(x), 2), generator=generator)
    moved = torch.stack(
        [
            torch.roll(img, (int(dy), int(dx)), dims=(1, 2))
            for img, (dy, dx) in zip(x, shifts, strict=True)
        ]
    )
    return moved + 0.1 * torch.randn(moved.shape, generator=generator)


def train_palm_net(
    train: PalmDataset, settings: PalmNetSettings, report: Progress = silent
) -> PalmNetResult:
    """Cross-entropy over the training people with a cosine margin; one ``EpochLog`` per epoch
    goes to ``report``, and a False answer stops after that epoch."""
    import torch
    from torch.nn import functional

    settings.check()
    if len(train) == 0:
        raise PalmInputError("empty")
    torch.manual_seed(settings.seed)
    torch.set_num_threads(1)
    identities, classes = np.unique(train.labels, return_inverse=True)
    net = _network(settings, len(identities))
    optimiser = torch.optim.Adam(net.parameters(), lr=settings.learning_rate)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, settings.epochs)
    xs, ys = _inputs(train.images), torch.from_numpy(classes.astype(np.int64))
    generator = torch.Generator().manual_seed(settings.seed)
    history: list[EpochLog] = []
    for epoch in range(1, settings.epochs + 1):
        net.train()
        order = torch.randperm(len(xs), generator=generator)
        total, correct = 0.0, 0
        for start in range(0, len(xs), settings.batch_size):
            batch = order[start : start + settings.batch_size]
            if len(batch) < 2:  # batch norm needs two images
                continue
            x = _augment(xs[batch], generator) if settings.augment else xs[batch]
            cosines = net(x)
            margin = MARGIN * functional.one_hot(ys[batch], len(identities))
            loss: Any = functional.cross_entropy(SCALE * (cosines - margin), ys[batch])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += float(loss.detach()) * len(batch)
            correct += int((cosines.argmax(dim=1) == ys[batch]).sum())
        schedule.step()
        history.append(EpochLog(epoch, total / len(xs), correct / len(xs)))
        if not report(epoch / settings.epochs, history[-1]):
            break
    state = {k: v.detach().clone() for k, v in net.state_dict().items()}
    stopped = len(history) < settings.epochs
    return PalmNetResult(
        settings, state, tuple(int(i) for i in identities), tuple(history), stopped
    )


def embed(result: PalmNetResult, images: Images, batch_size: int = 256) -> Floats:
    """(n, embedding_dim) unit vectors from the layer before the classifier: the template a
    biometric system stores instead of the image."""
    import torch

    torch.set_num_threads(1)
    net = _network(result.settings, len(result.identities))
    net.load_state_dict(result.state)
    net.eval()
    x = _inputs(images)
    parts: list[Floats] = []
    with torch.no_grad():
        for start in range(0, len(x), batch_size):
            parts.append(net.embed(x[start : start + batch_size]).numpy().astype(np.float64))
    if not parts:
        return np.zeros((0, result.settings.embedding_dim))
    return np.concatenate(parts)
