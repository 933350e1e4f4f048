"""Clustering, the k-mer classifiers, the multimodal comparison and federated learning, each
checked on a claim the lab shows a learner."""

from __future__ import annotations

import numpy as np
import pytest

from core.genomics import GenomicsInputError
from core.genomics.classify import Split, score, split, train
from core.genomics.clustering import DENDROGRAM_LEAVES, cluster, dendrogram, project
from core.genomics.encoding import kmer_counts
from core.genomics.federated import FedSettings, federated_vs_central
from core.genomics.generators import Dataset, promoters
from core.genomics.multimodal import compare_modalities


@pytest.fixture(scope="module")
def kmers() -> tuple[np.ndarray, np.ndarray]:
    data = promoters(n=300, length=200, seed=0)
    assert data.labels is not None
    return kmer_counts(list(data.seqs), 4)[0], data.labels


def _blobs() -> tuple[np.ndarray, np.ndarray]:
    """Two far-apart Gaussian clouds: any sane clustering must recover them."""
    rng = np.random.default_rng(0)
    labels = np.repeat([0, 1], 60).astype(np.int64)
    features = rng.normal(size=(120, 5)) + 8.0 * labels[:, None]
    return features, labels


# --- clustering ----------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["kmeans", "hierarchical"])
def test_cluster_on_kmers(kmers: tuple[np.ndarray, np.ndarray], method: str) -> None:
    features, labels = kmers
    unlabelled = cluster(features, method, 3, None)
    assert unlabelled.method == method
    assert unlabelled.rand_index is None
    assert -1.0 <= unlabelled.silhouette <= 1.0
    assert unlabelled.clusters.shape == (300,)
    assert set(unlabelled.clusters.tolist()) == {0, 1, 2}
    labelled = cluster(features, method, 3, labels)
    assert labelled.rand_index is not None
    assert -1.0 <= labelled.rand_index <= 1.0


@pytest.mark.parametrize("method", ["kmeans", "hierarchical"])
def test_cluster_recovers_separated_groups(method: str) -> None:
    features, labels = _blobs()
    found = cluster(features, method, 2, labels)
    assert found.rand_index == pytest.approx(1.0)
    assert found.silhouette > 0.6


@pytest.mark.parametrize("n_clusters", [1, 9, 0])
def test_bad_cluster_count(n_clusters: int) -> None:
    features, _ = _blobs()
    with pytest.raises(GenomicsInputError) as info:
        cluster(features, "kmeans", n_clusters, None)
    assert info.value.code == "parameter_range"
    assert info.value.values == {"name": "clusters", "low": 2, "high": 8, "value": n_clusters}


def test_pca_projection(kmers: tuple[np.ndarray, np.ndarray]) -> None:
    found = project(kmers[0], "pca")
    assert found.method == "pca"
    assert found.points.shape == (300, 2)
    assert found.explained is not None
    first, second = found.explained
    assert 0.0 < second <= first < 1.0
    assert first + second <= 1.0


def test_pca_first_axis_separates_blobs() -> None:
    features, labels = _blobs()
    found = project(features, "pca")
    assert found.explained is not None and found.explained[0] > 0.5
    axis = found.points[:, 0]
    assert max(axis[labels == 0]) < min(axis[labels == 1]) or max(axis[labels == 1]) < min(
        axis[labels == 0]
    )


def test_tsne_projection(kmers: tuple[np.ndarray, np.ndarray]) -> None:
    found = project(kmers[0][:120], "tsne")
    assert found.method == "tsne"
    assert found.points.shape == (120, 2)
    assert found.explained is None
    assert np.isfinite(found.points).all()


def test_dendrogram_samples_at_most_60_leaves(kmers: tuple[np.ndarray, np.ndarray]) -> None:
    tree = dendrogram(kmers[0])
    assert len(tree.leaves) == DENDROGRAM_LEAVES == 60
    assert len(set(tree.leaves)) == 60
    assert all(0 <= leaf < 300 for leaf in tree.leaves)
    assert len(tree.xs) == len(tree.ys) == 59  # a binary tree over 60 leaves has 59 joins


def test_dendrogram_small_input_keeps_every_row() -> None:
    features, _ = _blobs()
    tree = dendrogram(features[:20])
    assert sorted(tree.leaves) == list(range(20))
    assert all(len(x) == 4 for x in tree.xs)


# --- classify ------------------------------------------------------------------------------------


