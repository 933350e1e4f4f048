"""Supervised models for the ML lessons: one parameter record that the page's sliders fill, and one
way to fit and score every model, so that classifiers are compared on the same split and metrics.

scikit-learn is imported inside the functions: importing it takes most of a second, and pages that
never train a model must not pay for it.
"""

from __future__ import annotations

import importlib
import math
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from core.jobs.context import JobContext
from core.ml.datasets import Dataset, Split, split

Array = npt.NDArray[Any]
ModelKind = Literal["linear", "logistic", "tree", "forest", "svm", "mlp"]
CLASSIFIERS: tuple[ModelKind, ...] = ("logistic", "tree", "forest", "svm", "mlp")
REGRESSORS: tuple[ModelKind, ...] = ("linear", "tree", "forest", "svm", "mlp")
TASKS: tuple[str, ...] = ("classification", "regression")
LINE_POINTS = 200
MAX_POLY_TERMS = 500


@dataclass(frozen=True)
class ModelParams:
    kind: ModelKind
    max_depth: int | None = None  # tree / forest; None = grow fully
    n_estimators: int = 100  # forest (1..500)
    C: float = 1.0  # logistic / SVM: smaller = stronger regularisation (1e-3..1e3)
    kernel: Literal["linear", "rbf", "poly"] = "rbf"
    gamma: float | None = None  # RBF width; None = "scale"
    hidden_units: tuple[int, ...] = (16,)  # mlp, 1..3 layers of 1..256
    alpha: float = 1e-4  # ridge strength for linear (0 = least squares), weight decay for mlp
    degree: int = 1  # polynomial features for "linear" (1..15)

    def validate(self, task: str) -> None:
        """The page checks ranges before calling; this is the last guard, so each message names
        the parameter and its allowed range."""
        if task not in TASKS:
            raise ValueError(f"task must be 'classification' or 'regression', not {task!r}")
        allowed = CLASSIFIERS if task == "classification" else REGRESSORS
        if self.kind not in allowed:
            raise ValueError(
                f"model {self.kind!r} cannot be used for {task}; choose one of {', '.join(allowed)}"
            )
        units = self.hidden_units
        checks = (
            (
                self.max_depth is None or 1 <= self.max_depth <= 50,
                "max_depth must be None or 1..50",
            ),
            (1 <= self.n_estimators <= 500, "n_estimators must be between 1 and 500"),
            (1e-3 <= self.C <= 1e3, "C must be between 0.001 and 1000"),
            (self.kernel in ("linear", "rbf", "poly"), "kernel must be 'linear', 'rbf' or 'poly'"),
            (self.gamma is None or 1e-4 <= self.gamma <= 1e3, "gamma must be 0.0001..1000 or None"),
            (
                1 <= len(units) <= 3 and all(1 <= u <= 256 for u in units),
                "hidden_units must be 1 to 3 layers of 1..256 units",
            ),
            (0.0 <= self.alpha <= 1e3, "alpha must be between 0 and 1000"),
            (1 <= self.degree <= 15, "degree must be between 1 and 15"),
        )
        for ok, message in checks:
            if not ok:
                raise ValueError(message)


Step = tuple[str, str, dict[str, Any]]  # module, class, keyword arguments
_SCALER: Step = ("sklearn.preprocessing", "StandardScaler", {})


