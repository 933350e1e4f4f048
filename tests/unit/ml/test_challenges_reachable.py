"""Every challenge can be met with the lesson's own tools: a known solution, computed by core on
the challenge's setup, passes the judge (an unreachable goal would only teach frustration)."""

from __future__ import annotations

import numpy as np

from core.ml import clustering, hierarchical, neural_net, pca, semi_supervised, supervised
from core.ml.challenges import CHALLENGES, judge
from core.ml.datasets import load
from core.ml.evaluation import threshold_metrics
from core.ml.neural_net import MlpParams
from core.ml.supervised import ModelParams


def test_regression() -> None:
    ds = load("noisy_line", n_samples=40, noise=0.3)
    _, fit = supervised.regression_line(ds, ModelParams("linear", alpha=0.0))
    setup = {"dataset": "noisy_line", "n_samples": 40, "noise": 0.3}
    measured = {"train_score": fit.train_score, "test_score": fit.test_score}
    assert judge("regression", setup, measured).correct
    _, wiggly = supervised.regression_line(ds, ModelParams("linear", degree=15, alpha=0.0))
    assert not judge(
        "regression", setup, {"train_score": wiggly.train_score, "test_score": wiggly.test_score}
    ).correct


def test_classification_wine_with_three_features() -> None:
    features = ["proline", "od280/od315_of_diluted_wines", "color_intensity"]
    fit = supervised.fit_and_evaluate(load("wine"), features, ModelParams("tree", max_depth=4))
    measured = {"n_features": 3, "train_score": fit.train_score, "test_score": fit.test_score}
    assert judge("classification", {"dataset": "wine"}, measured).correct


def test_overfitting_balance_on_noisy_moons() -> None:
    ds = load("moons", n_samples=200, noise=0.35)
    fit = supervised.fit_and_evaluate(ds, ds.features, ModelParams("tree", max_depth=2))
    measured = {"train_score": fit.train_score, "test_score": fit.test_score}
    assert judge("overfitting", {"dataset": "moons", "noise": 0.35}, measured).correct


def test_evaluation_threshold_exists() -> None:
    ds = load("breast_cancer")
    fit = supervised.fit_and_evaluate(ds, ds.features, ModelParams("logistic"))
    assert fit.scores_test is not None
    malignant, score = (fit.y_test == 0).astype(int), 1 - fit.scores_test
    verdicts = [
        judge(
            "evaluation", {}, {"recall": m.recall, "precision": m.precision, "accuracy": m.accuracy}
        )
        for m in (threshold_metrics(malignant, score, t) for t in np.arange(0.01, 0.99, 0.01))
    ]
    assert any(v.correct for v in verdicts)
    assert not verdicts[49].correct  # the default threshold 0.5 is not enough: the lesson's point


def test_small_network_on_circles() -> None:
    ds = load("circles", noise=0.1)
    result = neural_net.train(ds, ds.features, MlpParams(hidden_layers=(8,), epochs=150))
    measured = {
        "hidden_units": 8,
        "train_score": result.final.train_score,
        "test_score": result.final.test_score,
    }
    assert judge("neural_net", {"dataset": "circles"}, measured).correct


def test_clustering_challenges() -> None:
    X = load("blobs").X.to_numpy()
    best = clustering.best_k(clustering.choose_k(X))
    assert judge("kmeans", {}, {"k": best, "best_k": best}).correct
    moons = load("moons", noise=0.05)
    found = clustering.dbscan(moons.X.to_numpy(), 0.2, 5)
    agreement = clustering.agreement(moons.y.to_numpy(), found.labels)
    measured = {
        "n_clusters": found.n_clusters,
        "noise_share": found.noise_share,
        "agreement": agreement,
    }
    assert judge("dbscan", {"dataset": "moons"}, measured).correct
    blobs = load("blobs")
    for linkage, solved in (("ward", True), ("single", False)):
        tree = hierarchical.hierarchical(blobs.X.to_numpy(), 3, linkage)
        measured = {
            "n_clusters": tree.n_clusters,
            "agreement": clustering.agreement(blobs.y.to_numpy(), tree.labels),
            "largest_share": max(tree.cluster_sizes) / len(blobs.X),
        }
        assert judge("hierarchical", {"dataset": "blobs"}, measured).correct is solved


def test_pca_and_semi_supervised() -> None:
    result = pca.pca(load("digits").X)
    fewest = pca.components_for(result, 0.9)
    measured = {
        "n_components": fewest,
        "cumulative": float(result.cumulative[fewest - 1]),
        "fewest": fewest,
    }
    assert judge("pca", {"dataset": "digits"}, measured).correct
    semi = semi_supervised.compare("moons", 0.05, 0)
    measured = {"labelled_fraction": 0.05, "semi_accuracy": semi.semi_supervised_accuracy}
    assert judge("semi_supervised", {"dataset": "moons"}, measured).correct


def test_every_challenge_has_a_reachability_test() -> None:
    covered = {
        "regression",
        "classification",
        "overfitting",
        "evaluation",
        "neural_net",
        "kmeans",
        "dbscan",
        "hierarchical",
        "pca",
        "semi_supervised",
    }
    assert set(CHALLENGES) == covered