def test_split_is_stratified_and_disjoint() -> None:
    labels = np.array([0] * 300 + [1] * 100, dtype=np.int64)
    parts = split(labels, seed=3)
    assert len(set(parts.train.tolist()) & set(parts.test.tolist())) == 0
    assert sorted([*parts.train.tolist(), *parts.test.tolist()]) == list(range(400))
    assert len(parts.test) == 100
    assert labels[parts.test].sum() == 25  # the 1 : 3 ratio kept
    assert labels[parts.train].sum() == 75
    assert (np.diff(parts.test) > 0).all()
    again = split(labels, seed=3)
    np.testing.assert_array_equal(parts.test, again.test)


def test_split_needs_two_classes() -> None:
    with pytest.raises(GenomicsInputError) as info:
        split(np.zeros(20, dtype=np.int64))
    assert info.value.code == "one_class"


def test_score_on_hand_example() -> None:
    scores = score(np.array([0, 0, 1, 1]), np.array([0.1, 0.6, 0.4, 0.9]))
    assert scores.accuracy == 0.5
    assert scores.auc == 0.75
    assert scores.confusion == ((1, 1), (1, 1))
    assert scores.fpr[0] == 0.0 and scores.fpr[-1] == 1.0
    assert scores.tpr[-1] == 1.0


@pytest.mark.parametrize("name", ["random_forest", "xgboost"])
def test_train_learns_promoters(kmers: tuple[np.ndarray, np.ndarray], name: str) -> None:
    features, labels = kmers
    parts = split(labels)
    trained = train(name, features, labels, parts)
    assert trained.name == name
    assert trained.scores.auc > 0.7
    assert trained.train_accuracy >= trained.scores.accuracy
    assert sum(map(sum, trained.scores.confusion)) == len(parts.test)
    assert trained.fit_seconds > 0


def test_unknown_model() -> None:
    features, labels = _blobs()
    with pytest.raises(ValueError, match="unknown model"):
        train("svm", features, labels, split(labels))


# --- multimodal ----------------------------------------------------------------------------------


def test_both_modalities_beat_each_alone(
    tumour_data: Dataset, tumour_split: Split, tumour_kmers: np.ndarray
) -> None:
    assert tumour_data.clinical is not None and tumour_data.labels is not None
    result = compare_modalities(
        tumour_kmers, tumour_data.clinical.to_numpy(), tumour_data.labels, tumour_split
    )
    auc = {m: s.auc for m, s in result.scores.items()}
    assert set(auc) == {"sequence", "clinical", "both"}
    assert auc["both"] > auc["sequence"]
    assert auc["both"] > auc["clinical"]
    assert auc["clinical"] > 0.6  # clinical alone is informative, not useless
    best = max(auc["sequence"], auc["clinical"])
    assert result.best_single == ("sequence" if auc["sequence"] == best else "clinical")
    assert result.auc_gain == pytest.approx((auc["both"] - best) / best)
    assert result.auc_gain > 0
    single_accuracy = result.scores[result.best_single].accuracy
    assert result.accuracy_gain_points == pytest.approx(
        result.scores["both"].accuracy - single_accuracy
    )


# --- federated -----------------------------------------------------------------------------------


def test_federated_close_to_centralised_and_better_than_worst_local(
    tumour_data: Dataset, tumour_split: Split, tumour_kmers: np.ndarray
) -> None:
    assert tumour_data.labels is not None and tumour_data.institution is not None
    settings = FedSettings()
    result = federated_vs_central(
        tumour_kmers,
        tumour_data.labels,
        tumour_data.institution,
        tumour_split.train,
        tumour_split.test,
        bases_per_sequence=200,
        settings=settings,
    )
    assert abs(result.federated.accuracy - result.centralised.accuracy) <= 0.03
    assert result.federated.accuracy > min(s.accuracy for s in result.local)
    assert len(result.local) == 3
    assert len(result.federated_curve) == settings.rounds
    assert result.federated_curve[-1] == pytest.approx(result.federated.accuracy)
    assert sum(result.sizes) == len(tumour_split.train)
    assert result.positives[0] < result.positives[1] < result.positives[2]
    assert result.numbers_shared == 2 * settings.rounds * 3 * (256 + 1)
    assert result.bases_kept == len(tumour_split.train) * 200


@pytest.mark.parametrize(("field", "value"), [("rounds", 0), ("rounds", 201), ("local_epochs", 51)])
def test_federated_settings_range(field: str, value: int) -> None:
    settings = FedSettings(**{field: value})
    with pytest.raises(GenomicsInputError) as info:
        settings.check()
    assert info.value.code == "parameter_range"
    assert info.value.values["name"] == field
