"""Each lesson ends with a challenge whose goal is a number the experiment measures ("≥ 0.95 test
accuracy on wine with fewer than 5 features"). A miss is classified by what it reveals: a learner
who submits a model that is perfect on its training data but weak on the test set is confusing the
two; one whose tree memorises noise takes overfitting for success. That code is what the teacher's
dashboard aggregates.

The rules below decide; core/challenges.py checks the setup first and applies them.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.challenges import Challenge, Measured, Setup, Verdict, error_codes, judge_challenge

__all__ = ["CHALLENGES", "ERROR_CODES", "Challenge", "Verdict", "judge"]


def _wine(m: Measured, g: Mapping[str, float]) -> str | None:
    target = g["accuracy"]
    if m["n_features"] >= g["max_features"]:
        return "too_many_features"
    if m["test_score"] >= target:
        return None
    return "train_test_confusion" if m["train_score"] >= target else "below_target"


def _balance(m: Measured, g: Mapping[str, float]) -> str | None:
    gap = m["train_score"] - m["test_score"]
    if gap > g["max_gap"]:
        return "overfit_as_good"
    if m["test_score"] < g["score"]:
        return "underfit"
    return None


def _malignant(m: Measured, g: Mapping[str, float]) -> str | None:
    recall_ok = m["recall"] >= g["recall"]
    precision_ok = m["precision"] >= g["precision"]
    if recall_ok and precision_ok:
        return None
    if recall_ok:
        return "precision_sacrificed"
    return "accuracy_only" if m["accuracy"] >= g["recall"] - 0.05 else "below_target"


def _small_net(m: Measured, g: Mapping[str, float]) -> str | None:
    target = g["accuracy"]
    if m["hidden_units"] > g["max_units"]:
        return "too_many_units"
    if m["test_score"] >= target:
        return None
    return "train_test_confusion" if m["train_score"] >= target else "below_target"


def _best_k(m: Measured, g: Mapping[str, float]) -> str | None:
    if m["k"] > m["best_k"]:
        return "more_clusters_better"
    if m["k"] < m["best_k"]:
        return "too_few_clusters"
    return None


def _moons(m: Measured, g: Mapping[str, float]) -> str | None:
    if m["n_clusters"] < 2:
        return "eps_too_large"
    if m["n_clusters"] > 2 or m["noise_share"] > g["max_noise"]:
        return "eps_too_small"
    return None if m["agreement"] >= g["agreement"] else "below_target"


def _groups(m: Measured, g: Mapping[str, float]) -> str | None:
    if m["n_clusters"] != g["groups"]:
        return "k_chosen_blindly"
    if m["agreement"] >= g["agreement"]:
        return None
    return "linkage_chaining" if m["largest_share"] > 0.5 else "below_target"


def _components(m: Measured, g: Mapping[str, float]) -> str | None:
    if m["cumulative"] < g["share"]:
        return "too_few_components"
    return "too_many_components" if m["n_components"] > m["fewest"] else None


def _few_labels(m: Measured, g: Mapping[str, float]) -> str | None:
    if m["labelled_fraction"] > g["max_labelled"] + 1e-9:
        return "too_many_labels"
    return None if m["semi_accuracy"] >= g["accuracy"] else "below_target"


CHALLENGES: dict[str, Challenge] = {
    c.lesson: c
    for c in (
        Challenge(
            "regression",
            "ml.overfitting",
            {"score": 0.65, "max_gap": 0.1},
            {"dataset": "noisy_line", "n_samples": 40, "noise": 0.3},
            _balance,
            ("overfit_as_good", "underfit"),
        ),
        Challenge(
            "classification",
            "ml.supervised",
            {"accuracy": 0.95, "max_features": 5},
            {"dataset": "wine"},
            _wine,
            ("too_many_features", "train_test_confusion", "below_target"),
        ),
        Challenge(
            "overfitting",
            "ml.overfitting",
            {"score": 0.88, "max_gap": 0.05},
            {"dataset": "moons", "noise": 0.35},
            _balance,
            ("overfit_as_good", "underfit"),
        ),
        Challenge(
            "evaluation",
            "ml.evaluation",
            {"recall": 0.96, "precision": 0.9},
            {},
            _malignant,
            ("precision_sacrificed", "accuracy_only", "below_target"),
        ),
        Challenge(
            "neural_net",
            "ml.supervised",
            {"accuracy": 0.95, "max_units": 8},
            {"dataset": "circles"},
            _small_net,
            ("too_many_units", "train_test_confusion", "below_target"),
        ),
        Challenge(
            "kmeans",
            "ml.unsupervised",
            {},
            {},
            _best_k,
            ("more_clusters_better", "too_few_clusters"),
        ),
        Challenge(
            "dbscan",
            "ml.unsupervised",
            {"max_noise": 0.05, "agreement": 0.9},
            {"dataset": "moons"},
            _moons,
            ("eps_too_large", "eps_too_small", "below_target"),
        ),
        Challenge(
            "hierarchical",
            "ml.unsupervised",
            {"groups": 3, "agreement": 0.9},
            {"dataset": "blobs"},
            _groups,
            ("k_chosen_blindly", "linkage_chaining", "below_target"),
        ),
        Challenge(
            "pca",
            "ml.unsupervised",
            {"share": 0.9},
            {"dataset": "digits"},
            _components,
            ("too_few_components", "too_many_components"),
        ),
        Challenge(
            "semi_supervised",
            "ml.semi_supervised",
            {"accuracy": 0.95, "max_labelled": 0.05},
            {"dataset": "moons"},
            _few_labels,
            ("too_many_labels", "below_target"),
        ),
    )
}


def judge(lesson: str, setup: Setup, measured: Measured) -> Verdict:
    return judge_challenge(CHALLENGES[lesson], setup, measured)


ERROR_CODES: tuple[str, ...] = error_codes(CHALLENGES.values())
