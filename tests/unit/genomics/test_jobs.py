"""The genomics steps' background jobs, run here with a real JobContext as a worker would: each
reports its progress, returns what the step shows (the same numbers as the plain functions),
and ends early on Stop."""

from __future__ import annotations

import threading
import time
from typing import Any

import numpy as np
import pytest

from core.genomics import cnn
from core.genomics.anomaly import AutoencoderSettings, Detection, detect_job, screening
from core.genomics.classify import MODELS, Comparison, Split, compare_job, split, train
from core.genomics.clustering import (
    TSNE_ITERATIONS,
    Grouping,
    cluster,
    clusters_job,
    project,
    projection_job,
)
from core.genomics.cnn import CnnResult, CnnSettings, EpochLog
from core.genomics.encoding import kmer_counts, kmer_frequencies
from core.genomics.explain import explain_trees, explain_xgboost
from core.genomics.generators import Dataset, promoters
from core.jobs.context import JobContext, JobStopped
from tests.job_contexts import StopAfter, stopped


@pytest.fixture(scope="module")
def data() -> Dataset:
    return promoters(n=300, length=200, seed=0)


@pytest.fixture(scope="module")
def labels(data: Dataset) -> np.ndarray:
    assert data.labels is not None
    return data.labels


@pytest.fixture(scope="module")
def parts(labels: np.ndarray) -> Split:
    return split(labels)


# --- the k-mer models ----------------------------------------------------------------------------


def test_the_models_job_scores_both_models_as_train_does(
    data: Dataset, labels: np.ndarray, parts: Split
) -> None:
    ctx = JobContext()
    compared = compare_job(ctx, data.seqs, labels, parts, 3, 0)
    assert isinstance(compared, Comparison)
    assert set(compared.scores) == set(compared.fit_seconds) == set(MODELS)
    assert ctx.state()[:2] == (len(MODELS) + 1, 1.0)
    features, _ = kmer_counts(list(data.seqs), 3)
    for name in MODELS:
        assert compared.scores[name] == train(name, features, labels, parts).scores
        assert compared.fit_seconds[name] > 0


def test_stop_ends_the_models_job_before_the_next_model(
    data: Dataset, labels: np.ndarray, parts: Split
) -> None:
    with pytest.raises(JobStopped):
        compare_job(StopAfter(2), data.seqs, labels, parts, 3, 0)


# --- clusters and the map ------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["kmeans", "hierarchical"])
def test_the_clusters_job(data: Dataset, labels: np.ndarray, method: str) -> None:
    ctx = JobContext()
    grouping = clusters_job(ctx, data.seqs, labels, 4, method, 3, 0)
    assert isinstance(grouping, Grouping)
    assert ctx.state()[1] == 1.0
    expected = cluster(kmer_frequencies(list(data.seqs), 4)[0], method, 3, labels)
    assert grouping.found.clusters.tolist() == expected.clusters.tolist()
    assert grouping.found.rand_index == expected.rand_index
    assert (grouping.tree is not None) == (method == "hierarchical")


def test_stop_ends_the_clusters_job(data: Dataset) -> None:
    with pytest.raises(JobStopped):
        clusters_job(stopped(), data.seqs, None, 4, "hierarchical", 3, 0)


def test_the_pca_map_job(data: Dataset) -> None:
    ctx = JobContext()
    shown = projection_job(ctx, data.seqs, 4, "pca", 0)
    assert shown.points.shape == (300, 2)
    assert shown.explained is not None
    assert ctx.state()[1] == 1.0


def test_the_tsne_map_job_reports_every_iteration_and_changes_nothing(data: Dataset) -> None:
    ctx = JobContext()
    shown = projection_job(ctx, data.seqs, 4, "tsne", 0)
    version, progress, _ = ctx.state()
    assert progress == 1.0
    assert version > 0.9 * TSNE_ITERATIONS  # one report per iteration, unless it converged
    expected = project(kmer_frequencies(list(data.seqs), 4)[0], "tsne", 0)
    np.testing.assert_array_equal(shown.points, expected.points)


