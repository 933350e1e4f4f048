"""Explanations must point at the planted truth: SHAP's top k-mers are pieces of the planted
motifs, and the CNN's position maps peak on the planted TATA box. Negative controls make sure a
model that learns nothing is not scored as if it had."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from core.genomics import top_kmers
from core.genomics.classify import split, train
from core.genomics.cnn import CnnSettings, EpochLog, position_maps, train_cnn
from core.genomics.encoding import kmer_counts, one_hot_batch
from core.genomics.errors import GenomicsInputError
from core.genomics.explain import Explanation, explain_trees, motif_kmers
from core.genomics.generators import Dataset, promoters
from core.genomics.motifs import motif

PLANTED = ("TATA", "GC_BOX", "CCAAT")


@pytest.fixture(scope="module")
def shap_data() -> Dataset:
    return promoters(n=800, length=200, seed=1)


# --- SHAP on k-mers ------------------------------------------------------------------------------


def test_motif_kmers_exact() -> None:
    # TATAAAA: TATA ATAA TAAA AAAA; reverse complement TTTTATA: TTTT TTTA TTAT TATA
    assert motif_kmers("TATAAAA", 4) == {"TATA", "ATAA", "TAAA", "AAAA", "TTTT", "TTTA", "TTAT"}
    assert motif_kmers("ACGT", 4) == {"ACGT"}  # its own reverse complement


def test_shap_top_kmers_are_the_planted_motifs(shap_data: Dataset) -> None:
    """Accepted: only the 4-mers of each planted motif's JASPAR consensus, either strand (no
    near variants). The model could rank background words or the shared A/T-rich 4-mers of
    random DNA instead; at least 7 of 10 must be motif words, one of them from the TATA box."""
    assert shap_data.labels is not None
    top = top_kmers(list(shap_data.seqs), shap_data.labels.tolist(), k=4, top=10)
    assert len(top) == len(set(top)) == 10
    planted = set().union(*(motif_kmers(motif(key).consensus, 4) for key in PLANTED))
    hits = [word for word in top if word in planted]
    assert len(hits) >= 7, top
    assert set(top) & motif_kmers("TATAAAA", 4), top


def test_shuffled_labels_give_chance_auc(shap_data: Dataset) -> None:
    """The same pipeline with the labels shuffled must not find signal."""
    assert shap_data.labels is not None
    features, _ = kmer_counts(list(shap_data.seqs), 4)
    labels = np.random.default_rng(0).permutation(shap_data.labels)
    trained = train("xgboost", features, labels, split(labels))
    assert trained.scores.auc < 0.6
    real = train("xgboost", features, shap_data.labels, split(shap_data.labels))
    assert real.scores.auc > 0.75  # the control differs from the real run, not just low


@pytest.mark.parametrize("name", ["xgboost", "random_forest"])
def test_shap_values_add_up_to_the_prediction(name: str) -> None:
    """SHAP's defining property, and the check that class 1 (not 0) is the one explained:
    base + sum of contributions = log-odds (XGBoost) or probability (forest) of class 1."""
    data = promoters(n=200, length=100, seed=3)
    assert data.labels is not None
    features, names = kmer_counts(list(data.seqs), 2)
    parts = split(data.labels)
    model = train(name, features, data.labels, parts).model
    x = features[parts.test]
    explanation = explain_trees(model, x, names)
    assert explanation.values.shape == (len(parts.test), 16)
    assert explanation.names == tuple(names)
    if name == "xgboost":
        target = model.predict(x, output_margin=True)
    else:
        target = model.predict_proba(x)[:, 1]
    total = explanation.values.sum(axis=1) + explanation.base_value
    np.testing.assert_allclose(total, target, atol=1e-4)
    np.testing.assert_allclose(explanation.mean_abs, np.abs(explanation.values).mean(axis=0))


def test_explanation_rankings() -> None:
    values = np.array([[0.5, -2.0, 0.1], [0.5, 1.0, -0.3]])
    explanation = Explanation(("AA", "AC", "AG"), values, 0.2, np.abs(values).mean(axis=0))
    assert explanation.top(2) == [("AC", 1.5), ("AA", 0.5)]
    assert explanation.for_sequence(0, 2) == [("AC", -2.0), ("AA", 0.5)]
    assert explanation.for_sequence(1, 3) == [("AC", 1.0), ("AA", 0.5), ("AG", -0.3)]


# --- CNN -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cnn_run() -> dict[str, Any]:
    data = promoters(n=1000, length=200, seed=0)
    assert data.labels is not None
    parts = split(data.labels)
    x = one_hot_batch(data.seqs)
    result = train_cnn(
        x[parts.train],
        data.labels[parts.train],
        x[parts.test],
        data.labels[parts.test],
        CnnSettings(epochs=8),
    )
    return {"data": data, "parts": parts, "x": x, "result": result}


def test_cnn_learns_promoters(cnn_run: dict[str, Any]) -> None:
    result = cnn_run["result"]
    assert len(result.history) == 8
    assert [log.epoch for log in result.history] == list(range(1, 9))
    assert result.scores is not None
    assert result.scores.accuracy == pytest.approx(result.history[-1].test_accuracy)
    assert result.scores.accuracy > 0.75
    assert result.history[-1].loss < result.history[0].loss


def test_cnn_maps_peak_on_the_tata_box(cnn_run: dict[str, Any]) -> None:
    data, parts, result = cnn_run["data"], cnn_run["parts"], cnn_run["result"]
    test_x = cnn_run["x"][parts.test]
    saliency, grad_cam = position_maps(result, test_x)
    assert saliency.shape == grad_cam.shape == (len(parts.test), 200)
    for scaled in (saliency, grad_cam):
        assert scaled.min() >= 0.0
        assert np.allclose(scaled.max(axis=1), 1.0)
    rows = [
        (row, site)
        for row, index in enumerate(parts.test)
        for site in data.sites[index]
        if site.motif == "TATA"
    ]
    assert len(rows) > 80
    for name, scaled in (("saliency", saliency), ("grad_cam", grad_cam)):
        peaks = scaled.argmax(axis=1)
        inside = [site.start - 3 <= peaks[row] <= site.end - 1 + 3 for row, site in rows]
        assert np.mean(inside) >= 0.8, name


def test_cnn_stops_when_report_says_so() -> None:
    data = promoters(n=200, length=80, seed=2)
    assert data.labels is not None
    x = one_hot_batch(data.seqs)
    calls: list[tuple[float, EpochLog]] = []

    def report(progress: float, update: Any) -> bool:
        calls.append((progress, update))
        return False

    result = train_cnn(
        x[:150], data.labels[:150], x[150:], data.labels[150:], CnnSettings(epochs=5), report
    )
    assert len(result.history) == 1
    assert len(calls) == 1
    assert calls[0][0] == pytest.approx(0.2)
    assert calls[0][1] == result.history[0]
    assert result.scores is not None  # scored on the epoch it did finish


@pytest.mark.parametrize(
    ("field", "value"), [("filters", 3), ("filters", 129), ("width", 26), ("epochs", 0)]
)
def test_cnn_settings_range(field: str, value: int) -> None:
    with pytest.raises(GenomicsInputError) as info:
        CnnSettings(**{field: value}).check()
    assert info.value.code == "parameter_range"
    assert info.value.values["name"] == field
