"""The autoencoder, trained on normals only, must rank the planted rare mutants at the top; and
the two ranking metrics are exact on hand-checked examples."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pytest

from core.genomics import GenomicsInputError
from core.genomics.anomaly import (
    AutoencoderSettings,
    isolation_forest_scores,
    precision_at_k,
    rank_percentiles,
    train_autoencoder,
)
from core.genomics.classify import Split
from core.genomics.encoding import one_hot_batch
from core.genomics.generators import Dataset


def test_precision_at_k_exact() -> None:
    scores = np.array([0.9, 0.1, 0.8, 0.3])
    truth = np.array([True, False, False, True])
    assert precision_at_k(scores, truth, 1) == 1.0
    assert precision_at_k(scores, truth, 2) == 0.5  # rows 0 and 2
    assert precision_at_k(scores, truth, 3) == pytest.approx(2 / 3)
    assert precision_at_k(scores, truth, 0) == 0.0


def test_precision_at_k_ties_broken_by_position() -> None:
    truth = np.array([False, True, False])
    assert precision_at_k(np.array([1.0, 1.0, 0.0]), truth, 1) == 0.0
    assert precision_at_k(np.array([1.0, 1.0, 0.0]), truth[::-1].copy(), 1) == 0.0
    assert precision_at_k(np.array([0.0, 1.0, 1.0]), truth, 1) == 1.0


def test_rank_percentiles_exact() -> None:
    scores = np.array([0.9, 0.1, 0.8, 0.3])  # order: rows 0, 2, 3, 1
    truth = np.array([True, False, False, True])
    np.testing.assert_array_equal(rank_percentiles(scores, truth), [0.0, 0.5])
    np.testing.assert_array_equal(rank_percentiles(scores, ~truth), [0.75, 0.25])


@pytest.fixture(scope="module")
def rare_run(tumour_data: Dataset, tumour_split: Split) -> dict[str, Any]:
    """Train on the training normals; score the test normals and the test rare mutants (the
    ordinary tumours are left out: they are not what this detector is asked to find)."""
    labels, rare = tumour_data.labels, tumour_data.rare
    assert labels is not None and rare is not None
    x = one_hot_batch(tumour_data.seqs)
    train_rows = tumour_split.train[labels[tumour_split.train] == 0]
    test = tumour_split.test
    scored_rows = test[(labels[test] == 0) | rare[test]]
    start = time.perf_counter()
    result = train_autoencoder(x[train_rows], x[scored_rows], AutoencoderSettings())
    seconds = time.perf_counter() - start
    return {
        "x": x,
        "train": train_rows,
        "scored": scored_rows,
        "truth": rare[scored_rows],
        "result": result,
        "seconds": seconds,
    }


def test_autoencoder_ranks_rare_mutants_in_top_tenth(rare_run: dict[str, Any]) -> None:
    result, truth = rare_run["result"], rare_run["truth"]
    assert truth.sum() >= 10
    percentiles = rank_percentiles(result.scores, truth)
    assert (percentiles < 0.10).all(), np.sort(percentiles)
    assert precision_at_k(result.scores, truth, int(truth.sum())) >= 0.8


def test_autoencoder_result_shapes_and_training(rare_run: dict[str, Any]) -> None:
    result = rare_run["result"]
    n = len(rare_run["scored"])
    assert result.scores.shape == (n,)
    assert result.per_position.shape == (n, 200)
    np.testing.assert_allclose(result.per_position.mean(axis=1), result.scores, rtol=1e-6)
    assert len(result.losses) == AutoencoderSettings().epochs
    assert result.losses[-1] < result.losses[0] / 2
    assert rare_run["seconds"] < 15  # ~2 s on a laptop core; 40 epochs are the page's default


def test_per_position_error_marks_the_event(tumour_data: Dataset, rare_run: dict[str, Any]) -> None:
    """The picture the page draws: a double-base change is worst rebuilt where it sits; a 3-bp
    deletion shifts every later base, so the error is low before it and high from it on."""
    result, scored = rare_run["result"], rare_run["scored"]
    kinds = set()
    for row in np.flatnonzero(rare_run["truth"]):
        kind, position = tumour_data.mutations[scored[row]][0].split(":")
        at = int(position)
        error = result.per_position[row]
        kinds.add(kind)
        if kind == "DBS":
            assert at - 1 <= int(error.argmax()) <= at + 2
        else:
            assert error[at:].mean() > 5 * error[:at].mean()
    assert kinds == {"DBS", "DEL3"}


def test_isolation_forest_scores_outliers_higher() -> None:
    rng = np.random.default_rng(0)
    normal = rng.normal(size=(300, 4))
    scored = np.vstack([rng.normal(size=(20, 4)), rng.normal(size=(5, 4)) + 6.0])
    truth = np.arange(25) >= 20
    scores = isolation_forest_scores(normal, scored)
    assert scores.shape == (25,)
    assert precision_at_k(scores, truth, 5) == 1.0


def test_autoencoder_stops_when_report_says_so(rare_run: dict[str, Any]) -> None:
    x = rare_run["x"]
    seen: list[float] = []

    def report(progress: float, update: Any) -> bool:
        seen.append(progress)
        return False

    result = train_autoencoder(x[:100], x[100:110], AutoencoderSettings(epochs=10), report)
    assert len(result.losses) == 1
    assert seen == [0.1]
    assert result.scores.shape == (10,)


@pytest.mark.parametrize(
    ("field", "value"), [("bottleneck", 1), ("bottleneck", 129), ("epochs", 0)]
)
def test_autoencoder_settings_range(field: str, value: int) -> None:
    with pytest.raises(GenomicsInputError) as info:
        AutoencoderSettings(**{field: value}).check()
    assert info.value.code == "parameter_range"
    assert info.value.values["name"] == field
