"""The two encodings on hand-checked examples, and the invariants any DNA string must keep."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.genomics import GenomicsInputError, kmer_counts, one_hot
from core.genomics.encoding import (
    codes,
    gc_content,
    kmer_frequencies,
    kmer_names,
    one_hot_batch,
    reverse_complement,
)

FAST = settings(max_examples=60, deadline=None, database=None)
DNA = st.text(alphabet="ACGT", min_size=0, max_size=120)
DNA_N = st.text(alphabet="ACGTN", min_size=0, max_size=120)


def test_one_hot_exact_matrix_with_unknown_base_all_zero() -> None:
    expected = np.array(
        [
            [1, 0, 0, 0],
            [0, 1, 0, 0],
            [0, 0, 1, 0],
            [0, 0, 0, 1],
            [0, 0, 0, 0],
        ],
        dtype=np.float64,
    )
    np.testing.assert_array_equal(one_hot("ACGTN"), expected)


def test_one_hot_lower_case_equals_upper_case() -> None:
    np.testing.assert_array_equal(one_hot("acgtn"), one_hot("ACGTN"))
    np.testing.assert_array_equal(one_hot("aCgT"), one_hot("ACGT"))


def test_codes_mark_anything_but_acgt_as_unknown() -> None:
    np.testing.assert_array_equal(codes("ACGTNRx-"), [0, 1, 2, 3, -1, -1, -1, -1])


def test_one_hot_batch_is_channels_first_float32() -> None:
    batch = one_hot_batch(["ACGT", "TTTN"])
    assert batch.shape == (2, 4, 4)
    assert batch.dtype == np.float32
    np.testing.assert_array_equal(batch[1], one_hot("TTTN").T)


def test_kmer_names_are_lexicographic_in_acgt() -> None:
    names = kmer_names(2)
    assert names == [a + b for a in "ACGT" for b in "ACGT"]
    assert names[:3] == ["AA", "AC", "AG"]
    assert names[-1] == "TT"
    assert len(kmer_names(4)) == 256


def test_kmer_counts_exact() -> None:
    matrix, names = kmer_counts(["ACGTA"], 2)
    assert names == kmer_names(2)
    assert matrix.shape == (1, 16)
    expected = dict.fromkeys(names, 0.0) | {"AC": 1.0, "CG": 1.0, "GT": 1.0, "TA": 1.0}
    assert dict(zip(names, matrix[0], strict=True)) == expected


def test_kmer_counts_overlapping_windows() -> None:
    matrix, names = kmer_counts(["AAAA"], 2)
    assert matrix[0, names.index("AA")] == 3.0
    assert matrix[0].sum() == 3.0


def test_kmer_windows_touching_n_are_not_counted() -> None:
    matrix, names = kmer_counts(["ACNGT", "acgt"], 2)
    counted = {names[i]: matrix[0, i] for i in np.flatnonzero(matrix[0])}
    assert counted == {"AC": 1.0, "GT": 1.0}  # CN and NG dropped
    assert matrix[1, names.index("CG")] == 1.0  # lower case counted like upper case


def test_kmer_counts_sequence_shorter_than_k_gives_zero_row() -> None:
    matrix, _ = kmer_counts(["AC", "ACGT"], 3)
    assert matrix[0].sum() == 0.0
    assert matrix[1].sum() == 2.0


@pytest.mark.parametrize("k", [0, 7, -1])
def test_k_out_of_range_raises(k: int) -> None:
    with pytest.raises(ValueError) as info:
        kmer_counts(["ACGTACGT"], k)
    error = info.value
    assert isinstance(error, GenomicsInputError)
    assert error.code == "kmer_range"
    assert error.values == {"low": 1, "high": 6, "value": k}


@pytest.mark.parametrize("k", [1, 6])
def test_k_at_range_ends_accepted(k: int) -> None:
    matrix, names = kmer_counts(["ACGTACGT"], k)
    assert len(names) == 4**k
    assert matrix.sum() == 8 - k + 1


@FAST
@given(seq=DNA, k=st.integers(1, 6))
def test_kmer_row_sum_is_number_of_windows(seq: str, k: int) -> None:
    matrix, _ = kmer_counts([seq], k)
    assert matrix.sum() == max(0, len(seq) - k + 1)


@FAST
@given(seq=DNA.filter(lambda s: len(s) >= 3), k=st.integers(1, 3))
def test_kmer_frequencies_sum_to_one(seq: str, k: int) -> None:
    frequencies, _ = kmer_frequencies([seq], k)
    assert frequencies.sum() == pytest.approx(1.0)


def test_kmer_frequencies_of_all_n_sequence_are_zero_not_nan() -> None:
    frequencies, _ = kmer_frequencies(["NNNNN"], 2)
    assert not np.isnan(frequencies).any()
    assert frequencies.sum() == 0.0


@FAST
@given(seq=DNA)
def test_one_hot_rows_sum_to_one_for_known_bases(seq: str) -> None:
    encoded = one_hot(seq)
    assert encoded.shape == (len(seq), 4)
    np.testing.assert_array_equal(encoded.sum(axis=1), np.ones(len(seq)))
    assert "".join("ACGT"[i] for i in encoded.argmax(axis=1)) == seq


@FAST
@given(seq=DNA_N)
def test_reverse_complement_is_an_involution(seq: str) -> None:
    assert reverse_complement(reverse_complement(seq)) == seq


def test_reverse_complement_exact() -> None:
    assert reverse_complement("AACGTN") == "NACGTT"
    assert reverse_complement("TATAAAA") == "TTTTATA"


@pytest.mark.parametrize(
    ("seq", "expected"),
    [("GGCC", 1.0), ("ATAT", 0.0), ("ACGT", 0.5), ("ACGN", 2 / 3), ("NNN", 0.0), ("", 0.0)],
)
def test_gc_content(seq: str, expected: float) -> None:
    assert gc_content(seq) == pytest.approx(expected)


@FAST
@given(seq=DNA_N)
def test_gc_content_same_on_both_strands(seq: str) -> None:
    assert gc_content(reverse_complement(seq)) == pytest.approx(gc_content(seq))
