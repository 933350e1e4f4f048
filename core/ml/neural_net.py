"""A small neural network (multi-layer perceptron) trained one epoch at a time, so that the page
can draw the loss and accuracy curves while it learns and stop it on request.

Each epoch is one ``partial_fit`` pass of scikit-learn's Adam optimiser over the training set; the
inputs are standardised with a scaler fitted on the training part only, so the test set stays
unseen.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from core.jobs.context import JobContext
from core.ml.datasets import Dataset, split
from core.ml.supervised import (
    FitResult,
    Surface,
    evaluate_fitted,
    model_surface,
    score,
    select_features,
)

Array = npt.NDArray[Any]
EXPLOSION = 10.0  # a loss this many times a know-nothing guess's means the steps overshoot


@dataclass(frozen=True)
class MlpParams:
    hidden_layers: tuple[int, ...] = (16,)
    activation: Literal["relu", "tanh", "logistic"] = "relu"
    learning_rate: float = 0.01  # 1e-4..1
    alpha: float = 1e-4  # L2
    epochs: int = 100  # 1..1000
    batch_size: int = 32

    def validate(self) -> None:
        """The last guard behind the page's own range checks; each message names the field."""
        layers = self.hidden_layers
        checks = (
            (
                1 <= len(layers) <= 3 and all(1 <= u <= 256 for u in layers),
                "hidden_layers must be 1 to 3 layers of 1..256 units",
            ),
            (
                self.activation in ("relu", "tanh", "logistic"),
                "activation must be 'relu', 'tanh' or 'logistic'",
            ),
            (1e-4 <= self.learning_rate <= 1.0, "learning_rate must be between 0.0001 and 1"),
            (0.0 <= self.alpha <= 1e3, "alpha must be between 0 and 1000"),
            (1 <= self.epochs <= 1000, "epochs must be between 1 and 1000"),
            (1 <= self.batch_size <= 1024, "batch_size must be between 1 and 1024"),
        )
        for ok, message in checks:
            if not ok:
                raise ValueError(message)


@dataclass(frozen=True)
class EpochStats:
    epoch: int  # 1-based
    loss: float  # training loss after this epoch
    train_score: float  # accuracy (classification) or R² (regression)
    test_score: float


@dataclass(frozen=True)
class MlpResult:
    epochs: tuple[EpochStats, ...]
    stopped: bool  # True when on_epoch asked to stop before the last epoch
    diverged: bool  # the loss became NaN/infinite or exploded: training was stopped
    final: FitResult  # scores, confusion, ROC of the model as it is at the end
    n_parameters: int  # weights + biases


def _guess_loss(ds: Dataset, y_train: Array) -> float:
    """The loss of a network that learned nothing: uniform class probabilities, or an output of
    about zero (an untrained network's), so that large but untrained targets are not mistaken
    for an explosion."""
    if ds.task == "classification":
        return math.log(max(len(np.unique(ds.y)), 2))
    return max(float(np.mean(y_train.astype(float) ** 2)), 1e-6)


def _loss(net: Any, X: Array, y: Array) -> tuple[float, Array]:
    """The training loss after the epoch, on the whole training set and without the L2 penalty:
    cross-entropy (natural log) for classes, mean squared error for values. scikit-learn's own
    ``loss_`` is a running average over the epoch's batches with the penalty added, which would
    mix the weight decay slider into the curve. Returns the predictions too, to score them."""
    if not hasattr(net, "predict_proba"):
        predicted = np.asarray(net.predict(X), dtype=float)
        return float(np.mean((y - predicted) ** 2)), predicted
    proba = np.asarray(net.predict_proba(X), dtype=float)
    columns = np.searchsorted(net.classes_, y)
    p_true = np.clip(proba[np.arange(len(y)), columns], 1e-15, 1.0)
    return float(-np.mean(np.log(p_true))), np.asarray(net.classes_)[proba.argmax(axis=1)]


def _network(ds: Dataset, params: MlpParams, n_train: int, seed: int) -> Any:
    from sklearn.neural_network import MLPClassifier, MLPRegressor

    network = MLPClassifier if ds.task == "classification" else MLPRegressor
    return network(
        hidden_layer_sizes=params.hidden_layers,
        activation=params.activation,
        solver="adam",
        learning_rate_init=params.learning_rate,
        alpha=params.alpha,
        batch_size=min(params.batch_size, n_train),
        random_state=seed,
    )


def train(
    ds: Dataset,
    features: Sequence[str],
    params: MlpParams,
    *,
    seed: int = 0,
    test_size: float = 0.25,
    on_epoch: Callable[[EpochStats], bool] | None = None,
) -> MlpResult:
    """Train for ``params.epochs`` epochs unless ``on_epoch`` returns False (``stopped``) or the
    loss blows up (``diverged``, typically a learning rate too high); the epoch that blew up is
    still reported, so the curve shows it."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    params.validate()
    parts = split(ds, select_features(ds, features), test_size=test_size, seed=seed)
    scaler = StandardScaler().fit(parts.X_train)
    X_train, X_test = scaler.transform(parts.X_train), scaler.transform(parts.X_test)
    y_train, y_test = parts.y_train.to_numpy(), parts.y_test.to_numpy()
    net = _network(ds, params, len(X_train), seed)
    extra = {"classes": np.unique(ds.y)} if ds.task == "classification" else {}
    guess = _guess_loss(ds, y_train)
    history: list[EpochStats] = []
    stopped = diverged = False
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for epoch in range(1, params.epochs + 1):
            net.partial_fit(X_train, y_train, **extra)
            loss, train_pred = _loss(net, X_train, y_train)
            test_score = score(ds.task, y_test, net.predict(X_test))
            stats = EpochStats(epoch, loss, score(ds.task, y_train, train_pred), test_score)
            history.append(stats)
            go_on = on_epoch is None or on_epoch(stats)
            diverged = not math.isfinite(loss) or loss > EXPLOSION * guess
            if diverged or not go_on:
                stopped = not diverged and epoch < params.epochs
                break
        model = make_pipeline(scaler, net)
        final = evaluate_fitted(model, ds, parts, time.perf_counter() - start)
    n_parameters = sum(w.size for w in net.coefs_) + sum(b.size for b in net.intercepts_)
    return MlpResult(tuple(history), stopped, diverged, final, int(n_parameters))


def train_job(ctx: JobContext, ds: Dataset, params: MlpParams, seed: int) -> MlpResult:
    """The neural-network lesson's training as a background job: hundreds of epochs on digits
    take tens of seconds, so it runs off the page, reporting every epoch's ``EpochStats`` as a
    live update for the curves; Stop ends it after the current epoch and keeps the network as
    it is then (``stopped``)."""

    def on_epoch(stats: EpochStats) -> bool:
        return ctx.report(stats.epoch / params.epochs, stats)

    return train(ds, ds.features, params, seed=seed, on_epoch=on_epoch)


def surface(result: MlpResult, ds: Dataset, *, resolution: int = 100) -> Surface:
    """The trained network's view of the plane, for a network trained on exactly two features
    (the 2-D datasets): the probability of class 1 for two classes, else the predicted class."""
    features = result.final.features
    if len(features) != 2:
        raise ValueError(f"a surface needs a network on two features, not {len(features)}")
    return model_surface(result.final.model, ds, (features[0], features[1]), resolution=resolution)