def pipeline_steps(params: ModelParams, task: str, seed: int) -> list[Step]:
    """The pipeline as data, so that ``build_model`` and ``code_snippet`` cannot disagree.
    Polynomial features are scaled before (so powers stay small) and after (so that the ridge
    penalty weighs every power alike)."""
    p = params
    if p.kind == "linear":
        poly: Step = ("sklearn.preprocessing", "PolynomialFeatures", {"degree": p.degree})
        head = [_SCALER, poly, _SCALER] if p.degree > 1 else []
        if p.alpha > 0:
            return [*head, ("sklearn.linear_model", "Ridge", {"alpha": p.alpha})]
        return [*head, ("sklearn.linear_model", "LinearRegression", {})]
    suffix = "Classifier" if task == "classification" else "Regressor"
    depth = {"max_depth": p.max_depth, "random_state": seed}
    gamma = "scale" if p.gamma is None else p.gamma
    table: dict[str, Step] = {
        "logistic": ("sklearn.linear_model", "LogisticRegression", {"C": p.C}),
        "tree": ("sklearn.tree", f"DecisionTree{suffix}", depth),
        "forest": (
            "sklearn.ensemble",
            f"RandomForest{suffix}",
            {"n_estimators": p.n_estimators, **depth},
        ),
        "svm": ("sklearn.svm", f"SV{suffix[0]}", {"C": p.C, "kernel": p.kernel, "gamma": gamma}),
        "mlp": (
            "sklearn.neural_network",
            f"MLP{suffix}",
            {
                "hidden_layer_sizes": p.hidden_units,
                "alpha": p.alpha,
                "learning_rate_init": 0.01,  # the default 0.001 leaves moons underfitted
                "random_state": seed,
            },
        ),
    }
    step = table[p.kind]
    return [step] if p.kind in ("tree", "forest") else [_SCALER, step]


def build_model(params: ModelParams, task: str, seed: int = 0) -> Any:
    """An unfitted pipeline; models that compare distances or follow gradients get a scaler,
    trees do not need one."""
    from sklearn.pipeline import make_pipeline

    params.validate(task)
    return make_pipeline(
        *(
            getattr(importlib.import_module(m), c)(**kw)
            for m, c, kw in pipeline_steps(params, task, seed)
        )
    )


@dataclass(frozen=True)
class RocCurve:
    label: str  # class name (one-vs-rest) or the positive class for binary
    fpr: Array
    tpr: Array
    auc: float


@dataclass(frozen=True)
class FitResult:
    task: str
    metric: str  # "accuracy" or "r2"
    train_score: float
    test_score: float
    mae_test: float | None  # regression only
    confusion: Array | None  # rows = true class, cols = predicted (test set)
    class_names: tuple[str, ...]
    roc: tuple[RocCurve, ...]  # binary: one curve; multiclass: one-vs-rest per class
    y_test: Array
    y_pred: Array
    scores_test: Array | None  # binary: probability / decision score of class 1 on the test set
    features: tuple[str, ...]
    n_train: int
    n_test: int
    fit_seconds: float
    model: Any  # fitted pipeline


def select_features(ds: Dataset, features: Sequence[str]) -> list[str]:
    columns = [str(f) for f in features]
    if not columns:
        raise ValueError("choose at least one feature")
    unknown = [c for c in columns if c not in ds.X.columns]
    if unknown:
        raise ValueError(f"unknown feature(s) for {ds.name}: {', '.join(unknown)}")
    if len(set(columns)) != len(columns):
        raise ValueError("each feature may be chosen only once")
    return columns


def class_scores(model: Any, X: pd.DataFrame, n_classes: int) -> Array | None:
    """One score column per class code: probabilities where the model has them, otherwise its
    decision function (SVC), which ranks just as well for ROC."""
    if hasattr(model, "predict_proba"):
        raw = np.asarray(model.predict_proba(X), dtype=float)
    elif hasattr(model, "decision_function"):
        raw = np.asarray(model.decision_function(X), dtype=float)
    else:
        return None
    if raw.ndim == 1:
        raw = np.column_stack([-raw, raw])
    full = np.full((len(X), n_classes), float(raw.min()))
    full[:, np.asarray(model.classes_, dtype=int)] = raw
    return full


def _roc_curves(
    y_test: Array, scores: Array | None, names: tuple[str, ...]
) -> tuple[RocCurve, ...]:
    from sklearn.metrics import auc, roc_curve

    if scores is None or not np.isfinite(scores).all():
        return ()
    codes = [1] if len(names) == 2 else list(range(len(names)))
    curves = []
    for code in codes:
        positive = y_test == code
        if positive.all() or not positive.any():
            continue  # a class missing from the test set has no ROC curve
        fpr, tpr, _ = roc_curve(positive, scores[:, code])
        curves.append(RocCurve(names[code], fpr, tpr, float(auc(fpr, tpr))))
    return tuple(curves)


