"""Predict-then-check questions: the right answer is computed from the run's numbers, so the
thresholds are checked on either side, and every computed truth must be one of the options."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.genomics.encoding import kmer_names
from core.genomics.questions import (
    QUESTIONS,
    TOP_KMER_ERROR,
    anomaly_truth,
    clusters_truth,
    cnn_truth,
    column_values,
    columns_truth,
    federated_truth,
    gc_truth,
    judge,
    multimodal_truth,
    top_kmer_options,
)

FAST = settings(max_examples=80, deadline=None, database=None)
UNIT = st.floats(0.0, 1.0)


@pytest.mark.parametrize(
    ("background", "positive", "truth"),
    [
        (0.45, 0.45, ("same",)),
        (0.45, 0.459, ("same",)),
        (0.45, 0.441, ("same",)),
        (0.45, 0.461, ("higher",)),
        (0.45, 0.439, ("lower",)),
        (0.40, 0.60, ("higher",)),
    ],
)
def test_gc_truth(background: float, positive: float, truth: tuple[str, ...]) -> None:
    assert gc_truth(background, positive) == truth


def test_columns_truth() -> None:
    assert columns_truth(4, 200, 256) == ("four_pow_k",)
    assert columns_truth(4, 200, 16) == ("four_k",)
    assert columns_truth(4, 200, 197) == ("windows",)
    assert columns_truth(4, 200, 800) == ("one_hot",)
    assert columns_truth(4, 200, 255) == ()
    assert columns_truth(1, 200, 4) == ("four_k", "four_pow_k")  # 4·1 = 4¹: both right
    assert column_values(3, 100) == {"four_k": 12, "four_pow_k": 64, "windows": 98, "one_hot": 400}


@pytest.mark.parametrize(
    ("rand_index", "truth"),
    [(0.9, ("close",)), (0.501, ("close",)), (0.5, ("partly",)), (0.101, ("partly",)),
     (0.1, ("no",)), (0.0, ("no",)), (-0.2, ("no",))],
)  # fmt: skip
def test_clusters_truth(rand_index: float, truth: tuple[str, ...]) -> None:
    assert clusters_truth(rand_index) == truth


@pytest.mark.parametrize(
    ("kmer", "cnn", "truth"),
    [(0.80, 0.80, ("same",)), (0.80, 0.819, ("same",)), (0.819, 0.80, ("same",)),
     (0.80, 0.821, ("cnn",)), (0.821, 0.80, ("kmers",))],
)  # fmt: skip
def test_cnn_truth(kmer: float, cnn: float, truth: tuple[str, ...]) -> None:
    assert cnn_truth(kmer, cnn) == truth


@pytest.mark.parametrize(
    ("autoencoder", "forest", "truth"),
    [(0.9, 0.851, ("same",)), (0.851, 0.9, ("same",)), (0.9, 0.849, ("autoencoder",)),
     (0.849, 0.9, ("isolation_forest",))],
)  # fmt: skip
def test_anomaly_truth(autoencoder: float, forest: float, truth: tuple[str, ...]) -> None:
    assert anomaly_truth(autoencoder, forest) == truth


@pytest.mark.parametrize(
    ("gain", "truth"),
    [(0.2, ("large",)), (0.051, ("large",)), (0.05, ("small",)), (0.001, ("small",)),
     (0.0, ("none",)), (-0.03, ("none",))],
)  # fmt: skip
def test_multimodal_truth(gain: float, truth: tuple[str, ...]) -> None:
    assert multimodal_truth(gain) == truth


@pytest.mark.parametrize(
    ("central", "federated", "local_mean", "truth"),
    [(0.80, 0.821, 0.70, ("above_central",)), (0.80, 0.819, 0.70, ("near_central",)),
     (0.80, 0.80, 0.70, ("near_central",)), (0.80, 0.781, 0.70, ("near_central",)),
     (0.80, 0.779, 0.70, ("between",)), (0.80, 0.721, 0.70, ("between",)),
     (0.80, 0.719, 0.70, ("like_local",)), (0.80, 0.65, 0.70, ("like_local",))],
)  # fmt: skip
def test_federated_truth(
    central: float, federated: float, local_mean: float, truth: tuple[str, ...]
) -> None:
    assert federated_truth(central, federated, local_mean) == truth


@FAST
@given(a=UNIT, b=UNIT, c=UNIT, k=st.integers(1, 6), length=st.integers(20, 500))
def test_every_truth_is_exactly_one_option(
    a: float, b: float, c: float, k: int, length: int
) -> None:
    computed = {
        "gc": gc_truth(a, b),
        "clusters": clusters_truth(a * 2 - 1),
        "cnn_vs_kmers": cnn_truth(a, b),
        "anomaly": anomaly_truth(a, b),
        "multimodal": multimodal_truth(a - b),
        "federated": federated_truth(a, b, c),
    }
    for question_id, truth in computed.items():
        assert len(truth) == 1, question_id
        assert set(truth) <= set(QUESTIONS[question_id].options), question_id
    columns = columns_truth(k, length, 4**k)
    assert "four_pow_k" in columns
    assert set(columns) <= set(QUESTIONS["columns"].options)


def test_judge_correct_and_error_types() -> None:
    right = judge("gc", "higher", ("higher",))
    assert right.correct is True
    assert right.error_type is None
    assert right.truth == ("higher",)
    for choice, error in (("same", "gc_difference_missed"), ("lower", "gc_assumed_lower")):
        verdict = judge("gc", choice, ("higher",))
        assert verdict.correct is False
        assert verdict.error_type == error
    assert judge("columns", "four_k", ("four_pow_k",)).error_type == "kmer_count_linear"
    assert judge("federated", "above_central", ("near_central",)).error_type == (
        "federated_beats_central"
    )
    both = ("four_k", "four_pow_k")
    assert judge("columns", "four_k", both).correct and judge("columns", "four_pow_k", both).correct


def test_judge_top_kmer() -> None:
    assert judge("top_kmer", "TATA", ("TATA",)).correct
    wrong = judge("top_kmer", "GGTT", ("TATA",))
    assert wrong.correct is False
    assert wrong.error_type == TOP_KMER_ERROR == "motif_not_recognised"


def test_every_wrong_option_names_its_own_misconception() -> None:
    for question in QUESTIONS.values():
        if question.id == "top_kmer":
            assert question.options == ()
            continue
        assert len(question.options) >= 3, question.id
        assert all(question.errors.values()), question.id
        assert len(set(question.errors.values())) == len(question.options), question.id
        assert question.skill.startswith("gen."), question.id


def test_top_kmer_options_on_a_full_ranking() -> None:
    ranked = kmer_names(4)
    random.Random(0).shuffle(ranked)
    options = top_kmer_options(ranked)
    assert ranked[0] in options
    assert set(options) == {ranked[0], ranked[9], ranked[29], ranked[59]}
    assert list(options) == sorted(options)
    assert len(options) == len(set(options)) == 4


@pytest.mark.parametrize("size", [2, 3, 4, 10, 16, 40])
def test_top_kmer_options_on_short_rankings(size: int) -> None:
    ranked = kmer_names(3)[:size]
    options = top_kmer_options(ranked)
    assert ranked[0] in options
    assert list(options) == sorted(options)
    assert len(options) == len(set(options)) == min(size, 4)
    assert set(options) <= set(ranked)
