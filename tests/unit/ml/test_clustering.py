import itertools

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score, silhouette_score

from core.ml import clustering, datasets
from core.ml.clustering import (
    KScore,
    agreement,
    best_k,
    choose_k,
    dbscan,
    k_distance,
    kmeans_steps,
    silhouette,
)


def _blobs(seed: int, centers: int = 3) -> tuple[np.ndarray, np.ndarray]:
    x, y = make_blobs(300, centers=centers, cluster_std=0.5, random_state=seed)
    return x, y


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_kmeans_steps_end_where_scikit_learn_ends(seed: int) -> None:
    x, _ = _blobs(seed)
    steps = kmeans_steps(pd.DataFrame(x), 3, seed=seed)
    reference = KMeans(3, random_state=seed, n_init=10).fit(x)
    assert adjusted_rand_score(reference.labels_, steps[-1].labels) == 1.0
    assert steps[-1].inertia == pytest.approx(reference.inertia_, rel=1e-9)


@pytest.mark.parametrize("seed", [0, 5, 11])
def test_kmeans_inertia_never_grows_and_the_animation_converges(seed: int) -> None:
    x = datasets.load("moons", n_samples=300, noise=0.2, seed=seed).X
    steps = kmeans_steps(x, 6, seed=seed)
    assert [s.iteration for s in steps] == list(range(len(steps)))
    assert len(steps) > 2
    inertias = [s.inertia for s in steps]
    assert all(b <= a * (1 + 1e-12) for a, b in itertools.pairwise(inertias))
    assert inertias[-1] < inertias[0]
    assert steps[0].shift == 0.0 and steps[1].shift > 0
    assert np.array_equal(steps[-1].labels, steps[-2].labels)
    assert not np.array_equal(steps[1].labels, steps[0].labels)
    for step in steps:
        assert step.centroids.shape == (6, 2)
        assert step.labels.shape == (300,)
        assert set(np.unique(step.labels)) <= set(range(6))
        expected = np.sum((x.to_numpy() - step.centroids[step.labels]) ** 2)
        assert step.inertia == pytest.approx(expected)


def test_each_step_moves_centroids_to_the_means_of_the_previous_assignment() -> None:
    x, _ = _blobs(4, centers=4)
    steps = kmeans_steps(x, 4, seed=1)
    for before, after in itertools.pairwise(steps):
        for c in range(4):
            members = x[before.labels == c]
            expected = members.mean(axis=0) if len(members) else before.centroids[c]
            assert np.allclose(after.centroids[c], expected)
        moved = np.linalg.norm(after.centroids - before.centroids, axis=1).max()
        assert after.shift == pytest.approx(moved)


def test_max_iter_stops_the_animation_early() -> None:
    x = datasets.load("moons", n_samples=300, noise=0.3).X
    assert len(kmeans_steps(x, 8, seed=0, max_iter=1)) == 2


def test_an_empty_cluster_keeps_its_centroid() -> None:
    x = np.array([[5.0, 5.0]] * 3 + [[10.0, 10.0]])
    steps = kmeans_steps(x, 3, seed=0)
    counts = np.bincount(steps[0].labels, minlength=3)
    empty = int(np.flatnonzero(counts == 0)[0])
    assert steps[-1].centroids.shape == (3, 2)
    assert np.array_equal(steps[-1].centroids[empty], steps[0].centroids[empty])
    assert np.array_equal(steps[0].centroids[empty], [5.0, 5.0])
    assert steps[-1].inertia == 0.0


@pytest.mark.parametrize("k", [0, 301])
def test_kmeans_rejects_k_outside_the_data(k: int) -> None:
    x, _ = _blobs(0)
    with pytest.raises(ValueError, match="k must be between 1"):
        kmeans_steps(x, k, seed=0)


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="missing or infinite"):
        kmeans_steps(np.array([[0.0, np.nan], [1.0, 2.0]]), 1, seed=0)
    with pytest.raises(ValueError, match="numbers only"):
        dbscan(pd.DataFrame({"a": ["x", "y"], "b": [1.0, 2.0]}), 0.5, 1)


def test_choose_k_finds_four_separated_blobs() -> None:
    x, _ = make_blobs(400, centers=4, cluster_std=0.6, random_state=7)
    scores = choose_k(x, range(2, 9), seed=0)
    assert [s.k for s in scores] == list(range(2, 9))
    assert best_k(scores) == 4
    inertias = [s.inertia for s in scores]
    assert inertias == sorted(inertias, reverse=True)
    labels = KMeans(4, n_init=3, random_state=0).fit_predict(x)
    assert scores[2].silhouette == pytest.approx(silhouette_score(x, labels))


