"""Looking for structure without labels: k-means and hierarchical clustering of k-mer profiles,
PCA and t-SNE maps, and the silhouette score, which says how well separated clusters are without
knowing the truth. The adjusted Rand index then compares clusters with the labels, when known."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from core.genomics.encoding import kmer_frequencies
from core.genomics.errors import check_ranges
from core.jobs.context import JobContext, JobStopped, Progress, silent

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
METHODS = ("kmeans", "hierarchical")
PROJECTIONS = ("pca", "tsne")
CLUSTER_RANGE = (2, 8)
DENDROGRAM_LEAVES = 60
TSNE_ITERATIONS = 500


@dataclass(frozen=True)
class Clustering:
    method: str
    clusters: Ints
    silhouette: float
    rand_index: float | None  # adjusted Rand index against the labels; None without labels


@dataclass(frozen=True)
class Projection:
    method: str
    points: Floats  # (n, 2)
    explained: tuple[float, float] | None  # PCA only: variance share of each axis


@dataclass(frozen=True)
class Dendrogram:
    """Line segments of a dendrogram over a sample of sequences, ready to draw."""

    xs: tuple[tuple[float, ...], ...]
    ys: tuple[tuple[float, ...], ...]
    leaves: tuple[int, ...]  # row index of each leaf, left to right


def _scaled(features: Floats) -> Floats:
    from sklearn.preprocessing import StandardScaler

    return np.asarray(StandardScaler().fit_transform(features), dtype=np.float64)


def cluster(
    features: Floats, method: str, n_clusters: int, labels: Ints | None, seed: int = 0
) -> Clustering:
    from sklearn.cluster import AgglomerativeClustering, KMeans
    from sklearn.metrics import adjusted_rand_score, silhouette_score

    check_ranges(("clusters", n_clusters, *CLUSTER_RANGE))
    x = _scaled(features)
    if method == "kmeans":
        model = KMeans(n_clusters=n_clusters, n_init=4, random_state=seed)
    else:
        model = AgglomerativeClustering(n_clusters=n_clusters, linkage="ward")
    clusters = np.asarray(model.fit_predict(x), dtype=np.int64)
    sample = min(len(x), 1500)
    score = (
        float(silhouette_score(x, clusters, sample_size=sample, random_state=seed))
        if len(set(clusters)) > 1
        else 0.0
    )
    rand = None if labels is None else float(adjusted_rand_score(labels, clusters))
    return Clustering(method, clusters, score, rand)


# The t-SNE iteration counter of the thread that asked for one (see _count_tsne_iterations).
_tsne_tick = threading.local()
_tsne_wrappers: set[Callable[..., Any]] = set()
_tsne_lock = threading.Lock()


def _count_tsne_iterations() -> None:
    """scikit-learn's TSNE takes no callback, so a long one could neither show progress nor
    stop. Its optimiser calls the module's Barnes-Hut KL divergence once per iteration, looked
    up at call time: this wraps that function (once per process) so that the call first
    ticks the counter of the calling thread, if it set one, then does exactly what it did.
    Thread-local, since jobs may run side by side on threads of one process. Tested against
    the pinned scikit-learn (tests/unit/genomics/test_jobs.py)."""
    from sklearn.manifold import _t_sne

    with _tsne_lock:
        original = _t_sne._kl_divergence_bh
        if original in _tsne_wrappers:
            return

        def counted(*args: Any, **kwargs: Any) -> Any:
            tick = getattr(_tsne_tick, "callback", None)
            if tick is not None:
                tick()
            return original(*args, **kwargs)

        _tsne_wrappers.add(counted)
        _t_sne._kl_divergence_bh = counted


def project(features: Floats, method: str, seed: int = 0, report: Progress = silent) -> Projection:
    """A 2-D map of the sequences. t-SNE reports its progress (0..1) after every iteration
    and raises ``JobStopped`` once ``report`` returns False; PCA takes milliseconds."""
    from sklearn.decomposition import PCA

    x = _scaled(features)
    if method == "pca":
        pca = PCA(n_components=2, random_state=seed)
        points = pca.fit_transform(x)
        ratio = pca.explained_variance_ratio_
        return Projection(
            "pca", np.asarray(points, dtype=np.float64), (float(ratio[0]), float(ratio[1]))
        )
    from sklearn.manifold import TSNE

    # t-SNE on 30 principal components: the usual practice, and 3–4× faster on 256 k-mers.
    reduced = PCA(n_components=min(30, *x.shape), random_state=seed).fit_transform(x)
    tsne = TSNE(
        n_components=2,
        perplexity=min(30.0, (len(x) - 1) / 3),
        init="pca",
        random_state=seed,
        max_iter=TSNE_ITERATIONS,
    )
    iterations = 0

    def tick() -> None:
        nonlocal iterations
        iterations += 1
        if not report(min(iterations / TSNE_ITERATIONS, 1.0), None):
            raise JobStopped

    if not report(0.0, None):
        raise JobStopped
    _count_tsne_iterations()
    _tsne_tick.callback = tick
    try:
        points = tsne.fit_transform(reduced)
    finally:
        _tsne_tick.callback = None
    return Projection("tsne", np.asarray(points, dtype=np.float64), None)


def dendrogram(features: Floats, seed: int = 0) -> Dendrogram:
    """Ward linkage over at most 60 sequences: a tree of 2,000 leaves is unreadable."""
    from scipy.cluster import hierarchy

    rng = np.random.default_rng(seed)
    rows = np.sort(
        rng.choice(len(features), size=min(DENDROGRAM_LEAVES, len(features)), replace=False)
    )
    tree = hierarchy.dendrogram(hierarchy.linkage(_scaled(features)[rows], "ward"), no_plot=True)
    return Dendrogram(
        xs=tuple(tuple(map(float, x)) for x in tree["icoord"]),
        ys=tuple(tuple(map(float, y)) for y in tree["dcoord"]),
        leaves=tuple(int(rows[i]) for i in tree["leaves"]),
    )


@dataclass(frozen=True)
class Grouping:
    """The clustering step's clusters, with the dendrogram of a sample for hierarchical ones."""

    found: Clustering
    tree: Dendrogram | None


