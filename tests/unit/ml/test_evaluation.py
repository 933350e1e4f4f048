"""Thresholds checked by hand; validation and learning curves on fixed seeds."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest

from core.ml.datasets import Dataset, load
from core.ml.evaluation import (
    Curve,
    best_value,
    complexity_curve,
    learning_curve,
    threshold_metrics,
    threshold_sweep,
)
from core.ml.supervised import ModelParams, fit_and_evaluate

Y = [1, 1, 0, 0, 1, 0]
SCORES = [0.9, 0.4, 0.6, 0.2, 0.7, 0.1]


def test_threshold_metrics_by_hand() -> None:
    m = threshold_metrics(Y, SCORES, 0.5)
    # predicted positive: 0.9 (1), 0.6 (0), 0.7 (1); missed: 0.4 (1)
    assert (m.tp, m.fp, m.fn, m.tn) == (2, 1, 1, 2)
    assert m.accuracy == pytest.approx(4 / 6)
    assert m.precision == pytest.approx(2 / 3)
    assert m.recall == pytest.approx(2 / 3)
    assert m.specificity == pytest.approx(2 / 3)
    assert m.f1 == pytest.approx(2 / 3)
    assert m.threshold == 0.5


def test_threshold_is_inclusive_and_the_positive_class_can_be_zero() -> None:
    at_score = threshold_metrics(Y, SCORES, 0.6)
    assert (at_score.tp, at_score.fp) == (2, 1)  # 0.6 itself counts as positive
    zero_positive = threshold_metrics(Y, SCORES, 0.5, positive=0)
    assert (zero_positive.tp, zero_positive.fp, zero_positive.fn, zero_positive.tn) == (1, 2, 2, 1)


def test_threshold_zero_catches_everyone_and_one_above_the_top_catches_no_one() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        everyone = threshold_metrics(Y, SCORES, 0.0)
        no_one = threshold_metrics(Y, SCORES, 0.95)
    assert everyone.recall == 1.0
    assert everyone.specificity == 0.0
    assert everyone.precision == pytest.approx(0.5)
    assert (no_one.tp, no_one.fp) == (0, 0)
    assert no_one.precision == 0.0  # undefined, reported as 0 without a warning
    assert no_one.recall == 0.0
    assert no_one.f1 == 0.0
    assert no_one.specificity == 1.0


def test_threshold_slider_on_breast_cancer() -> None:
    ds = load("breast_cancer")
    fit = fit_and_evaluate(ds, ds.features, ModelParams("logistic"))
    assert fit.scores_test is not None
    low = threshold_metrics(fit.y_test, fit.scores_test, 0.1)
    high = threshold_metrics(fit.y_test, fit.scores_test, 0.9)
    assert low.recall >= high.recall
    assert high.precision >= low.precision
    assert low.tp + low.fp + low.fn + low.tn == fit.n_test
    middle = threshold_metrics(fit.y_test, fit.scores_test, 0.5)
    assert middle.accuracy == pytest.approx(fit.test_score)  # predict() uses 0.5 too


def test_threshold_sweep() -> None:
    thresholds, precision, recall = threshold_sweep(Y, SCORES, points=11)
    np.testing.assert_allclose(thresholds, np.linspace(0, 1, 11))
    assert recall[0] == 1.0
    assert np.all(np.diff(recall) <= 0)
    assert precision[5] == pytest.approx(2 / 3)
    assert recall[5] == pytest.approx(2 / 3)
    assert precision[-1] == 0.0
    decision = np.array([-2.0, 3.0, -1.0, 0.5])
    swept, _, _ = threshold_sweep([0, 1, 0, 1], decision, points=5)
    assert swept[0] == -2.0
    assert swept[-1] == 3.0


@pytest.mark.parametrize(
    ("y", "scores"),
    [([1, 0], [0.5]), ([], []), ([1, 0], [0.5, float("nan")]), ([[1, 0]], [[0.1, 0.2]])],
)
def test_threshold_inputs_are_checked(y: Any, scores: Any) -> None:
    with pytest.raises(ValueError):
        threshold_metrics(y, scores, 0.5)


def test_tree_depth_overfits_noisy_moons() -> None:
    ds = load("moons", n_samples=200, noise=0.35)
    curve = complexity_curve(ds, ds.features, ModelParams("tree"), "max_depth", range(1, 16))
    assert curve.complete
    assert curve.param == "max_depth"
    np.testing.assert_array_equal(curve.values, np.arange(1, 16))
    assert curve.train_mean[-1] > 0.99
    assert curve.train_mean[-1] > curve.test_mean[-1] + 0.1
    peak = best_value(curve)
    assert peak < 15
    assert curve.test_mean.max() > curve.test_mean[-1] + 0.02  # it falls after the peak
    assert np.all(curve.train_std >= 0)
    assert np.all(curve.test_std > 0)


def test_polynomial_degree_curve() -> None:
    ds = load("noisy_line", n_samples=30)
    params = ModelParams("linear", alpha=0.0)
    curve = complexity_curve(ds, ["x"], params, "degree", [1, 3, 15])
    assert curve.train_mean[2] > curve.train_mean[0]
    assert curve.test_mean[2] < 0.0 < curve.test_mean[0]
    assert best_value(curve) in (1.0, 3.0)


def test_hidden_units_means_one_layer() -> None:
    ds = load("iris")
    curve = complexity_curve(ds, ds.features, ModelParams("mlp"), "hidden_units", [1, 8], cv=3)
    assert curve.values.tolist() == [1.0, 8.0]
    assert curve.test_mean[1] > curve.test_mean[0]


def test_stop_after_a_few_points_gives_a_partial_curve() -> None:
    ds = load("moons")
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return done < 3

    curve = complexity_curve(
        ds, ds.features, ModelParams("svm"), "C", [0.01, 0.1, 1, 10, 100], on_progress=progress
    )
    assert calls == [(1, 5), (2, 5), (3, 5)]
    assert not curve.complete
    assert curve.values.tolist() == [0.01, 0.1, 1.0]
    assert curve.train_mean.shape == curve.test_std.shape == (3,)


def test_learning_curve_closes_the_gap() -> None:
    ds = load("moons", noise=0.35)
    calls: list[int] = []

    def progress(done: int, total: int) -> bool:
        calls.append(done)
        return True

    curve = learning_curve(ds, ds.features, ModelParams("tree", max_depth=4), on_progress=progress)
    assert calls == list(range(1, 8))
    assert curve.complete
    assert curve.param == "train_size"
    assert curve.values[-1] == 240  # 4/5 of 300 samples
    assert curve.values[0] == 24
    assert np.all(np.diff(curve.values) > 0)
    assert curve.train_mean[0] > curve.train_mean[-1]
    assert curve.test_mean[-1] > curve.test_mean[0]
    gap = curve.train_mean - curve.test_mean
    assert gap[-1] < gap[0]


def test_learning_curve_can_be_stopped() -> None:
    ds = load("iris")
    curve = learning_curve(
        ds,
        ds.features,
        ModelParams("logistic"),
        sizes=(0.2, 0.5, 1.0),
        on_progress=lambda d, t: False,
    )
    assert not curve.complete
    assert len(curve.values) == 1


@pytest.mark.parametrize(
    ("params", "param", "values"),
    [
        (ModelParams("logistic"), "max_depth", [1, 2]),  # does not change a logistic model
        (ModelParams("svm", kernel="linear"), "gamma", [0.1, 1.0]),
        (ModelParams("tree"), "max_depth", [1, 99]),  # out of range
        (ModelParams("tree"), "max_depth", [1.5]),
        (ModelParams("tree"), "max_depth", []),
        (ModelParams("tree"), "depth", [1, 2]),
    ],
)
def test_complexity_curve_rejects_bad_requests(
    params: ModelParams, param: Any, values: list[float]
) -> None:
    ds = load("iris")
    with pytest.raises(ValueError):
        complexity_curve(ds, ds.features, params, param, values)


def test_learning_curve_rejects_bad_sizes_and_folds() -> None:
    ds = load("iris")
    with pytest.raises(ValueError):
        learning_curve(ds, ds.features, ModelParams("tree"), sizes=(0.0, 1.0))
    with pytest.raises(ValueError):
        learning_curve(ds, ds.features, ModelParams("tree"), sizes=(0.01,))  # 1 sample, 3 classes
    with pytest.raises(ValueError):
        learning_curve(ds, ds.features, ModelParams("tree"), cv=1)


def test_best_value_prefers_the_first_of_equals() -> None:
    flat = np.zeros(4)
    curve = Curve(
        "C", np.array([0.1, 1, 10, 100]), flat, flat, np.array([0.7, 0.9, 0.9, 0.8]), flat, True
    )
    assert best_value(curve) == 1.0
    empty = Curve("C", np.array([]), flat[:0], flat[:0], flat[:0], flat[:0], False)
    with pytest.raises(ValueError):
        best_value(empty)


def test_curves_refuse_a_polynomial_blow_up() -> None:
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(60, 12)), columns=[f"f{i}" for i in range(12)])
    wide = Dataset("wide", X, X.sum(axis=1), "regression")
    with pytest.raises(ValueError, match="polynomial terms"):
        learning_curve(wide, wide.features, ModelParams("linear", degree=9))
    with pytest.raises(ValueError, match="polynomial terms"):
        complexity_curve(wide, wide.features, ModelParams("linear"), "degree", [1, 9])
    curve = complexity_curve(wide, wide.features, ModelParams("linear"), "degree", [1, 2], cv=3)
    assert curve.complete
