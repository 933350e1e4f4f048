import pandas as pd
import pytest

from core.ml.challenges import CHALLENGES, ERROR_CODES, judge
from core.ml.lessons import BY_ID, LESSONS, progress


def test_every_challenge_belongs_to_a_lesson_and_lists_its_codes() -> None:
    assert set(CHALLENGES) <= set(BY_ID)
    assert "applications" not in CHALLENGES  # a tour of worked examples, no experiment to tune
    assert {"train_test_confusion", "overfit_as_good"} <= set(ERROR_CODES)


def test_a_wrong_setup_is_not_judged() -> None:
    verdict = judge("classification", {"dataset": "iris"}, {})
    assert not verdict.ready and verdict.mismatched == ("dataset",) and verdict.error_type is None


@pytest.mark.parametrize(
    ("measured", "error"),
    [
        ({"n_features": 3, "train_score": 1.0, "test_score": 0.97}, None),
        ({"n_features": 13, "train_score": 1.0, "test_score": 1.0}, "too_many_features"),
        ({"n_features": 2, "train_score": 1.0, "test_score": 0.91}, "train_test_confusion"),
        ({"n_features": 1, "train_score": 0.7, "test_score": 0.66}, "below_target"),
    ],
)
def test_wine_with_few_features(measured: dict[str, float], error: str | None) -> None:
    verdict = judge("classification", {"dataset": "wine"}, measured)
    assert verdict.ready and verdict.error_type == error and verdict.correct == (error is None)


@pytest.mark.parametrize(
    ("train", "test", "error"),
    [(1.0, 0.84, "overfit_as_good"), (0.8, 0.79, "underfit"), (0.91, 0.9, None)],
)
def test_overfitting_balance(train: float, test: float, error: str | None) -> None:
    setup = {"dataset": "moons", "noise": 0.35}
    assert judge("overfitting", setup, {"train_score": train, "test_score": test}).error_type == (
        error
    )


def test_regression_on_few_noisy_points() -> None:
    setup = {"dataset": "noisy_line", "n_samples": 40, "noise": 0.3}
    wiggly = {"train_score": 0.85, "test_score": -6.1}
    assert judge("regression", setup, wiggly).error_type == "overfit_as_good"
    assert judge("regression", setup, {"train_score": 0.7, "test_score": 0.68}).correct
    assert not judge("regression", {**setup, "n_samples": 300}, wiggly).ready


@pytest.mark.parametrize(
    ("recall", "precision", "accuracy", "error"),
    [
        (0.99, 0.93, 0.95, None),
        (1.0, 0.7, 0.75, "precision_sacrificed"),
        (0.9, 0.98, 0.93, "accuracy_only"),
        (0.5, 0.6, 0.6, "below_target"),
    ],
)
def test_catching_malignant_tumours(
    recall: float, precision: float, accuracy: float, error: str | None
) -> None:
    measured = {"recall": recall, "precision": precision, "accuracy": accuracy}
    assert judge("evaluation", {}, measured).error_type == error


def test_clustering_and_pca_rules() -> None:
    assert judge("kmeans", {}, {"k": 6, "best_k": 4}).error_type == "more_clusters_better"
    assert judge("kmeans", {}, {"k": 2, "best_k": 4}).error_type == "too_few_clusters"
    assert judge("kmeans", {}, {"k": 4, "best_k": 4}).correct
    moons = {"dataset": "moons"}
    assert judge(
        "dbscan", moons, {"n_clusters": 1, "noise_share": 0, "agreement": 0}
    ).error_type == ("eps_too_large")
    assert judge(
        "dbscan", moons, {"n_clusters": 2, "noise_share": 0.2, "agreement": 0.9}
    ).error_type == ("eps_too_small")
    assert judge("dbscan", moons, {"n_clusters": 2, "noise_share": 0.01, "agreement": 0.99}).correct
    chained = {"n_clusters": 3, "agreement": 0.01, "largest_share": 0.97}
    assert judge("hierarchical", {"dataset": "blobs"}, chained).error_type == "linkage_chaining"
    digits = {"dataset": "digits"}
    assert judge(
        "pca", digits, {"cumulative": 0.85, "n_components": 15, "fewest": 21}
    ).error_type == ("too_few_components")
    assert judge(
        "pca", digits, {"cumulative": 0.95, "n_components": 30, "fewest": 21}
    ).error_type == ("too_many_components")
    assert judge("pca", digits, {"cumulative": 0.9, "n_components": 21, "fewest": 21}).correct
    few = {"labelled_fraction": 0.05, "semi_accuracy": 0.97}
    assert judge("semi_supervised", moons, few).correct
    assert judge("semi_supervised", moons, {**few, "labelled_fraction": 0.2}).error_type == (
        "too_many_labels"
    )


def test_progress_counts_the_first_prediction_and_any_solved_challenge() -> None:
    events = pd.DataFrame(
        {
            "activity": ["ml", "ml", "ml", "ml", "quest"],
            "item_id": [
                "predict.kmeans",
                "predict.kmeans",
                "challenge.kmeans",
                "challenge.kmeans",
                "predict.pca",
            ],
            "correct": [False, True, False, True, True],
        }
    )
    status = progress(events)
    assert set(status) == {lesson.id for lesson in LESSONS}
    kmeans = status["kmeans"]
    assert kmeans.predicted and not kmeans.prediction_correct
    assert kmeans.challenge_solved and kmeans.challenge_attempts == 2
    assert not status["pca"].predicted  # other activities do not count
    assert not progress(pd.DataFrame())["regression"].predicted


def test_every_lesson_has_its_text_in_every_language() -> None:
    from core.config import LANGUAGES
    from core.ml.lessons import lesson_text

    for lesson in LESSONS:
        texts = {lang: lesson_text(lesson.id, lang) for lang in LANGUAGES}
        assert all(len(text) > 200 for text in texts.values()), lesson.id
        assert texts["kk"] != texts["en"] and texts["ru"] != texts["en"], lesson.id
