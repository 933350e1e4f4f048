"""Supervised models on fixed seeds: the numbers here are what the lessons claim on screen."""

from __future__ import annotations

import contextlib
import io
from typing import Any

import numpy as np
import pandas as pd
import pytest

from core.ml.datasets import Dataset, load
from core.ml.snippets import code_snippet
from core.ml.supervised import (
    CLASSIFIERS,
    REGRESSORS,
    ModelParams,
    build_model,
    decision_surface,
    fit_and_evaluate,
    regression_line,
)


def test_linear_regression_recovers_the_generating_line() -> None:
    ds = load("noisy_line")  # y = 1.5 x + 2 + noise
    line, fit = regression_line(ds, ModelParams("linear", alpha=0.0))
    regressor = fit.model[-1]
    assert regressor.coef_[0] == pytest.approx(1.5, abs=0.1)
    assert regressor.intercept_ == pytest.approx(2.0, abs=0.15)
    assert fit.metric == "r2"
    assert fit.mae_test is not None
    assert fit.confusion is None
    assert fit.roc == ()
    assert line.x.shape == line.y.shape == (200,)
    assert line.x[0] == pytest.approx(ds.X["x"].min())
    assert line.x[-1] == pytest.approx(ds.X["x"].max())
    np.testing.assert_allclose(line.y, regressor.coef_[0] * line.x + regressor.intercept_)


def test_high_polynomial_degree_overfits_a_small_sample() -> None:
    ds = load("noisy_line", n_samples=30)
    straight = fit_and_evaluate(ds, ["x"], ModelParams("linear", degree=1, alpha=0.0))
    wiggly = fit_and_evaluate(ds, ["x"], ModelParams("linear", degree=15, alpha=0.0))
    assert straight.train_score - straight.test_score < 0.15
    assert wiggly.train_score > straight.train_score
    assert wiggly.train_score - wiggly.test_score > 1.0
    assert wiggly.test_score < 0.0


def test_ridge_penalty_tames_the_high_degree_polynomial() -> None:
    ds = load("noisy_line", n_samples=30)
    ridge = fit_and_evaluate(ds, ["x"], ModelParams("linear", degree=15, alpha=1.0))
    assert ridge.test_score > 0.5
    assert ridge.train_score - ridge.test_score < 0.3


def test_a_linear_boundary_cannot_follow_the_moons() -> None:
    ds = load("moons")
    scores = {
        kind: fit_and_evaluate(ds, ds.features, ModelParams(kind)).test_score
        for kind in ("logistic", "svm", "forest")
    }
    assert scores["svm"] >= 0.95
    assert scores["forest"] >= 0.95
    assert scores["logistic"] < scores["svm"] - 0.05
    assert scores["logistic"] < scores["forest"] - 0.05


def test_forest_on_wine() -> None:
    fit = fit_and_evaluate(load("wine"), load("wine").features, ModelParams("forest"))
    assert fit.test_score >= 0.9
    assert fit.metric == "accuracy"
    assert fit.class_names == ("class_0", "class_1", "class_2")
    assert len(fit.roc) == 3  # one-vs-rest per class
    assert [c.label for c in fit.roc] == list(fit.class_names)
    assert fit.scores_test is None  # only binary tasks have a single positive-class score


@pytest.mark.parametrize("kind", CLASSIFIERS)
@pytest.mark.parametrize("name", ["iris", "breast_cancer", "blobs"])
def test_confusion_matrix_counts_the_test_set(name: str, kind: Any) -> None:
    ds = load(name)
    fit = fit_and_evaluate(ds, ds.features, ModelParams(kind), test_size=0.3)
    assert fit.confusion is not None
    assert fit.confusion.shape == (ds.n_classes, ds.n_classes)
    assert fit.confusion.sum() == fit.n_test == len(fit.y_test) == len(fit.y_pred)
    assert fit.n_train + fit.n_test == len(ds.X)
    assert np.trace(fit.confusion) / fit.n_test == pytest.approx(fit.test_score)
    np.testing.assert_array_equal(fit.confusion.sum(axis=1), np.bincount(fit.y_test))


