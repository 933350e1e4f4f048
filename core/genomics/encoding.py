"""Turning letters into numbers two ways. One-hot keeps every position (a CNN can then find a
motif wherever it sits); k-mer counts forget positions but make sequences of any length
comparable, and each column is a short word a biologist can read."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from core.genomics.errors import GenomicsInputError

BASES = "ACGT"
K_RANGE = (1, 6)
_CODE = np.full(256, -1, dtype=np.int64)
for _i, _base in enumerate(BASES):
    _CODE[ord(_base)] = _i
    _CODE[ord(_base.lower())] = _i
_COMPLEMENT = str.maketrans("ACGTN", "TGCAN")

Floats = npt.NDArray[np.float64]


def codes(seq: str) -> npt.NDArray[np.int64]:
    """Base indices 0..3 in A, C, G, T order; -1 for anything else (N)."""
    return _CODE[np.frombuffer(seq.encode("ascii", errors="replace"), dtype=np.uint8)]


def one_hot(seq: str) -> Floats:
    """(len, 4) in A, C, G, T order; an unknown base (N) is all zeros, not a guess."""
    index = codes(seq)
    out = np.zeros((len(index), 4), dtype=np.float64)
    known = index >= 0
    out[np.flatnonzero(known), index[known]] = 1.0
    return out


def one_hot_batch(seqs: Sequence[str]) -> npt.NDArray[np.float32]:
    """(n, 4, length) for sequences of one length, channels first as torch's Conv1d wants."""
    return np.stack([one_hot(s).T for s in seqs]).astype(np.float32)


def kmer_names(k: int) -> list[str]:
    return ["".join(p) for p in itertools.product(BASES, repeat=k)]


def check_k(k: int) -> None:
    if not K_RANGE[0] <= k <= K_RANGE[1]:
        raise GenomicsInputError("kmer_range", low=K_RANGE[0], high=K_RANGE[1], value=k)


def kmer_counts(seqs: list[str], k: int) -> tuple[Floats, list[str]]:
    """Counts of every k-mer (4**k columns, lexicographic in ACGT) in every sequence, overlapping
    windows; a window that touches an N is not counted."""
    check_k(k)
    matrix = np.zeros((len(seqs), 4**k), dtype=np.float64)
    weights = 4 ** np.arange(k - 1, -1, -1)
    for row, seq in enumerate(seqs):
        index = codes(seq)
        if len(index) < k:
            continue
        windows = np.lib.stride_tricks.sliding_window_view(index, k)
        valid = (windows >= 0).all(axis=1)
        matrix[row] = np.bincount(windows[valid] @ weights, minlength=4**k)
    return matrix, kmer_names(k)


def kmer_frequencies(seqs: list[str], k: int) -> tuple[Floats, list[str]]:
    """k-mer counts divided by each sequence's number of windows, so length does not dominate."""
    counts, names = kmer_counts(seqs, k)
    totals = counts.sum(axis=1, keepdims=True)
    return np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0), names


def reverse_complement(seq: str) -> str:
    return seq.translate(_COMPLEMENT)[::-1]


def gc_content(seq: str) -> float:
    """Fraction of G and C among the known bases (N excluded)."""
    index = codes(seq)
    known = index >= 0
    if not known.any():
        return 0.0
    return float(np.isin(index[known], (1, 2)).mean())