def score(task: str, y_true: Array, y_pred: Array) -> float:
    """Accuracy or R² (what ``model.score`` gives) from predictions already made; a diverged
    network's NaN predictions score NaN instead of raising."""
    from sklearn.metrics import accuracy_score, r2_score

    if task == "classification":
        return float(accuracy_score(y_true, y_pred))
    return float(r2_score(y_true, y_pred)) if np.isfinite(y_pred).all() else float("nan")


def evaluate_fitted(model: Any, ds: Dataset, parts: Split, fit_seconds: float) -> FitResult:
    """Scores of an already fitted model on its own split; shared with the epoch-by-epoch MLP."""
    from sklearn.metrics import confusion_matrix, mean_absolute_error

    y_test = parts.y_test.to_numpy()
    y_pred = np.asarray(model.predict(parts.X_test))
    train_pred = np.asarray(model.predict(parts.X_train))
    common: dict[str, Any] = {
        "task": ds.task,
        "train_score": score(ds.task, parts.y_train.to_numpy(), train_pred),
        "test_score": score(ds.task, y_test, y_pred),
        "y_test": y_test,
        "y_pred": y_pred,
        "features": tuple(str(c) for c in parts.X_train.columns),
        "n_train": len(parts.X_train),
        "n_test": len(parts.X_test),
        "fit_seconds": fit_seconds,
        "model": model,
    }
    if ds.task == "regression":
        finite = np.isfinite(y_pred).all()
        mae = float(mean_absolute_error(y_test, y_pred)) if finite else float("nan")
        return FitResult(
            metric="r2", mae_test=mae, confusion=None, class_names=(), roc=(), scores_test=None,
            **common,
        )  # fmt: skip
    names = ds.class_names or tuple(str(i) for i in range(int(ds.y.max()) + 1))
    confusion = confusion_matrix(y_test, y_pred, labels=np.arange(len(names)))
    scores = class_scores(model, parts.X_test, len(names))
    binary = scores[:, 1] if scores is not None and len(names) == 2 else None
    roc = _roc_curves(y_test, scores, names)
    return FitResult(
        metric="accuracy", mae_test=None, confusion=confusion, class_names=names, roc=roc,
        scores_test=binary, **common,
    )  # fmt: skip


def check_size(params: ModelParams, n_features: int) -> None:
    """Polynomial terms grow as (features + degree) choose degree: degree 15 on 20 columns of a
    learner's file would be billions of columns, so refuse before allocating them."""
    if params.kind == "linear" and params.degree > 1:
        terms = math.comb(n_features + params.degree, params.degree) - 1
        if terms > MAX_POLY_TERMS:
            raise ValueError(
                f"degree {params.degree} on {n_features} features makes {terms:,} polynomial"
                f" terms (limit {MAX_POLY_TERMS}): choose fewer features or a lower degree"
            )


def fit_and_evaluate(
    ds: Dataset,
    features: Sequence[str],
    params: ModelParams,
    *,
    test_size: float = 0.25,
    seed: int = 0,
) -> FitResult:
    """Every model gets the same seeded, stratified split, so that a comparison is fair; the
    warnings of a model left unconverged on purpose (tiny C, few iterations) are silenced."""
    from sklearn.exceptions import ConvergenceWarning

    model = build_model(params, ds.task, seed)
    columns = select_features(ds, features)
    check_size(params, len(columns))
    parts = split(ds, columns, test_size=test_size, seed=seed)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(parts.X_train, parts.y_train)
    return evaluate_fitted(model, ds, parts, time.perf_counter() - start)


@dataclass(frozen=True)
class Surface:
    features: tuple[str, str]
    x: Array  # grid along features[0]  (resolution,)
    y: Array  # grid along features[1]
    z: Array  # (len(y), len(x)): class code, probability of class 1, or predicted value
    kind: Literal["class", "probability", "value"]


def _axis(column: pd.Series, resolution: int) -> Array:
    lo, hi = float(column.min()), float(column.max())
    margin = 0.05 * (hi - lo) or 0.5
    return np.linspace(lo - margin, hi + margin, resolution)


