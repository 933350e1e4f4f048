"""Real transcription-factor motifs for the planted-motif generator, from the JASPAR 2024
database that the pyjaspar package ships (offline, SQLite inside the wheel). A site is *sampled*
from the motif's position frequency matrix, so planted TATA boxes vary the way real ones do
(TATAAAA, TATATAA, TATAAAT…) instead of repeating one consensus string."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from core.genomics.encoding import BASES

JASPAR_RELEASE = "JASPAR2024"
# Core promoter elements: TATA box (TBP), GC box (SP1), CCAAT box (NF-Y), CRE (CREB1).
JASPAR_IDS: dict[str, str] = {
    "TATA": "MA0108.3",
    "GC_BOX": "MA0079.5",
    "CCAAT": "MA0060.4",
    "CRE": "MA0018.4",
}
# Documented consensus sequences, used only if the JASPAR database cannot be opened.
CONSENSUS: dict[str, str] = {
    "TATA": "TATAAAA",
    "GC_BOX": "GGGGCGGGG",
    "CCAAT": "CCAATCAG",
    "CRE": "TGACGTCA",
}


@dataclass(frozen=True)
class Motif:
    key: str  # TATA, GC_BOX, ...
    name: str  # the factor, e.g. TBP
    source: str  # "MA0108.3 (JASPAR2024)" or "consensus"
    probabilities: npt.NDArray[np.float64]  # (length, 4) in A, C, G, T order

    @property
    def length(self) -> int:
        return int(self.probabilities.shape[0])

    @property
    def consensus(self) -> str:
        return "".join(BASES[i] for i in self.probabilities.argmax(axis=1))

    def sample(self, rng: np.random.Generator) -> str:
        cumulative = self.probabilities.cumsum(axis=1)
        draws = rng.random((self.length, 1))
        return "".join(BASES[i] for i in (draws > cumulative).sum(axis=1).clip(0, 3))


@lru_cache(maxsize=8)
def motif(key: str) -> Motif:
    try:
        from pyjaspar import jaspardb

        record = jaspardb(release=JASPAR_RELEASE).fetch_motif_by_id(JASPAR_IDS[key])
        counts = np.array([record.counts[b] for b in BASES], dtype=np.float64).T + 0.5
        source = f"{JASPAR_IDS[key]} ({JASPAR_RELEASE})"
        name = str(record.name)
    except (ImportError, OSError, LookupError):
        counts = np.array([[8.0 if b == c else 0.5 for b in BASES] for c in CONSENSUS[key]])
        source, name = "consensus", key
    return Motif(key, name, source, counts / counts.sum(axis=1, keepdims=True))
