"""The cleaning a sequencing pipeline does before any model sees the data, with a report of what
each step changed, so a learner sees why their 2,000 sequences became 1,950."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from core.genomics.encoding import gc_content, reverse_complement
from core.genomics.errors import GenomicsInputError, check_ranges
from core.genomics.generators import Dataset


@dataclass(frozen=True)
class PreprocessSettings:
    deduplicate: bool = True
    max_n_fraction: float = 0.1  # drop a sequence with more unknown bases than this
    target_length: int | None = None  # None: the median length


@dataclass(frozen=True)
class PreprocessReport:
    before: int
    duplicates_removed: int
    n_heavy_removed: int
    padded: int
    trimmed: int
    target_length: int
    after: int
    mean_gc: float
    gc_by_class: tuple[float, ...]  # one per label, empty when unlabelled


def preprocess(data: Dataset, settings: PreprocessSettings) -> tuple[Dataset, PreprocessReport]:
    check_ranges(("max_n_fraction", settings.max_n_fraction, 0.0, 1.0))
    keep: list[int] = []
    seen: set[str] = set()
    duplicates = n_heavy = 0
    for i, seq in enumerate(data.seqs):
        if settings.deduplicate and seq in seen:
            duplicates += 1
            continue
        seen.add(seq)
        if seq.count("N") / len(seq) > settings.max_n_fraction:
            n_heavy += 1
            continue
        keep.append(i)
    if len(keep) < 10:
        raise GenomicsInputError("too_few", limit=10, count=len(keep))
    lengths = [len(data.seqs[i]) for i in keep]
    target = settings.target_length or int(np.median(lengths))
    seqs = [_fit(data.seqs[i], target) for i in keep]
    cleaned = _subset(data, keep, seqs)
    labels = cleaned.labels
    gc = np.array([gc_content(s) for s in seqs])
    by_class = () if labels is None else tuple(float(gc[labels == c].mean()) for c in (0, 1))
    report = PreprocessReport(
        before=len(data),
        duplicates_removed=duplicates,
        n_heavy_removed=n_heavy,
        padded=sum(length < target for length in lengths),
        trimmed=sum(length > target for length in lengths),
        target_length=target,
        after=len(seqs),
        mean_gc=float(gc.mean()),
        gc_by_class=by_class,
    )
    return cleaned, report


def _fit(seq: str, length: int) -> str:
    """Trim both ends evenly (keeps the centre, where reads are best) or pad with N."""
    if len(seq) >= length:
        start = (len(seq) - length) // 2
        return seq[start : start + length]
    return seq + "N" * (length - len(seq))


def _subset(data: Dataset, keep: list[int], seqs: list[str]) -> Dataset:
    index = np.array(keep, dtype=np.int64)
    return replace(
        data,
        names=tuple(data.names[i] for i in keep),
        seqs=tuple(seqs),
        labels=None if data.labels is None else data.labels[index],
        sites=tuple(data.sites[i] for i in keep) if data.sites else (),
        rare=None if data.rare is None else data.rare[index],
        clinical=None
        if data.clinical is None
        else data.clinical.iloc[index].reset_index(drop=True),
        institution=None if data.institution is None else data.institution[index],
        mutations=tuple(data.mutations[i] for i in keep) if data.mutations else (),
    )


def augment_reverse_complement(seqs: list[str], labels: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Both strands of every training sequence: a motif means the same on either strand, and a
    model that saw only one would miss it on the other."""
    return seqs + [reverse_complement(s) for s in seqs], np.concatenate([labels, labels])