def model_surface(
    model: Any, ds: Dataset, features: tuple[str, str], *, resolution: int = 100
) -> Surface:
    """What a model fitted on exactly these two features predicts over their plane (the data
    range plus a 5 % margin). Binary classifiers with probabilities give ``"probability"``; an
    SVM (it has no probabilities) and multiclass models give ``"class"``."""
    if not 10 <= resolution <= 400:
        raise ValueError("resolution must be between 10 and 400")
    x, y = _axis(ds.X[features[0]], resolution), _axis(ds.X[features[1]], resolution)
    xx, yy = np.meshgrid(x, y)
    grid = pd.DataFrame({features[0]: xx.ravel(), features[1]: yy.ravel()})
    kind: Literal["class", "probability", "value"] = "class"
    if ds.task == "regression":
        kind = "value"
    elif ds.n_classes == 2 and hasattr(model, "predict_proba"):
        probabilities = class_scores(model, grid, 2)
        assert probabilities is not None
        return Surface(features, x, y, probabilities[:, 1].reshape(xx.shape), "probability")
    z = np.asarray(model.predict(grid), dtype=float)
    return Surface(features, x, y, z.reshape(xx.shape), kind)


def decision_surface(
    ds: Dataset,
    features: tuple[str, str],
    params: ModelParams,
    *,
    resolution: int = 100,
    test_size: float = 0.25,
    seed: int = 0,
) -> tuple[Surface, FitResult]:
    """The model is refitted on these two features only, so that every point of the plane is an
    input it understands; its scores can differ from a model trained on all features, and the
    page must say so."""
    if len(features) != 2 or features[0] == features[1]:
        raise ValueError("a decision surface needs exactly two different features")
    if not 10 <= resolution <= 400:
        raise ValueError("resolution must be between 10 and 400")
    fit = fit_and_evaluate(ds, features, params, test_size=test_size, seed=seed)
    pair = (str(features[0]), str(features[1]))
    return model_surface(fit.model, ds, pair, resolution=resolution), fit


# A fit on the chosen features, and the boundary over two of them (refitted on those two).
Trained = tuple[FitResult, tuple[Surface, FitResult] | None]


def fit_job(
    ctx: JobContext,
    ds: Dataset,
    features: tuple[str, ...],
    params: ModelParams,
    axes: tuple[str, str] | None,
    seed: int,
) -> Trained:
    """The classification lesson's fit on a learner's large file, as a background job: on
    thousands of rows a forest or an SVM (fitted twice, once more for the boundary) takes
    seconds, and the page must keep answering. Progress after each fit; Stop before the
    boundary's fit ends it with nothing to show (``JobStopped``)."""
    result = fit_and_evaluate(ds, features, params, seed=seed)
    if axes is None:
        ctx.report(1.0)
        return result, None
    ctx.report(0.5)
    ctx.check()
    plane = decision_surface(ds, axes, params, seed=seed)
    ctx.report(1.0)
    return result, plane


@dataclass(frozen=True)
class Line:
    x: Array  # 200 points across the feature range
    y: Array  # model prediction


def regression_line(
    ds: Dataset,
    params: ModelParams,
    *,
    feature: str | None = None,
    test_size: float = 0.25,
    seed: int = 0,
) -> tuple[Line, FitResult]:
    """A curve over the scatter of one feature against the target; a model on one feature is the
    only one whose whole prediction can be drawn as a line."""
    if ds.task != "regression":
        raise ValueError("a regression line needs a regression dataset")
    if feature is None:
        if len(ds.features) != 1:
            raise ValueError("this dataset has several features: choose one for the line")
        feature = ds.features[0]
    fit = fit_and_evaluate(ds, [feature], params, test_size=test_size, seed=seed)
    x = np.linspace(float(ds.X[feature].min()), float(ds.X[feature].max()), LINE_POINTS)
    y = np.asarray(fit.model.predict(pd.DataFrame({feature: x})), dtype=float)
    return Line(x, y), fit
