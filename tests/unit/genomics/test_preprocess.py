"""Cleaning reports exactly what it did, and keeps every per-sequence field in step."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.genomics import GenomicsInputError
from core.genomics.generators import Dataset, Site
from core.genomics.preprocess import (
    PreprocessSettings,
    augment_reverse_complement,
    preprocess,
)


def _dataset(seqs: list[str]) -> Dataset:
    n = len(seqs)
    return Dataset(
        kind="upload",
        names=tuple(f"s{i}" for i in range(n)),
        seqs=tuple(seqs),
        labels=np.arange(n, dtype=np.int64) % 2,
        sites=tuple((Site("TATA", i, i + 7),) for i in range(n)),
        rare=np.arange(n) == 3,
        clinical=pd.DataFrame({"age": np.arange(n, dtype=float)}),
        institution=np.arange(n, dtype=np.int64) % 3,
        mutations=tuple((f"C>A:{i}",) for i in range(n)),
    )


BASE = ["ACGT" * 5 + "A" * i for i in range(12)]  # 12 distinct sequences, 20..31 bases


def test_report_counts_each_step() -> None:
    seqs = [*BASE, BASE[0], BASE[1], "N" * 5 + "A" * 20]  # two duplicates, one 20 % N
    cleaned, report = preprocess(_dataset(seqs), PreprocessSettings(target_length=25))
    assert report.before == 15
    assert report.duplicates_removed == 2
    assert report.n_heavy_removed == 1
    assert report.after == 12 == len(cleaned)
    assert report.target_length == 25
    assert report.padded == 5  # lengths 20..24
    assert report.trimmed == 6  # lengths 26..31
    assert {len(s) for s in cleaned.seqs} == {25}
    assert cleaned.names == tuple(f"s{i}" for i in range(12))


def test_every_field_kept_in_step() -> None:
    seqs = [*BASE[:6], BASE[0], *BASE[6:]]  # the duplicate at row 6 is dropped
    cleaned, _ = preprocess(_dataset(seqs), PreprocessSettings())
    kept = [0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12]
    assert cleaned.names == tuple(f"s{i}" for i in kept)
    assert cleaned.labels is not None and cleaned.rare is not None
    np.testing.assert_array_equal(cleaned.labels, np.array(kept) % 2)
    assert cleaned.sites == tuple((Site("TATA", i, i + 7),) for i in kept)
    np.testing.assert_array_equal(cleaned.rare, np.array(kept) == 3)
    assert cleaned.clinical is not None
    assert cleaned.clinical["age"].tolist() == [float(i) for i in kept]
    assert cleaned.clinical.index.tolist() == list(range(12))
    assert cleaned.mutations == tuple((f"C>A:{i}",) for i in kept)


def test_median_length_default_and_centre_trim() -> None:
    seqs = ["AAAAA" + "C" * 20 + "GGGGG"] + ["T" * 20 + "A" * i for i in range(1, 11)]
    cleaned, report = preprocess(_dataset(seqs), PreprocessSettings())
    assert report.target_length == 26  # the median of 21..30 and 30
    assert cleaned.seqs[0] == "AAA" + "C" * 20 + "GGG"  # two cut from each end
    assert cleaned.seqs[1] == "T" * 20 + "A" + "NNNNN"


def test_without_deduplication_duplicates_stay() -> None:
    seqs = [*BASE, BASE[0]]
    _, report = preprocess(_dataset(seqs), PreprocessSettings(deduplicate=False))
    assert report.duplicates_removed == 0
    assert report.after == 13


def test_gc_by_class() -> None:
    seqs = ["GC" * 10 + "G" * i if i % 2 else "AT" * 10 + "A" * i for i in range(12)]
    _, report = preprocess(_dataset(seqs), PreprocessSettings(target_length=20))
    assert report.gc_by_class == (0.0, 1.0)
    assert report.mean_gc == pytest.approx(0.5)


def test_too_few_left() -> None:
    seqs = BASE[:9] + ["N" * 20] * 3
    with pytest.raises(GenomicsInputError) as info:
        preprocess(_dataset(seqs), PreprocessSettings())
    assert info.value.code == "too_few"
    assert info.value.values == {"limit": 10, "count": 9}


@pytest.mark.parametrize("fraction", [-0.1, 1.5])
def test_n_fraction_out_of_range(fraction: float) -> None:
    with pytest.raises(GenomicsInputError) as info:
        preprocess(_dataset(BASE), PreprocessSettings(max_n_fraction=fraction))
    assert info.value.code == "parameter_range"


def test_augment_reverse_complement() -> None:
    seqs, labels = augment_reverse_complement(["AACG", "TTTN"], np.array([1, 0]))
    assert seqs == ["AACG", "TTTN", "CGTT", "NAAA"]
    assert labels.tolist() == [1, 0, 1, 0]
