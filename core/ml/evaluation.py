"""Evaluation beyond one score: what a decision threshold trades away, and how training and
cross-validated scores move apart as a model grows more complex or sees more data.

The curves run point by point with a progress callback rather than as one scikit-learn call, so
that a background job can show progress and a Stop button can end them with a partial curve.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from core.jobs.context import JobContext
from core.ml.datasets import Dataset
from core.ml.supervised import ModelParams, build_model, check_size, select_features

Array = npt.NDArray[Any]
Progress = Callable[[int, int], bool]


@dataclass(frozen=True)
class ThresholdMetrics:
    threshold: float
    tp: int
    fp: int
    fn: int
    tn: int
    accuracy: float
    precision: float
    recall: float
    specificity: float
    f1: float  # all ratios are 0.0 where undefined (nothing predicted positive, no positives...)


def _ratio(num: Array, den: Array) -> Array:
    return np.divide(num, den, out=np.zeros(np.shape(num), dtype=float), where=den > 0)


def _confusion(y_true: Any, scores: Any, thresholds: Array, positive: int) -> tuple[Array, ...]:
    """Counts for many thresholds at once; a score equal to the threshold counts as positive, so
    threshold 0 on probabilities flags everyone (recall 1)."""
    actual = np.asarray(y_true) == positive
    values = np.asarray(scores, dtype=float)
    if actual.shape != values.shape or actual.ndim != 1 or len(actual) == 0:
        raise ValueError("y_true and scores must be non-empty 1-D arrays of the same length")
    if not np.isfinite(values).all():
        raise ValueError("scores must be finite numbers")
    predicted = values[None, :] >= thresholds[:, None]
    tp = (predicted & actual).sum(axis=1)
    fp = (predicted & ~actual).sum(axis=1)
    fn = (~predicted & actual).sum(axis=1)
    tn = (~predicted & ~actual).sum(axis=1)
    return tp, fp, fn, tn


def threshold_metrics(
    y_true: Any, scores: Any, threshold: float, positive: int = 1
) -> ThresholdMetrics:
    tp, fp, fn, tn = (
        int(c[0]) for c in _confusion(y_true, scores, np.array([threshold]), positive)
    )
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return ThresholdMetrics(
        threshold=float(threshold),
        tp=tp,
        fp=fp,
        fn=fn,
        tn=tn,
        accuracy=(tp + tn) / (tp + fp + fn + tn),
        precision=precision,
        recall=recall,
        specificity=tn / (tn + fp) if tn + fp else 0.0,
        f1=2 * precision * recall / (precision + recall) if precision + recall else 0.0,
    )


def threshold_sweep(
    y_true: Any, scores: Any, positive: int = 1, points: int = 101
) -> tuple[Array, Array, Array]:
    """Thresholds, precision and recall for a plot. Probabilities sweep 0..1; other scores (an
    SVM's decision function) sweep their own range. Precision is 0.0 where nothing is predicted
    positive, as in ``threshold_metrics``."""
    if not 2 <= points <= 1001:
        raise ValueError("points must be between 2 and 1001")
    values = np.asarray(scores, dtype=float)
    lo, hi = (0.0, 1.0) if values.min() >= 0 and values.max() <= 1 else (values.min(), values.max())
    thresholds = np.linspace(lo, hi, points)
    tp, fp, fn, _ = _confusion(y_true, values, thresholds, positive)
    return thresholds, _ratio(tp, tp + fp), _ratio(tp, tp + fn)


@dataclass(frozen=True)
class Curve:
    param: str  # e.g. "max_depth", or "train_size" for learning curves
    values: Array  # x axis (for learning curves: the number of training samples)
    train_mean: Array
    train_std: Array
    test_mean: Array  # cross-validated
    test_std: Array
    complete: bool  # False when stopped early (partial curve)


ComplexityParam = Literal[
    "max_depth", "C", "hidden_units", "degree", "alpha", "gamma", "n_estimators"
]
CurveKind = Literal["complexity", "learning"]
_APPLIES: dict[str, tuple[str, ...]] = {
    "max_depth": ("tree", "forest"),
    "C": ("logistic", "svm"),
    "hidden_units": ("mlp",),
    "degree": ("linear",),
    "alpha": ("linear", "mlp"),
    "gamma": ("svm",),
    "n_estimators": ("forest",),
}


def _with(params: ModelParams, param: str, value: float) -> ModelParams:
    """``params`` with one value changed; "hidden_units" v means one hidden layer of v units."""
    if param in ("max_depth", "degree", "n_estimators", "hidden_units"):
        if value != int(value):
            raise ValueError(f"{param} takes whole numbers, not {value}")
        if param == "hidden_units":
            return replace(params, hidden_units=(int(value),))
        changed: dict[str, Any] = {param: int(value)}
    else:
        changed = {param: float(value)}
    return replace(params, **changed)


def _folds(ds: Dataset, cv: int, seed: int) -> Any:
    """Shuffled folds: the built-in datasets are sorted by class, and unshuffled folds would
    each miss whole classes; stratified for classes so that every fold has all of them."""
    from sklearn.model_selection import KFold, StratifiedKFold

    if not 2 <= cv <= 10:
        raise ValueError("cv must be between 2 and 10")
    if ds.task == "classification":
        return StratifiedKFold(cv, shuffle=True, random_state=seed)
    return KFold(cv, shuffle=True, random_state=seed)


def _measure(model: Any, X: pd.DataFrame, y: pd.Series, cv: Any) -> tuple[Array, Array]:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import cross_validate

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        result = cross_validate(model, X, y, cv=cv, return_train_score=True, error_score="raise")
    return np.asarray(result["train_score"]), np.asarray(result["test_score"])


def _collect(
    param: str,
    values: Sequence[float],
    jobs: Sequence[Callable[[], tuple[Array, Array]]],
    on_progress: Progress | None,
) -> Curve:
    train: list[Array] = []
    test: list[Array] = []
    for job in jobs:
        train_scores, test_scores = job()
        train.append(train_scores)
        test.append(test_scores)
        if on_progress is not None and not on_progress(len(train), len(jobs)):
            break
    tr, te = np.array(train), np.array(test)
    return Curve(
        param=param,
        values=np.asarray(values[: len(train)], dtype=float),
        train_mean=tr.mean(axis=1),
        train_std=tr.std(axis=1),
        test_mean=te.mean(axis=1),
        test_std=te.std(axis=1),
        complete=len(train) == len(jobs),
    )


def complexity_curve(
    ds: Dataset,
    features: Sequence[str],
    params: ModelParams,
    param: ComplexityParam,
    values: Sequence[float],
    *,
    seed: int = 0,
    cv: int = 5,
    on_progress: Progress | None = None,
) -> Curve:
    """Training and cross-validated score for each value of one parameter (a validation curve):
    the gap between them is overfitting made visible. ``complete`` is False only when
    ``on_progress`` returned False before the last value."""
    if param not in _APPLIES:
        raise ValueError(f"unknown parameter {param!r}")
    if params.kind not in _APPLIES[param] or (param == "gamma" and params.kernel == "linear"):
        raise ValueError(f"{param} does not change a {params.kind} model")
    if not values:
        raise ValueError("give at least one value")
    columns = select_features(ds, features)
    variants = [_with(params, param, v) for v in values]
    for variant in variants:
        variant.validate(ds.task)
        check_size(variant, len(columns))
    X, y = ds.X[columns], ds.y
    folds = _folds(ds, cv, seed)
    jobs = [partial(_measure, build_model(v, ds.task, seed), X, y, folds) for v in variants]
    return _collect(param, values, jobs, on_progress)


def _subset(train: Array, fraction: float, y: pd.Series, classification: bool, seed: int) -> Array:
    """A stratified share of one training fold, so that a small share still has every class."""
    from sklearn.model_selection import train_test_split

    k = round(fraction * len(train))
    smallest = y.nunique() if classification else 2
    if k < smallest:
        raise ValueError(f"a training size of {fraction} leaves too few samples ({k})")
    if k >= len(train):
        return train
    stratify = y.iloc[train] if classification and len(train) - k >= smallest else None
    part, _ = train_test_split(train, train_size=k, random_state=seed, stratify=stratify)
    return np.asarray(part)


def learning_curve(
    ds: Dataset,
    features: Sequence[str],
    params: ModelParams,
    *,
    sizes: Sequence[float] = (0.1, 0.25, 0.4, 0.55, 0.7, 0.85, 1.0),
    seed: int = 0,
    cv: int = 5,
    on_progress: Progress | None = None,
) -> Curve:
    """Scores against the amount of training data: each point trains on a share of every
    training fold and is scored on the whole held-out fold. ``values`` are sample counts."""
    params.validate(ds.task)
    if not sizes or not all(0 < s <= 1 for s in sizes):
        raise ValueError("sizes must be fractions of the training data in (0, 1]")
    columns = select_features(ds, features)
    check_size(params, len(columns))
    X, y = ds.X[columns], ds.y
    folds = list(_folds(ds, cv, seed).split(X, y))
    classification = ds.task == "classification"
    plans = [[(_subset(tr, s, y, classification, seed), te) for tr, te in folds] for s in sizes]
    counts = [float(np.mean([len(tr) for tr, _ in plan])) for plan in plans]
    model = build_model(params, ds.task, seed)
    jobs = [partial(_measure, model, X, y, plan) for plan in plans]
    return _collect("train_size", counts, jobs, on_progress)


def best_value(curve: Curve) -> float:
    """The value with the best cross-validated score; on a tie the first, which on an ascending
    complexity axis is the simplest model."""
    if len(curve.values) == 0:
        raise ValueError("the curve has no points")
    return float(curve.values[int(np.nanargmax(curve.test_mean))])


def curve_job(
    ctx: JobContext,
    ds: Dataset,
    params: ModelParams,
    what: CurveKind,
    param: ComplexityParam,
    values: tuple[float, ...],
    seed: int,
) -> Curve:
    """The overfitting lesson's curve (``what``: a complexity curve over ``param``'s ``values``,
    or a learning curve) on all of ``ds``'s features, as a background job: up to twenty values
    times five folds take seconds, too long for the page's script thread. Progress is reported
    after each point; Stop ends it with the partial curve (``complete`` False)."""

    def progress(done: int, total: int) -> bool:
        return ctx.report(done / total)

    if what == "learning":
        return learning_curve(ds, ds.features, params, seed=seed, on_progress=progress)
    return complexity_curve(ds, ds.features, params, param, values, seed=seed, on_progress=progress)