@pytest.mark.parametrize("kind", ["logistic", "svm", "forest"])
def test_binary_roc_on_breast_cancer(kind: Any) -> None:
    fit = fit_and_evaluate(load("breast_cancer"), load("breast_cancer").features, ModelParams(kind))
    assert len(fit.roc) == 1
    curve = fit.roc[0]
    assert curve.label == "benign"  # class code 1
    assert curve.auc > 0.95
    assert curve.fpr[0] == 0.0
    assert curve.tpr[-1] == 1.0
    assert fit.scores_test is not None
    assert fit.scores_test.shape == (fit.n_test,)


def test_roc_when_a_rare_class_is_missing_from_one_side_of_the_split() -> None:
    X = pd.DataFrame({"a": np.arange(13.0), "b": np.arange(13.0) % 3})
    y = pd.Series([0, 1, 2] * 4 + [3])  # one "s": too rare to stratify
    ds = Dataset("tiny", X, y, "classification", ("p", "q", "r", "s"))
    not_tested = fit_and_evaluate(ds, ["a", "b"], ModelParams("logistic"), test_size=0.4, seed=0)
    assert 3 not in not_tested.y_test
    assert [c.label for c in not_tested.roc] == ["p", "q", "r"]
    assert not_tested.confusion is not None
    assert not_tested.confusion.shape == (4, 4)
    never_seen = fit_and_evaluate(ds, ["a", "b"], ModelParams("logistic"), test_size=0.4, seed=3)
    assert 3 in never_seen.y_test
    assert 3 not in never_seen.model.classes_
    assert [c.label for c in never_seen.roc] == ["p", "q", "r", "s"]
    assert never_seen.roc[3].auc == pytest.approx(0.5)  # a class it never learned: no ranking


def test_decision_surface_on_two_features() -> None:
    ds = load("moons")
    surface, fit = decision_surface(ds, ("x1", "x2"), ModelParams("logistic"), resolution=40)
    assert surface.features == ("x1", "x2")
    assert surface.x.shape == surface.y.shape == (40,)
    assert surface.z.shape == (40, 40)
    assert surface.kind == "probability"
    assert 0.0 <= surface.z.min() < 0.5 < surface.z.max() <= 1.0
    span = ds.X["x1"].max() - ds.X["x1"].min()
    assert surface.x[0] == pytest.approx(ds.X["x1"].min() - 0.05 * span)
    assert surface.x[-1] == pytest.approx(ds.X["x1"].max() + 0.05 * span)
    assert fit.features == ("x1", "x2")


def test_decision_surface_kinds() -> None:
    svm, _ = decision_surface(load("moons"), ("x1", "x2"), ModelParams("svm"), resolution=20)
    assert svm.kind == "class"  # no probabilities without Platt scaling
    assert set(np.unique(svm.z)) == {0.0, 1.0}
    blobs, _ = decision_surface(load("blobs"), ("x1", "x2"), ModelParams("tree"), resolution=30)
    assert blobs.kind == "class"
    assert set(np.unique(blobs.z)) == {0.0, 1.0, 2.0}
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.uniform(0, 1, (80, 2)), columns=["u", "v"])
    plane = Dataset("plane", X, X["u"] + 2 * X["v"], "regression")
    values, _ = decision_surface(plane, ("u", "v"), ModelParams("linear"), resolution=25)
    assert values.kind == "value"
    assert values.z.shape == (25, 25)
    assert values.z[-1, -1] > values.z[0, 0]


def test_wine_surface_uses_only_the_two_features() -> None:
    ds = load("wine")
    surface, fit = decision_surface(ds, ("alcohol", "proline"), ModelParams("forest"))
    assert fit.features == ("alcohol", "proline")
    assert fit.model[-1].n_features_in_ == 2
    assert surface.z.shape == (100, 100)


@pytest.mark.parametrize(
    ("params", "task"),
    [
        (ModelParams("linear"), "classification"),
        (ModelParams("logistic"), "regression"),
        (ModelParams("tree"), "clustering"),
        (ModelParams("tree", max_depth=0), "classification"),
        (ModelParams("forest", n_estimators=0), "classification"),
        (ModelParams("forest", n_estimators=501), "regression"),
        (ModelParams("svm", C=0.0), "classification"),
        (ModelParams("svm", C=1e4), "classification"),
        (ModelParams("svm", gamma=0.0), "classification"),
        (ModelParams("mlp", hidden_units=()), "classification"),
        (ModelParams("mlp", hidden_units=(300,)), "classification"),
        (ModelParams("mlp", hidden_units=(8, 8, 8, 8)), "classification"),
        (ModelParams("mlp", alpha=-1.0), "classification"),
        (ModelParams("linear", degree=16), "regression"),
        (ModelParams("linear", degree=0), "regression"),
    ],
)
def test_validate_rejects_bad_params(params: ModelParams, task: str) -> None:
    with pytest.raises(ValueError):
        params.validate(task)
    with pytest.raises(ValueError):
        build_model(params, task)


