import numpy as np
import pytest
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.datasets import make_blobs
from sklearn.preprocessing import StandardScaler

from core.ml import datasets
from core.ml.clustering import agreement
from core.ml.hierarchical import cut_height, hierarchical


def test_ward_recovers_four_blobs() -> None:
    x, y = make_blobs(300, centers=4, cluster_std=0.8, random_state=3)
    result = hierarchical(x, 4)
    assert result.linkage == "ward" and result.n_clusters == 4
    assert agreement(y, result.labels) > 0.95
    assert sorted(np.unique(result.labels)) == [0, 1, 2, 3]
    assert sum(result.cluster_sizes) == 300
    assert result.cluster_sizes == tuple(np.bincount(result.labels))
    assert result.silhouette is not None and result.silhouette > 0.5


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_single_linkage_chains_into_one_giant_cluster_and_ward_does_not(seed: int) -> None:
    x, _ = make_blobs(300, centers=4, cluster_std=1.8, random_state=seed)
    single = hierarchical(x, 4, "single")
    ward = hierarchical(x, 4, "ward")
    assert max(single.cluster_sizes) > 0.8 * 300
    assert max(ward.cluster_sizes) < 0.5 * 300
    assert min(single.cluster_sizes) <= 3


@pytest.mark.parametrize("method", ["ward", "complete", "average", "single"])
@pytest.mark.parametrize("n_clusters", [1, 2, 5, 9])
def test_the_cut_height_yields_the_clusters(method: str, n_clusters: int) -> None:
    x = datasets.load("iris").X
    result = hierarchical(x, n_clusters, method)  # type: ignore[arg-type]
    tree = linkage(StandardScaler().fit_transform(x), method=method)
    at_cut = fcluster(tree, result.dendrogram.cut_height, criterion="distance")
    assert len(np.unique(at_cut)) == n_clusters == result.n_clusters
    assert agreement(at_cut, result.labels) == pytest.approx(1.0)


def test_cut_height_lies_between_merges() -> None:
    heights = np.array([1.0, 2.0, 4.0, 8.0])  # five samples
    assert cut_height(heights, 5) == 0.5
    assert cut_height(heights, 2) == 6.0
    assert cut_height(heights, 1) > 8.0


def test_the_dendrogram_of_digits_is_truncated() -> None:
    digits = datasets.load("digits")
    result = hierarchical(digits.X, 10, max_leaves=30)
    drawing = result.dendrogram
    assert len(drawing.leaf_labels) == 30
    assert all(label.startswith("(") for label in drawing.leaf_labels if not label.isdigit())
    assert sum(int(label.strip("()")) if "(" in label else 1 for label in drawing.leaf_labels) == (
        1797
    )
    assert len(drawing.icoord) == len(drawing.dcoord) == len(drawing.colors) == 29
    assert all(len(row) == 4 for row in drawing.icoord)
    tallest = max(max(row) for row in drawing.dcoord)
    assert drawing.cut_height < tallest
    assert len(set(drawing.colors) - {"C0"}) >= 2
    assert result.n_clusters == 10 and sum(result.cluster_sizes) == 1797


def test_small_data_shows_every_sample() -> None:
    x, _ = make_blobs(12, centers=2, random_state=0)
    drawing = hierarchical(x, 2).dendrogram
    assert sorted(int(label) for label in drawing.leaf_labels) == list(range(12))


def test_standardising_changes_what_is_close() -> None:
    wine = datasets.load("wine")
    raw = hierarchical(wine.X, 3, standardise=False)
    scaled = hierarchical(wine.X, 3)
    assert agreement(wine.y, scaled.labels) > agreement(wine.y, raw.labels) + 0.2


@pytest.mark.parametrize(
    ("n_clusters", "method", "max_leaves"),
    [(0, "ward", 40), (151, "ward", 40), (3, "median", 40), (3, "ward", 1)],
)
def test_parameters_are_validated(n_clusters: int, method: str, max_leaves: int) -> None:
    x = datasets.load("iris").X
    with pytest.raises(ValueError):
        hierarchical(x, n_clusters, method, max_leaves=max_leaves)  # type: ignore[arg-type]
