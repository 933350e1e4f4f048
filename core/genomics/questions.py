"""Predict-then-check questions, one per pipeline step. The learner locks a prediction before the
step runs; the right option is then *computed from that run's numbers*, never written down, so it
holds for any dataset, seed or upload. Each wrong option names the misconception it reveals."""

from __future__ import annotations

from collections.abc import Sequence

from core.questions import Question, Verdict, question
from core.questions import judge as judge_question

NEAR = 0.02  # two accuracy points: closer than this counts as "about the same"


_q = question


QUESTIONS: dict[str, Question] = {
    q.id: q
    for q in (
        _q("gc", "gen.encoding", higher="gc_assumed_higher", same="gc_difference_missed",
           lower="gc_assumed_lower"),
        _q("columns", "gen.encoding", four_k="kmer_count_linear", four_pow_k="kmer_count_power",
           windows="kmer_windows_confused", one_hot="one_hot_confused"),
        _q("clusters", "gen.clustering", close="clusters_are_labels",
           partly="cluster_match_misjudged", no="structure_missed"),
        _q("cnn_vs_kmers", "gen.classification", kmers="position_ignored",
           cnn="deep_always_wins", same="difference_misjudged"),
        _q("anomaly", "gen.anomaly", autoencoder="autoencoder_overrated",
           isolation_forest="reconstruction_misunderstood", same="difference_misjudged"),
        _q("top_kmer", "gen.explainability"),  # the options are k-mers, chosen per run
        _q("multimodal", "gen.classification", large="more_data_always_better",
           small="gain_misjudged", none="modalities_redundant"),
        _q("federated", "gen.classification", near_central="federated_overrated",
           between="gain_misjudged", like_local="federated_is_local",
           above_central="federated_beats_central"),
    )
}  # fmt: skip
TOP_KMER_ERROR = "motif_not_recognised"


def judge(question_id: str, choice: str, truth: Sequence[str]) -> Verdict:
    return judge_question(QUESTIONS[question_id], choice, truth, TOP_KMER_ERROR)


def gc_truth(gc_background: float, gc_positive: float) -> tuple[str, ...]:
    difference = gc_positive - gc_background
    if abs(difference) < 0.01:
        return ("same",)
    return ("higher",) if difference > 0 else ("lower",)


def column_values(k: int, length: int) -> dict[str, int]:
    return {"four_k": 4 * k, "four_pow_k": 4**k, "windows": length - k + 1, "one_hot": 4 * length}


def columns_truth(k: int, length: int, columns: int) -> tuple[str, ...]:
    return tuple(code for code, value in column_values(k, length).items() if value == columns)


def clusters_truth(rand_index: float) -> tuple[str, ...]:
    if rand_index > 0.5:
        return ("close",)
    return ("partly",) if rand_index > 0.1 else ("no",)


def _compare(first: float, second: float, names: tuple[str, str], near: float) -> tuple[str, ...]:
    if abs(first - second) < near:
        return ("same",)
    return (names[0],) if first > second else (names[1],)


def cnn_truth(kmer_accuracy: float, cnn_accuracy: float) -> tuple[str, ...]:
    return _compare(kmer_accuracy, cnn_accuracy, ("kmers", "cnn"), NEAR)


def anomaly_truth(autoencoder_precision: float, forest_precision: float) -> tuple[str, ...]:
    return _compare(
        autoencoder_precision, forest_precision, ("autoencoder", "isolation_forest"), 0.05
    )


def top_kmer_options(ranked: Sequence[str]) -> tuple[str, ...]:
    """The model's top k-mer among three from further down its ranking (10th, 30th, 60th or the
    last ones), in alphabetical order so the position gives nothing away."""
    picks = [ranked[0]] + [ranked[min(i, len(ranked) - 1 - n)] for n, i in enumerate((9, 29, 59))]
    return tuple(sorted(dict.fromkeys(picks)))


def multimodal_truth(auc_gain: float) -> tuple[str, ...]:
    if auc_gain > 0.05:
        return ("large",)
    return ("small",) if auc_gain > 0.0 else ("none",)


def federated_truth(central: float, federated: float, local_mean: float) -> tuple[str, ...]:
    if federated > central + NEAR:
        return ("above_central",)
    if federated >= central - NEAR:
        return ("near_central",)
    return ("between",) if federated > local_mean + NEAR else ("like_local",)
