"""Clustering for the unsupervised lessons: k-means shown step by step, choosing k, and DBSCAN.

k-means is written out in numpy (Lloyd's algorithm) instead of calling scikit-learn's ``KMeans`` so
that every assignment and centroid move can be animated; scikit-learn still supplies the k-means++
start, so the learner sees the same algorithm the library runs. DBSCAN, the scores and the ``k``
search use scikit-learn, imported inside the functions to keep the app start fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from core.ml.threads import single_threaded

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


def as_matrix(X: Any) -> Floats:
    """One place that turns a DataFrame or array into the float matrix every algorithm expects,
    so that a bad upload fails with a readable message instead of deep inside scikit-learn."""
    try:
        x = np.asarray(X, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError("X must contain numbers only") from exc
    if x.ndim == 1:
        x = x.reshape(-1, 1)
    if x.ndim != 2 or x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError("X must be a non-empty table of numbers (rows x features)")
    if not np.all(np.isfinite(x)):
        raise ValueError("X contains missing or infinite values")
    return x


def zscore(x: Floats) -> Floats:
    """Distances mix units, so a feature measured in thousands would decide every cluster alone;
    a constant feature carries no information and is left at zero instead of dividing by zero."""
    mean, std = x.mean(axis=0), x.std(axis=0)
    varies = std > 1e-12 * np.maximum(1.0, np.abs(mean))
    scaled: Floats = np.where(varies, (x - mean) / np.where(varies, std, 1.0), 0.0)
    return scaled


def _frozen(a: npt.NDArray[Any]) -> npt.NDArray[Any]:
    a.setflags(write=False)
    return a


def _int_labels(labels: Any) -> Ints:
    return np.asarray(labels).astype(np.int64).ravel()


# --- k-means, step by step --------------------------------------------------------------------


@dataclass(frozen=True)
class KMeansStep:
    iteration: int  # 0 = initial centroids with points assigned to the nearest
    centroids: Floats  # k x d
    labels: Ints  # (n,) ints in 0..k-1
    inertia: float  # sum of squared distances to the assigned centroid
    shift: float  # largest centroid move compared with the previous step (0 for step 0)


def _assign(x: Floats, centroids: Floats) -> tuple[Ints, float]:
    sq = (
        np.einsum("ij,ij->i", x, x)[:, None]
        - 2.0 * x @ centroids.T
        + np.einsum("ij,ij->i", centroids, centroids)[None, :]
    )
    labels = np.argmin(sq, axis=1).astype(np.int64)
    inertia = float(np.sum((x - centroids[labels]) ** 2))
    return labels, inertia


def _move(x: Floats, labels: Ints, previous: Floats) -> Floats:
    k, d = previous.shape
    sums = np.zeros((k, d))
    np.add.at(sums, labels, x)
    counts = np.bincount(labels, minlength=k)
    return np.where(counts[:, None] > 0, sums / np.maximum(counts, 1)[:, None], previous)


@single_threaded
def kmeans_steps(X: Any, k: int, seed: int, max_iter: int = 50) -> list[KMeansStep]:
    """Every state of Lloyd's algorithm from the k-means++ start to convergence, so the page can
    animate "assign to the nearest centroid, move each centroid to its points' mean" one step at a
    time. The last step is the converged one (labels stopped changing) unless ``max_iter`` ran out.
    An empty cluster keeps its old centroid rather than vanishing mid-animation."""
    from sklearn.cluster import kmeans_plusplus

    x = as_matrix(X)
    if not 1 <= k <= x.shape[0]:
        raise ValueError(f"k must be between 1 and the number of samples ({x.shape[0]})")
    if max_iter < 1:
        raise ValueError("max_iter must be at least 1")
    centroids, _ = kmeans_plusplus(x, k, random_state=seed)
    centroids = np.asarray(centroids, dtype=float)
    labels, inertia = _assign(x, centroids)
    steps = [KMeansStep(0, _frozen(centroids), _frozen(labels), inertia, 0.0)]
    for iteration in range(1, max_iter + 1):
        moved = _move(x, labels, centroids)
        shift = float(np.max(np.linalg.norm(moved - centroids, axis=1)))
        new_labels, inertia = _assign(x, moved)
        steps.append(KMeansStep(iteration, _frozen(moved), _frozen(new_labels), inertia, shift))
        converged = bool(np.array_equal(new_labels, labels))
        centroids, labels = moved, new_labels
        if converged:
            break
    return steps


# --- scores ---------------------------------------------------------------------------------

SILHOUETTE_SAMPLE = 3000  # above this many points the silhouette is estimated on a seeded sample


def _sample(n: int) -> Ints | None:
    if n <= SILHOUETTE_SAMPLE:
        return None
    rng = np.random.default_rng(0)
    return np.sort(rng.choice(n, SILHOUETTE_SAMPLE, replace=False)).astype(np.int64)


def _distances(x: Floats) -> Floats:
    from sklearn.metrics import pairwise_distances

    d: Floats = np.asarray(pairwise_distances(x), dtype=float)
    return d


def _silhouette_from(distances: Floats, labels: Ints) -> float | None:
    """The silhouette from a precomputed (symmetric) distance matrix, with every point's distance
    sums per cluster taken in one matrix product: several times faster than scikit-learn's
    ``silhouette_score`` and equal to it; choose_k needs nine of them per slider change."""
    codes: Ints
    _, codes, counts = np.unique(labels, return_inverse=True, return_counts=True)
    n, k = codes.shape[0], counts.shape[0]
    if not 2 <= k <= n - 1:
        return None
    if k <= 64:
        onehot = np.zeros((n, k))
        onehot[np.arange(n), codes] = 1.0
        sums = distances @ onehot
    else:
        order = np.argsort(codes, kind="stable")
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        sums = np.add.reduceat(distances[order], starts, axis=0).T
    rows = np.arange(n)
    own = counts[codes]
    a = sums[rows, codes] / np.maximum(own - 1, 1)
    means = sums / counts[None, :]
    means[rows, codes] = np.inf
    b = means.min(axis=1)
    widest = np.maximum(a, b)
    s = np.where((own > 1) & (widest > 0), (b - a) / np.where(widest > 0, widest, 1.0), 0.0)
    return float(s.mean())


@single_threaded
def silhouette(X: Any, labels: Any) -> float | None:
    """Mean silhouette of the clustered points (noise left out, it belongs to no cluster); None
    when the score is undefined: fewer than two clusters, or every point alone in its own. Above
    ``SILHOUETTE_SAMPLE`` points it is estimated on a fixed sample to bound time and memory."""
    x = as_matrix(X)
    lab = _int_labels(labels)
    if lab.shape[0] != x.shape[0]:
        raise ValueError("labels must have one entry per sample")
    keep = np.flatnonzero(lab >= 0)
    picked = _sample(keep.shape[0])
    if picked is not None:
        keep = keep[picked]
    if len(np.unique(lab[keep])) < 2:
        return None
    return _silhouette_from(_distances(x[keep]), lab[keep])


def agreement(labels_true: Any, labels_pred: Any) -> float:
    """Adjusted Rand index: 1 for the same partition whatever the cluster numbers are, about 0 for
    a random one. DBSCAN noise (-1) simply counts as one more group."""
    from sklearn.metrics import adjusted_rand_score

    a, b = _int_labels(labels_true), _int_labels(labels_pred)
    if a.shape != b.shape:
        raise ValueError("both labelings must have the same length")
    return float(adjusted_rand_score(a, b))


# --- choosing k -------------------------------------------------------------------------------


@dataclass(frozen=True)
class KScore:
    k: int
    inertia: float
    silhouette: float  # NaN when k-means found fewer than two distinct clusters


@single_threaded
def choose_k(X: Any, ks: Sequence[int] = range(2, 11), seed: int = 0) -> tuple[KScore, ...]:
    """Inertia always falls as k grows, so the elbow alone is a judgement call; the silhouette
    peaks at a k where clusters are both tight and apart, which gives the lesson a second opinion.
    The pairwise distances are computed once and shared by every k to stay fast on digits."""
    from sklearn.cluster import KMeans

    x = as_matrix(X)
    n = x.shape[0]
    chosen = sorted({int(k) for k in ks})
    if not chosen:
        raise ValueError("give at least one k")
    if any(not 2 <= k <= n - 1 for k in chosen):
        raise ValueError(f"every k must be between 2 and the number of samples minus one ({n - 1})")
    picked = _sample(n)
    distances = _distances(x if picked is None else x[picked])
    scores: list[KScore] = []
    for k in chosen:
        model = KMeans(k, n_init=3, random_state=seed).fit(x)
        labels = _int_labels(model.labels_)
        sil = _silhouette_from(distances, labels if picked is None else labels[picked])
        scores.append(KScore(k, float(model.inertia_), float("nan") if sil is None else sil))
    return tuple(scores)


def best_k(scores: Sequence[KScore]) -> int:
    """The k with the highest silhouette; on a tie the smaller k, the simpler explanation."""
    usable = [s for s in scores if np.isfinite(s.silhouette)]
    if not usable:
        raise ValueError("no k has a silhouette score")
    return max(usable, key=lambda s: (s.silhouette, -s.k)).k


# --- DBSCAN -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DbscanResult:
    labels: Ints  # -1 = noise
    n_clusters: int
    n_noise: int
    noise_share: float
    core_mask: Bools  # bool, core samples
    silhouette: float | None  # on non-noise points; None when fewer than 2 clusters


def _check_min_samples(min_samples: int, n: int) -> None:
    if not 1 <= min_samples <= n:
        raise ValueError(f"min_samples must be between 1 and the number of samples ({n})")


@single_threaded
def dbscan(X: Any, eps: float, min_samples: int, *, standardise: bool = False) -> DbscanResult:
    """Density clustering: finds clusters of any shape (the two moons) and marks points in sparse
    regions as noise instead of forcing them into a cluster. ``eps`` is in the units of the data,
    or in standard deviations when ``standardise``; the silhouette is measured in that space."""
    from sklearn.cluster import DBSCAN

    x = as_matrix(X)
    if not eps > 0 or not np.isfinite(eps):
        raise ValueError("eps must be a positive number")
    _check_min_samples(min_samples, x.shape[0])
    if standardise:
        x = zscore(x)
    model = DBSCAN(eps=eps, min_samples=min_samples).fit(x)
    labels = _int_labels(model.labels_)
    core = np.zeros(x.shape[0], dtype=bool)
    core[np.asarray(model.core_sample_indices_, dtype=np.int64)] = True
    n_noise = int(np.sum(labels == -1))
    return DbscanResult(
        labels=_frozen(labels),
        n_clusters=len(np.unique(labels[labels >= 0])),
        n_noise=n_noise,
        noise_share=n_noise / x.shape[0],
        core_mask=_frozen(core),
        silhouette=silhouette(x, labels),
    )


@single_threaded
def k_distance(X: Any, min_samples: int, *, standardise: bool = False) -> Floats:
    """Each point's distance to its ``min_samples``-th nearest neighbour, counting the point itself
    as scikit-learn's DBSCAN does, sorted ascending. A point is a core point exactly when this is
    <= eps, so the "knee" where the curve shoots up is a good eps: below it most points are core."""
    from sklearn.neighbors import NearestNeighbors

    x = as_matrix(X)
    _check_min_samples(min_samples, x.shape[0])
    if standardise:
        x = zscore(x)
    distances, _ = NearestNeighbors(n_neighbors=min_samples).fit(x).kneighbors(x)
    return np.sort(np.asarray(distances, dtype=float)[:, -1])
