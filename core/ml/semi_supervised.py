"""Semi-supervised learning: a few labelled points plus many unlabelled ones.

The lesson's question is whether the unlabelled points are worth anything. To answer it honestly,
every comparison pits the semi-supervised model against *the same kind of model* trained on the
labelled points alone, on the same held-out test set, with the same standardised features (the
scaler sees every training point but no label, so it gives neither side an unfair edge).

* ``label_spreading``: a k-nearest-neighbour graph carries the known labels to their neighbours
  (``LabelSpreading(kernel="knn")``). Baseline: ``KNeighborsClassifier`` with the same ``k``
  (capped at the number of labelled points, votes weighted by closeness), i.e. the same
  neighbourhood rule without the unlabelled points in between.
* ``self_training``: a base classifier labels the unlabelled points it is sure of (probability
  at least 0.75), is refitted with them, and repeats (``SelfTrainingClassifier``). Base and
  baseline are the same ``KNeighborsClassifier``: the only difference is the pseudo-labels.
  (``SVC(probability=True)`` is deprecated in scikit-learn 1.9 and its internal cross-validation
  fails with one labelled point per class, so k-NN, whose probabilities are closeness-weighted
  vote shares, is used.) Self-training may also do worse than its baseline: its confident
  mistakes become training labels, which is part of the lesson.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import numpy as np

from core.ml.datasets import BUILTIN, TWO_D, load, split
from core.ml.threads import single_threaded

Method = Literal["label_spreading", "self_training"]
METHODS: tuple[Method, ...] = ("label_spreading", "self_training")
DATASETS: tuple[str, ...] = (*sorted(TWO_D), *BUILTIN)
NEIGHBOURS = 7
SELF_TRAINING_THRESHOLD = 0.75
TEST_SIZE = 0.25


@dataclass(frozen=True)
class SemiResult:
    dataset: str
    method: str
    labelled_fraction: float
    n_labelled: int
    n_train: int
    semi_supervised_accuracy: float  # test accuracy of the model that also used unlabelled points
    supervised_only_accuracy: float  # same kind of model trained on the labelled points only
    X_train: np.ndarray  # first two features (for the scatter plot)
    labelled_mask: np.ndarray  # bool over X_train
    y_train: np.ndarray  # true labels (the lesson reveals them after)
    y_train_inferred: np.ndarray  # labels the semi-supervised model gave every training point
    X_test: np.ndarray
    y_test: np.ndarray
    pred_semi: np.ndarray
    pred_supervised: np.ndarray


@dataclass(frozen=True)
class _Prepared:
    Z_train: np.ndarray  # standardised, all features
    Z_test: np.ndarray
    X_train: np.ndarray  # raw, first two features
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


@lru_cache(maxsize=32)
def _prepare(dataset: str, n_samples: int, noise: float, seed: int) -> _Prepared:
    """Cached because the page reruns on every slider move and only the fraction changes."""
    from sklearn.preprocessing import StandardScaler

    ds = load(dataset, n_samples=n_samples, noise=noise, seed=seed)
    parts = split(ds, test_size=TEST_SIZE, seed=seed)
    scaler = StandardScaler().fit(parts.X_train.to_numpy())
    return _Prepared(
        Z_train=_read_only(scaler.transform(parts.X_train.to_numpy())),
        Z_test=_read_only(scaler.transform(parts.X_test.to_numpy())),
        X_train=_read_only(parts.X_train.iloc[:, :2].to_numpy(dtype=float)),
        X_test=_read_only(parts.X_test.iloc[:, :2].to_numpy(dtype=float)),
        y_train=_read_only(parts.y_train.to_numpy(dtype=int)),
        y_test=_read_only(parts.y_test.to_numpy(dtype=int)),
    )


def labelled_mask(y: np.ndarray, fraction: float, seed: int) -> np.ndarray:
    """A random pick within each class, so every class has at least one labelled point and the
    labelled set keeps the class proportions (otherwise a class could simply never be seen)."""
    rng = np.random.default_rng(seed)
    mask = np.zeros(len(y), dtype=bool)
    for label in np.unique(y):
        members = np.flatnonzero(y == label)
        count = min(len(members), max(1, round(fraction * len(members))))
        mask[rng.choice(members, size=count, replace=False)] = True
    return mask


def _spread(Z: np.ndarray, y_partial: np.ndarray) -> tuple[Any, int]:
    """Label spreading whose graph reaches a labelled point from every point.

    With few labels a small, isolated clump of the k-NN graph may contain no labelled point; its
    label distribution stays all zeros and a test point near it gets 0/0. Widening the
    neighbourhood until every point is reached keeps the answer meaningful instead of silently
    turning NaN into class 0."""
    from sklearn.semi_supervised import LabelSpreading

    k = NEIGHBOURS
    while True:
        k = min(k, len(Z) - 1)
        model = LabelSpreading(kernel="knn", n_neighbors=k, alpha=0.2, max_iter=1000)
        with np.errstate(invalid="ignore", divide="ignore"):
            model.fit(Z, y_partial)
        reached = model.label_distributions_.sum(axis=1) > 0
        if reached.all() or k == len(Z) - 1:
            return model, k
        k *= 2


def _knn(k: int, mask: np.ndarray) -> Any:
    """Votes weighted by closeness: with one labelled point per class a plain vote among all of
    them would be a tie every time, and the weights make the probabilities mean "how sure"."""
    from sklearn.neighbors import KNeighborsClassifier

    return KNeighborsClassifier(n_neighbors=min(k, int(mask.sum())), weights="distance")


def _fit_label_spreading(
    data: _Prepared, mask: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    y_partial = np.where(mask, data.y_train, -1)
    semi, k = _spread(data.Z_train, y_partial)
    supervised = _knn(k, mask).fit(data.Z_train[mask], data.y_train[mask])
    inferred = np.asarray(semi.transduction_, dtype=int)
    return inferred, semi.predict(data.Z_test), supervised.predict(data.Z_test)


def _fit_self_training(
    data: _Prepared, mask: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from sklearn.base import clone
    from sklearn.semi_supervised import SelfTrainingClassifier

    base = _knn(NEIGHBOURS, mask)
    semi = SelfTrainingClassifier(clone(base), threshold=SELF_TRAINING_THRESHOLD, max_iter=None)
    y_partial = np.where(mask, data.y_train, -1)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*no unlabeled samples.*")
        semi.fit(data.Z_train, y_partial)
    supervised = clone(base).fit(data.Z_train[mask], data.y_train[mask])
    pseudo = np.asarray(semi.transduction_, dtype=int)
    inferred = np.where(pseudo >= 0, pseudo, semi.predict(data.Z_train))
    return inferred, semi.predict(data.Z_test), supervised.predict(data.Z_test)


@single_threaded
def compare(
    dataset: str = "moons",
    labelled_fraction: float = 0.1,
    seed: int = 0,
    *,
    method: Method = "label_spreading",
    n_samples: int = 300,
    noise: float = 0.1,
) -> SemiResult:
    """Hide all but ``labelled_fraction`` of the training labels and compare a semi-supervised
    model with its labelled-only twin on the same test set (see the module docstring for the
    pairs). ``n_samples`` and ``noise`` only shape the generated datasets."""
    if dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}; choose one of {', '.join(DATASETS)}")
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if not 0.0 < labelled_fraction <= 1.0:
        raise ValueError("labelled_fraction must be greater than 0 and at most 1")
    if dataset in BUILTIN:
        n_samples, noise = 300, 0.1
    fit = _fit_label_spreading if method == "label_spreading" else _fit_self_training
    data = _prepare(dataset, n_samples, noise, seed)
    mask = labelled_mask(data.y_train, labelled_fraction, seed)
    inferred, pred_semi, pred_supervised = fit(data, mask)
    return SemiResult(
        dataset=dataset,
        method=method,
        labelled_fraction=float(labelled_fraction),
        n_labelled=int(mask.sum()),
        n_train=len(mask),
        semi_supervised_accuracy=float(np.mean(pred_semi == data.y_test)),
        supervised_only_accuracy=float(np.mean(pred_supervised == data.y_test)),
        X_train=data.X_train,
        labelled_mask=mask,
        y_train=data.y_train,
        y_train_inferred=inferred,
        X_test=data.X_test,
        y_test=data.y_test,
        pred_semi=np.asarray(pred_semi, dtype=int),
        pred_supervised=np.asarray(pred_supervised, dtype=int),
    )


def sweep(
    dataset: str = "moons",
    fractions: Sequence[float] = (0.02, 0.05, 0.1, 0.2, 0.4, 0.7, 1.0),
    seed: int = 0,
    *,
    method: Method = "label_spreading",
) -> tuple[tuple[float, float, float], ...]:
    """(fraction, semi-supervised accuracy, labelled-only accuracy) per fraction: the lesson's
    curve, where the gap should close as labels stop being scarce."""
    if not fractions:
        raise ValueError("give at least one labelled fraction")
    rows = []
    for fraction in fractions:
        result = compare(dataset, fraction, seed, method=method)
        rows.append(
            (float(fraction), result.semi_supervised_accuracy, result.supervised_only_accuracy)
        )
    return tuple(rows)
