"""Agglomerative clustering with a dendrogram the page can draw with plotly.

scipy builds the whole merge tree once; cutting it at a height gives the clusters, and the
dendrogram shows why that height was chosen. The tree is truncated to its last merges so that a
dataset of 1797 digits still gives a readable picture.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, get_args

import numpy as np

from core.ml.clustering import Floats, Ints, as_matrix, silhouette, zscore
from core.ml.threads import single_threaded

Linkage = Literal["ward", "complete", "average", "single"]
LINKAGES: tuple[str, ...] = get_args(Linkage)
MAX_SAMPLES = 5000  # scipy keeps all n(n-1)/2 distances: 100 MB, ward takes ~2.5 s


@dataclass(frozen=True)
class Dendrogram:
    icoord: list[list[float]]  # from scipy.cluster.hierarchy.dendrogram(..., no_plot=True)
    dcoord: list[list[float]]
    leaf_labels: list[str]  # sample index, or "(n)" for a truncated group of n samples
    cut_height: float  # a height between the merges that gives n_clusters (draw a line there)
    colors: list[str]  # one per link: "C1", "C2", ... below the cut (one per cluster), "C0" above


@dataclass(frozen=True)
class HierarchicalResult:
    labels: Ints  # 0..n_clusters-1
    n_clusters: int
    linkage: str
    dendrogram: Dendrogram
    silhouette: float | None
    cluster_sizes: tuple[int, ...]


def cut_height(heights: Floats, n_clusters: int) -> float:
    """Halfway between the merge that leaves ``n_clusters`` groups and the next one, so the line
    drawn there crosses exactly ``n_clusters`` branches (heights only grow for these linkages)."""
    merges = np.sort(heights)
    n = merges.shape[0] + 1
    if n_clusters <= 1:
        top = float(merges[-1]) if merges.size else 0.0
        return top * 1.05 + 1e-9
    done = n - n_clusters
    below = float(merges[done - 1]) if done > 0 else 0.0
    return (below + float(merges[done])) / 2


@single_threaded
def hierarchical(
    X: Any,
    n_clusters: int,
    linkage: Linkage = "ward",
    *,
    standardise: bool = True,
    max_leaves: int = 40,
) -> HierarchicalResult:
    """Merge the two closest groups again and again; ``linkage`` defines "closest" and is the
    lesson: single linkage chains through noise into one giant cluster, ward keeps groups compact.
    Labels come from scipy's ``fcluster`` so they agree with the tree; when tied merge heights make
    exactly ``n_clusters`` impossible, ``n_clusters`` in the result is the number actually found."""
    from scipy.cluster import hierarchy

    x = as_matrix(X)
    n = x.shape[0]
    if linkage not in LINKAGES:
        raise ValueError(f"linkage must be one of {', '.join(LINKAGES)}")
    if not 2 <= n <= MAX_SAMPLES:
        raise ValueError(f"hierarchical clustering needs between 2 and {MAX_SAMPLES} samples")
    if not 1 <= n_clusters <= n:
        raise ValueError(f"n_clusters must be between 1 and the number of samples ({n})")
    if max_leaves < 2:
        raise ValueError("max_leaves must be at least 2")
    if standardise:
        x = zscore(x)
    tree = hierarchy.linkage(x, method=linkage)
    labels = np.asarray(hierarchy.fcluster(tree, n_clusters, criterion="maxclust"), dtype=np.int64)
    labels -= 1
    labels.setflags(write=False)
    height = cut_height(tree[:, 2], n_clusters)
    drawn = hierarchy.dendrogram(
        tree,
        truncate_mode="lastp",
        p=max_leaves,
        no_plot=True,
        color_threshold=height,
    )
    sizes = np.bincount(labels)
    return HierarchicalResult(
        labels=labels,
        n_clusters=int(sizes.shape[0]),
        linkage=linkage,
        dendrogram=Dendrogram(
            icoord=[[float(v) for v in row] for row in drawn["icoord"]],
            dcoord=[[float(v) for v in row] for row in drawn["dcoord"]],
            leaf_labels=[str(label) for label in drawn["ivl"]],
            cut_height=height,
            colors=[str(c) for c in drawn["color_list"]],
        ),
        silhouette=silhouette(x, labels),
        cluster_sizes=tuple(int(s) for s in sizes),
    )