def test_choose_k_validates_ks() -> None:
    x, _ = _blobs(0)
    with pytest.raises(ValueError, match="every k"):
        choose_k(x, [1, 2])
    with pytest.raises(ValueError, match="at least one k"):
        choose_k(x, [])


def test_best_k_prefers_the_highest_silhouette_then_the_smaller_k() -> None:
    scores = [KScore(2, 10.0, 0.5), KScore(3, 5.0, 0.7), KScore(4, 4.0, 0.7), KScore(5, 3, np.nan)]
    assert best_k(scores) == 3
    with pytest.raises(ValueError):
        best_k([KScore(2, 1.0, np.nan)])


def test_dbscan_separates_the_moons_and_kmeans_does_not() -> None:
    moons = datasets.load("moons", n_samples=300, noise=0.05)
    result = dbscan(moons.X, eps=0.2, min_samples=5)
    assert result.n_clusters == 2
    assert agreement(moons.y, result.labels) > 0.95
    kmeans = kmeans_steps(moons.X, 2, seed=0)[-1]
    assert agreement(moons.y, kmeans.labels) < 0.5
    assert result.n_noise == int((result.labels == -1).sum())
    assert result.noise_share == pytest.approx(result.n_noise / 300)
    assert result.core_mask.dtype == bool and result.core_mask.sum() > 250
    assert result.silhouette is not None and 0 < result.silhouette < 1


def test_dbscan_extremes_of_eps() -> None:
    x = datasets.load("blobs", n_samples=300).X
    tiny = dbscan(x, eps=0.01, min_samples=5)
    assert tiny.noise_share > 0.9
    assert not tiny.core_mask[tiny.labels == -1].any()
    huge = dbscan(x, eps=1000.0, min_samples=5)
    assert huge.n_clusters == 1 and huge.n_noise == 0 and huge.silhouette is None


def test_dbscan_can_standardise_first() -> None:
    x = datasets.load("moons", n_samples=300, noise=0.05).X.copy()
    x["x2"] *= 1000.0
    assert dbscan(x, eps=0.3, min_samples=5).n_clusters != 2
    assert dbscan(x, eps=0.3, min_samples=5, standardise=True).n_clusters == 2


@pytest.mark.parametrize(("eps", "min_samples"), [(0.0, 5), (-1.0, 5), (0.2, 0), (0.2, 301)])
def test_dbscan_validates(eps: float, min_samples: int) -> None:
    x = datasets.load("moons", n_samples=300).X
    with pytest.raises(ValueError):
        dbscan(x, eps=eps, min_samples=min_samples)


def test_k_distance_marks_exactly_the_core_points() -> None:
    x = datasets.load("moons", n_samples=300, noise=0.1).X
    distances = k_distance(x, 5)
    assert distances.shape == (300,)
    assert np.all(np.diff(distances) >= 0)
    eps = float(np.median(distances))
    result = dbscan(x, eps=eps, min_samples=5)
    assert result.core_mask.sum() == int((distances <= eps).sum())
    assert np.all(k_distance(x, 1) == 0)


def test_silhouette_ignores_noise_and_matches_scikit_learn() -> None:
    x, y = _blobs(3)
    labels = y.copy()
    labels[:20] = -1
    assert silhouette(x, labels) == pytest.approx(silhouette_score(x[20:], y[20:]))
    assert silhouette(x, np.zeros(300, dtype=int)) is None
    assert silhouette(x, np.full(300, -1)) is None
    singles = np.arange(300)
    assert silhouette(x, singles) is None


def test_silhouette_with_singleton_clusters_matches_scikit_learn() -> None:
    x, y = _blobs(2)
    labels = y.copy()
    labels[:3] = [7, 8, 9]
    assert silhouette(x, labels) == pytest.approx(silhouette_score(x, labels))
    many = np.arange(300) // 3
    assert silhouette(x, many) == pytest.approx(silhouette_score(x, many))


def test_agreement_is_permutation_free() -> None:
    assert agreement([0, 0, 1, 1, -1], [1, 1, 0, 0, 5]) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        agreement([0, 1], [0, 1, 1])


def test_silhouette_of_large_data_is_estimated_on_a_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clustering, "SILHOUETTE_SAMPLE", 500)
    x, y = make_blobs(1500, centers=3, cluster_std=1.0, random_state=1)
    estimate = silhouette(x, y)
    assert estimate is not None
    assert estimate != pytest.approx(silhouette_score(x, y), abs=1e-9)
    assert estimate == pytest.approx(silhouette_score(x, y), abs=0.03)
    assert estimate == silhouette(x, y)
    (score,) = choose_k(x, [3])
    labels = KMeans(3, n_init=3, random_state=0).fit_predict(x)
    assert score.silhouette == pytest.approx(silhouette_score(x, labels), abs=0.03)
