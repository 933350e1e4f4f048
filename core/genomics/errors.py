"""One error type for every input the genomics pipeline cannot use, carrying a code the page
translates and the values it needs; ``str(error)`` is a plain English sentence for scripts."""

from __future__ import annotations

from core.errors import CodedError

MESSAGES: dict[str, str] = {
    "empty": "The file is empty: paste or upload sequences in FASTA format.",
    "not_fasta": (
        "This is not FASTA: the first line must start with '>' followed by a name, "
        "e.g. '>seq1', and the next lines hold the sequence."
    ),
    "empty_sequence": "Sequence '{name}' has a header but no letters.",
    "bad_letters": (
        "Sequence '{name}' contains {letters}, which are not DNA letters; use A, C, G, T "
        "(and N for an unknown base)."
    ),
    "too_short": "Sequence '{name}' has {length} bases; the lab needs at least {limit}.",
    "too_long": "Sequence '{name}' has {length} bases; the lab accepts at most {limit}.",
    "too_many": "The file holds {count} sequences; the lab accepts at most {limit}.",
    "too_big": "The file is {size} MB; the lab accepts at most {limit} MB.",
    "duplicate_name": "The name '{name}' is used by two sequences; every name must be unique.",
    "too_few": "The lab needs at least {limit} sequences, the file has {count}.",
    "labels_unreadable": "The labels file is not a readable CSV ({detail}).",
    "labels_no_id": "The labels CSV needs an 'id' column matching the FASTA names.",
    "labels_no_label": "The labels CSV needs a 'label' column of 0 and 1.",
    "labels_bad_values": "The 'label' column may hold only 0 and 1; found {values}.",
    "labels_missing": "{count} sequences have no label in the CSV, e.g. '{name}'.",
    "one_class": "Every labelled sequence is in one class; classification needs both 0 and 1.",
    "kmer_range": "k must be between {low} and {high}, got {value}.",
    "parameter_range": "{name} must be between {low} and {high}, got {value}.",
}


class GenomicsInputError(CodedError):
    MESSAGES = MESSAGES


check_ranges = GenomicsInputError.check_ranges
