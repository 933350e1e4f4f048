"""Sequence plus clinical record: the genomics study cites 6–33 % gains when genomic data is
combined with clinical variables (Soenksen et al. 2022). Here the same model is trained on each
modality alone and on both, on one split, so the gain is measured, not quoted."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from core.genomics.classify import Scores, Split, make_model, score

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
MODALITIES = ("sequence", "clinical", "both")


@dataclass(frozen=True)
class MultimodalResult:
    scores: dict[str, Scores]  # by modality

    @property
    def best_single(self) -> str:
        return max(("sequence", "clinical"), key=lambda m: self.scores[m].auc)

    @property
    def auc_gain(self) -> float:
        """Relative AUC gain of both modalities over the better single one."""
        single = self.scores[self.best_single].auc
        return (self.scores["both"].auc - single) / single

    @property
    def accuracy_gain_points(self) -> float:
        return self.scores["both"].accuracy - self.scores[self.best_single].accuracy


def compare_modalities(
    sequence: Floats, clinical: Floats, labels: Ints, parts: Split, seed: int = 0
) -> MultimodalResult:
    inputs = {"sequence": sequence, "clinical": clinical, "both": np.hstack([sequence, clinical])}
    scores = {}
    for modality, x in inputs.items():
        model = make_model("xgboost", seed).fit(x[parts.train], labels[parts.train])
        scores[modality] = score(labels[parts.test], model.predict_proba(x[parts.test])[:, 1])
    return MultimodalResult(scores)
