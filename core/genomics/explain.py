"""Why did the model say "promoter"? SHAP values split each prediction into one contribution per
k-mer (TreeExplainer computes them exactly for tree models). Averaged over sequences they rank the
k-mers the model relies on; on generated data a learner can check that the top ones are pieces of
the planted motif, not an artefact."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from core.genomics.classify import Split, make_model
from core.genomics.encoding import kmer_counts

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Explanation:
    names: tuple[str, ...]
    values: Floats  # (n explained sequences, k-mers): each k-mer's push towards class 1 (log-odds)
    base_value: float
    mean_abs: Floats  # (k-mers,)

    def top(self, count: int) -> list[tuple[str, float]]:
        order = np.argsort(-self.mean_abs, kind="stable")[:count]
        return [(self.names[i], float(self.mean_abs[i])) for i in order]

    def for_sequence(self, row: int, count: int) -> list[tuple[str, float]]:
        """The k-mers that moved this one prediction most, signed."""
        order = np.argsort(-np.abs(self.values[row]), kind="stable")[:count]
        return [(self.names[i], float(self.values[row, i])) for i in order]


def explain_trees(model: Any, features: Floats, names: list[str]) -> Explanation:
    import shap

    explainer = shap.TreeExplainer(model)
    values = explainer.shap_values(features)
    if isinstance(values, list):  # older sklearn forests: one array per class
        values = values[1]
    values = np.asarray(values, dtype=np.float64)
    if values.ndim == 3:  # (n, features, classes)
        values = values[:, :, 1]
    base = np.asarray(explainer.expected_value, dtype=np.float64).ravel()
    return Explanation(tuple(names), values, float(base[-1]), np.abs(values).mean(axis=0))


def explain_xgboost(
    features: Floats, labels: npt.NDArray[np.int64], parts: Split, names: list[str], seed: int = 0
) -> Explanation:
    """SHAP of the classification step's XGBoost model (fitted on the training part) on the
    held-out sequences. About a second on the default 2,000 sequences, so the page runs it."""
    model = make_model("xgboost", seed)
    model.fit(features[parts.train], labels[parts.train])
    return explain_trees(model, features[parts.test], names)


def top_kmers(seqs: list[str], labels: list[int], k: int = 4, top: int = 10) -> list[str]:
    """Fit the default k-mer classifier (XGBoost on k-mer counts) on all sequences and return the
    ``top`` k-mers with the largest mean |SHAP|."""
    features, names = kmer_counts(seqs, k)
    model = make_model("xgboost")
    model.fit(features, np.asarray(labels, dtype=np.int64))
    return [name for name, _ in explain_trees(model, features, names).top(top)]


def motif_kmers(motif_consensus: str, k: int) -> set[str]:
    """Every k-mer inside a motif's consensus and its reverse complement."""
    from core.genomics.encoding import reverse_complement

    words = set()
    for text in (motif_consensus, reverse_complement(motif_consensus)):
        words |= {text[i : i + k] for i in range(len(text) - k + 1)}
    return words