def test_stop_ends_a_tsne_within_an_iteration(data: Dataset) -> None:
    ctx = StopAfter(60)
    start = time.perf_counter()
    with pytest.raises(JobStopped):
        projection_job(ctx, data.seqs, 4, "tsne", 0)
    assert ctx.reports == 60  # the report after Stop's raised at once
    assert time.perf_counter() - start < 30


def test_progress_of_a_tsne_in_a_plain_call_goes_to_its_own_caller_only(data: Dataset) -> None:
    """The iteration counter is per thread: a t-SNE on another thread reports nothing here."""
    features = kmer_frequencies(list(data.seqs), 4)[0]
    here: list[float] = []
    other = threading.Thread(target=project, args=(features, "tsne", 1))
    other.start()
    project(features, "tsne", 0, lambda p, _u: here.append(p) is None)
    other.join()
    assert len(here) <= TSNE_ITERATIONS + 1
    assert here == sorted(here)


# --- the autoencoder, the CNN --------------------------------------------------------------------


@pytest.fixture(scope="module")
def screened(data: Dataset, labels: np.ndarray, parts: Split) -> tuple[list[str], list[str]]:
    screen = screening(labels, data.rare, parts.train, parts.test, 0)
    return [data.seqs[i] for i in screen.normal_train], [data.seqs[i] for i in screen.scored]


def test_the_detection_job_reports_each_epoch_loss(screened: tuple[list[str], list[str]]) -> None:
    normal, scored = screened
    ctx = JobContext()
    found = detect_job(ctx, normal, scored, AutoencoderSettings(epochs=3))
    assert isinstance(found, Detection)
    _, progress, updates = ctx.state()
    assert progress == 1.0
    assert tuple(updates) == found.autoencoder.losses
    assert found.autoencoder.scores.shape == found.forest.shape == (len(scored),)


def test_a_stopped_detection_still_scores_both_detectors(
    screened: tuple[list[str], list[str]],
) -> None:
    normal, scored = screened
    found = detect_job(stopped(), normal, scored, AutoencoderSettings(epochs=10))
    assert len(found.autoencoder.losses) == 1
    assert found.forest.shape == (len(scored),)


def _cnn_args(data: Dataset, labels: np.ndarray, parts: Split) -> dict[str, Any]:
    return {
        "train_seqs": [data.seqs[i] for i in parts.train],
        "train_labels": labels[parts.train],
        "test_seqs": [data.seqs[i] for i in parts.test],
        "test_labels": labels[parts.test],
        "settings": CnnSettings(filters=8, epochs=3),
    }


@pytest.mark.parametrize("both_strands", [False, True])
def test_the_cnn_job_reports_each_epoch(
    data: Dataset, labels: np.ndarray, parts: Split, both_strands: bool
) -> None:
    ctx = JobContext()
    result = cnn.train_job(ctx, **_cnn_args(data, labels, parts), both_strands=both_strands)
    assert isinstance(result, CnnResult)
    _, progress, updates = ctx.state()
    assert progress == 1.0
    assert all(isinstance(u, EpochLog) for u in updates)
    assert tuple(updates) == result.history
    assert result.scores is not None and result.length == 200


def test_a_stopped_cnn_keeps_its_first_epoch(
    data: Dataset, labels: np.ndarray, parts: Split
) -> None:
    result = cnn.train_job(stopped(), **_cnn_args(data, labels, parts), both_strands=False)
    assert len(result.history) == 1
    assert result.scores is not None


# --- SHAP on the page ----------------------------------------------------------------------------


def test_explain_xgboost_explains_the_classification_model(
    data: Dataset, labels: np.ndarray, parts: Split
) -> None:
    features, names = kmer_counts(list(data.seqs), 3)
    explanation = explain_xgboost(features, labels, parts, names)
    model = train("xgboost", features, labels, parts).model
    expected = explain_trees(model, features[parts.test], names)
    assert explanation.values.shape == (len(parts.test), 64)
    np.testing.assert_allclose(explanation.values, expected.values)
