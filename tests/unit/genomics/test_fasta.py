"""Every rule an uploaded FASTA or labels CSV can break raises GenomicsInputError with its own
code, and every tolerated quirk (lower case, RNA, ambiguity codes, comments) reads as DNA."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from core.genomics import GenomicsInputError, read_fasta
from core.genomics.errors import MESSAGES
from core.genomics.fasta import MAX_SEQUENCES, read_labels_csv

SEQ = "ACGTACGTACGTACGTACGTAC"  # 22 bases: above the 20-base minimum


def _raises(code: str, call: Callable[[], Any]) -> GenomicsInputError:
    with pytest.raises(ValueError) as info:
        call()
    error = info.value
    assert isinstance(error, GenomicsInputError)
    assert error.code == code, str(error)
    assert "{" not in str(error)  # every placeholder of the message was filled
    return error


# --- Malformed FASTA ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\n\t\n", "# only a comment\n"])
def test_empty_text(text: str) -> None:
    _raises("empty", lambda: read_fasta(text))


@pytest.mark.parametrize("text", [SEQ, f"{SEQ}\n>a\n{SEQ}", ">\n" + SEQ, "name,seq\na,ACGT"])
def test_not_fasta(text: str) -> None:
    _raises("not_fasta", lambda: read_fasta(text))


def test_header_without_sequence() -> None:
    error = _raises("empty_sequence", lambda: read_fasta(f">first\n>second\n{SEQ}"))
    assert error.values == {"name": "first"}
    error = _raises("empty_sequence", lambda: read_fasta(f">a\n{SEQ}\n>last\n"))
    assert error.values == {"name": "last"}


def test_protein_letters() -> None:
    error = _raises("bad_letters", lambda: read_fasta(">p53\nMKVLEAAGTLLLAAGGKKRRSSTTE"))
    # M, K, R, S are IUPAC DNA ambiguity codes too; E and L can only be protein.
    assert error.values == {"name": "p53", "letters": "E, L"}
    assert "E, L" in str(error)


def test_alignment_gaps_are_bad_letters() -> None:
    error = _raises("bad_letters", lambda: read_fasta(">a\nACGT-ACGTACGTACGTACGT"))
    assert error.values["letters"] == "-"


def test_too_short() -> None:
    error = _raises("too_short", lambda: read_fasta(">a\n" + "A" * 19))
    assert error.values == {"name": "a", "length": 19, "limit": 20}


def test_too_long() -> None:
    error = _raises("too_long", lambda: read_fasta(">a\n" + "A" * 2001))
    assert error.values == {"name": "a", "length": 2001, "limit": 2000}


def test_length_limits_are_inclusive() -> None:
    assert read_fasta(">a\n" + "A" * 20) == [("a", "A" * 20)]
    assert read_fasta(">a\n" + "C" * 2000) == [("a", "C" * 2000)]


def test_duplicate_names() -> None:
    error = _raises("duplicate_name", lambda: read_fasta(f">a\n{SEQ}\n>b\n{SEQ}\n>a\n{SEQ}"))
    assert error.values == {"name": "a"}


def test_duplicate_is_judged_on_the_name_before_the_description() -> None:
    _raises("duplicate_name", lambda: read_fasta(f">a tumour\n{SEQ}\n>a normal\n{SEQ}"))


def test_too_big_is_refused_before_parsing() -> None:
    error = _raises("too_big", lambda: read_fasta(">a\n" + "A" * 5_100_000))
    assert error.values == {"size": 5.1, "limit": 5.0}


def test_too_many_sequences() -> None:
    text = "".join(f">s{i}\n{SEQ}\n" for i in range(MAX_SEQUENCES + 1))
    _raises("too_many", lambda: read_fasta(text))
    assert len(read_fasta("".join(f">s{i}\n{SEQ}\n" for i in range(MAX_SEQUENCES)))) == 5000


# --- Valid FASTA quirks -------------------------------------------------------------------------


def test_multi_line_sequence_is_joined_and_description_dropped() -> None:
    text = ">seq1 Homo sapiens chr1\nACGTACGTAC\nGGGGGCCCCC\n  TTTTT  \n>seq2\n" + SEQ + "\n"
    assert read_fasta(text) == [("seq1", "ACGTACGTACGGGGGCCCCCTTTTT"), ("seq2", SEQ)]


def test_lower_case_rna_and_ambiguity_codes() -> None:
    text = ">r\nacgu" + "rykmswbdhvn" + "ACGUACGUAC\n"
    assert read_fasta(text) == [("r", "ACGT" + "N" * 11 + "ACGTACGTAC")]


def test_comment_lines_skipped_anywhere() -> None:
    text = f"# exported by a tool\n>a\n{SEQ[:10]}\n# a note\n{SEQ[10:]}\n; old style\n>b\n{SEQ}"
    assert read_fasta(text) == [("a", SEQ), ("b", SEQ)]


def test_windows_line_endings() -> None:
    assert read_fasta(f">a\r\n{SEQ[:11]}\r\n{SEQ[11:]}\r\n") == [("a", SEQ)]


# --- The error type ------------------------------------------------------------------------------


def test_error_pickles_with_code_and_values() -> None:
    error = GenomicsInputError("too_short", name="seq7", length=12, limit=20)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is GenomicsInputError
    assert copy.code == "too_short"
    assert copy.values == {"name": "seq7", "length": 12, "limit": 20}
    assert str(copy) == str(error) == "Sequence 'seq7' has 12 bases; the lab needs at least 20."


def test_raised_error_pickles() -> None:
    error = _raises("bad_letters", lambda: read_fasta(">p\nMKVLEAAGTLLLAAGGKKRRSSTTE"))
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.code, copy.values, str(copy)) == (error.code, error.values, str(error))


def test_every_message_ends_as_a_sentence() -> None:
    for code, template in MESSAGES.items():
        assert template.rstrip().endswith("."), code


# --- Labels CSV ----------------------------------------------------------------------------------

NAMES = ["a", "b", "c"]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "labels_unreadable"),
        (b"\xff\xfe\x00\x81garbage\x00", "labels_unreadable"),
        (b"name,label\na,1\nb,0\nc,1\n", "labels_no_id"),
        (b"id,class\na,1\nb,0\nc,1\n", "labels_no_label"),
        (b"id,label\na,1\nb,0\n", "labels_missing"),
        (b"id,label\na,1\nb,2\nc,0\n", "labels_bad_values"),
        (b"id,label\na,yes\nb,no\nc,yes\n", "labels_bad_values"),
        (b"id,label\na,1\nb,1\nc,1\n", "one_class"),
    ],
)
def test_labels_errors(data: bytes, code: str) -> None:
    _raises(code, lambda: read_labels_csv(data, NAMES))


def test_labels_error_values() -> None:
    error = _raises("labels_missing", lambda: read_labels_csv(b"id,label\nb,0\n", NAMES))
    assert error.values == {"count": 2, "name": "a"}
    error = _raises(
        "labels_bad_values", lambda: read_labels_csv(b"id,label\na,1\nb,2\nc,0\n", NAMES)
    )
    assert error.values == {"values": "2"}
    error = _raises(
        "labels_bad_values", lambda: read_labels_csv(b"id,label\na,1\nb,\nc,0\n", NAMES)
    )
    assert error.values == {"values": "nan"}


def test_labels_happy_path_follows_fasta_order_and_one_hot_encodes_text() -> None:
    data = b" ID , Label ,Sex,Age\nc,1,F,40\nb,0,F,30\na,1,M,50\nextra,0,M,20\n"
    notes = read_labels_csv(data, NAMES)
    np.testing.assert_array_equal(notes.labels, [1, 0, 1])
    assert notes.labels.dtype == np.int64
    assert sorted(notes.clinical.columns) == ["age", "sex_F", "sex_M"]
    assert notes.clinical["age"].tolist() == [50.0, 30.0, 40.0]
    assert notes.clinical["sex_M"].tolist() == [1.0, 0.0, 0.0]
    assert notes.clinical["sex_F"].tolist() == [0.0, 1.0, 1.0]
    assert all(dtype == np.float64 for dtype in notes.clinical.dtypes)
    assert notes.clinical.index.tolist() == [0, 1, 2]


def test_labels_csv_with_only_id_and_label() -> None:
    notes = read_labels_csv(b"id,label\na,1\nb,0\nc,1\n", NAMES)
    np.testing.assert_array_equal(notes.labels, [1, 0, 1])
    assert notes.clinical.shape == (3, 0)


def test_labels_ids_with_leading_zeros() -> None:
    notes = read_labels_csv(b"id,label,age\n001,1,40\n002,0,50\n", ["001", "002"])
    np.testing.assert_array_equal(notes.labels, [1, 0])