def clusters_job(
    ctx: JobContext,
    seqs: Sequence[str],
    labels: Ints | None,
    k: int,
    method: str,
    n_clusters: int,
    seed: int,
) -> Grouping:
    """The clustering step's clusters of k-mer profiles, as a background job: k-means takes a
    fraction of a second, but Ward's hierarchical clustering of 5,000 sequences or of 6-mer
    profiles takes 3–4 s, too long for the page's script thread. Progress after the profiles
    and after the clustering; Stop ends it between them (``JobStopped``)."""
    features = kmer_frequencies(list(seqs), k)[0]
    ctx.report(0.1)
    ctx.check()
    found = cluster(features, method, n_clusters, labels, seed)
    ctx.report(0.9)
    tree = dendrogram(features, seed) if method == "hierarchical" else None
    ctx.report(1.0)
    return Grouping(found, tree)


def projection_job(
    ctx: JobContext, seqs: Sequence[str], k: int, method: str, seed: int
) -> Projection:
    """The clustering step's 2-D map of k-mer profiles, as a background job: t-SNE takes 4 s
    on the default 2,000 sequences and 15–150 s on 5,000 (more on a busy server), which used
    to block the page. Progress after every t-SNE iteration; Stop ends it at the next one
    (``JobStopped``, no map: half an optimisation is no picture of the data)."""
    features = kmer_frequencies(list(seqs), k)[0]
    ctx.report(0.05)
    ctx.check()
    shown = project(features, method, seed, lambda p, _update: ctx.report(0.05 + 0.95 * p))
    ctx.report(1.0)  # t-SNE may converge before its last iteration
    return shown