@pytest.mark.parametrize("kind", REGRESSORS)
def test_every_regressor_is_accepted(kind: Any) -> None:
    ModelParams(kind).validate("regression")


def test_bad_features_are_a_clear_error() -> None:
    ds = load("iris")
    with pytest.raises(ValueError, match="unknown feature"):
        fit_and_evaluate(ds, ["petal size"], ModelParams("tree"))
    with pytest.raises(ValueError, match="at least one"):
        fit_and_evaluate(ds, [], ModelParams("tree"))
    with pytest.raises(ValueError, match="two different"):
        decision_surface(ds, ("petal width (cm)", "petal width (cm)"), ModelParams("tree"))
    with pytest.raises(ValueError, match="regression"):
        regression_line(ds, ModelParams("tree"))


def _step_names(params: ModelParams, task: str) -> list[str]:
    return [type(step).__name__ for step in build_model(params, task)]


def test_scalers_only_where_the_model_needs_them() -> None:
    assert _step_names(ModelParams("tree"), "classification") == ["DecisionTreeClassifier"]
    assert _step_names(ModelParams("forest"), "regression") == ["RandomForestRegressor"]
    assert _step_names(ModelParams("svm"), "regression") == ["StandardScaler", "SVR"]
    assert _step_names(ModelParams("logistic"), "classification")[0] == "StandardScaler"
    assert _step_names(ModelParams("mlp"), "classification")[0] == "StandardScaler"
    assert _step_names(ModelParams("linear", alpha=0.0), "regression") == ["LinearRegression"]
    assert _step_names(ModelParams("linear", degree=3), "regression") == [
        "StandardScaler",
        "PolynomialFeatures",
        "StandardScaler",
        "Ridge",
    ]


def _run(code: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(code, namespace)
    return namespace


@pytest.mark.parametrize(
    ("dataset", "features", "params"),
    [
        ("wine", ["alcohol", "malic_acid"], ModelParams("forest", max_depth=3, n_estimators=20)),
        ("moons", None, ModelParams("svm", C=10.0, gamma=2.0)),
        ("blobs", None, ModelParams("logistic", C=0.1)),
        ("noisy_line", None, ModelParams("linear", degree=5, alpha=0.1)),
    ],
)
def test_code_snippet_reproduces_the_page_score(
    dataset: str, features: list[str] | None, params: ModelParams
) -> None:
    ds = load(dataset)
    fit = fit_and_evaluate(ds, features or ds.features, params)
    code = code_snippet(params, ds.task, dataset=dataset, features=features)
    assert "make_pipeline(" in code
    assert "model.fit(X_train, y_train)" in code
    namespace = _run(code)
    assert namespace["model"].score(namespace["X_test"], namespace["y_test"]) == pytest.approx(
        fit.test_score
    )


def test_code_snippet_for_the_learners_own_data() -> None:
    code = code_snippet(ModelParams("svm", C=0.5, kernel="poly"), "classification")
    assert 'SVC(C=0.5, kernel="poly", gamma="scale")' in code
    assert "StandardScaler()" in code
    assert "# X: your table" in code
    compile(code, "<snippet>", "exec")
    with pytest.raises(ValueError):
        code_snippet(ModelParams("logistic"), "regression")


def test_polynomial_blow_up_is_refused_before_it_allocates() -> None:
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(40, 20)), columns=[f"f{i}" for i in range(20)])
    wide = Dataset("wide", X, X.sum(axis=1), "regression")
    with pytest.raises(ValueError, match="polynomial terms"):
        fit_and_evaluate(wide, wide.features, ModelParams("linear", degree=15))
    fit = fit_and_evaluate(wide, wide.features[:2], ModelParams("linear", degree=15))
    assert fit.n_train == 30
