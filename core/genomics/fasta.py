"""Reading what a learner uploads: FASTA sequences (parsed by Biopython) and an optional CSV of
labels and clinical variables. Every rule a file can break has its own message, because a class
uploading files from the internet meets all of them: protein FASTA, a header without a sequence,
the same name twice, a 200 MB genome."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from core.genomics.errors import GenomicsInputError

MIN_LENGTH = 20
MAX_LENGTH = 2000
MAX_SEQUENCES = 5000
MAX_MEGABYTES = 5.0
AMBIGUOUS = frozenset("RYKMSWBDHVN")  # IUPAC codes for an uncertain base: read as N
_COMMENT = ("#", ";", "!")


def read_fasta(text: str) -> list[tuple[str, str]]:
    """(name, sequence) pairs, upper case; U (RNA) reads as T and IUPAC ambiguity codes as N.
    Raises ``GenomicsInputError`` (a ``ValueError``) naming the rule the text breaks."""
    from Bio import SeqIO  # Biopython is only needed when a file arrives

    megabytes = len(text.encode("utf-8", errors="replace")) / 1e6
    if megabytes > MAX_MEGABYTES:
        raise GenomicsInputError("too_big", size=round(megabytes, 2), limit=MAX_MEGABYTES)
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith(_COMMENT)]
    if not lines:
        raise GenomicsInputError("empty")
    if not lines[0].startswith(">") or len(lines[0]) < 2:
        raise GenomicsInputError("not_fasta")
    records: list[tuple[str, str]] = []
    seen: set[str] = set()
    for record in SeqIO.parse(io.StringIO("\n".join(lines)), "fasta"):  # type: ignore[no-untyped-call]
        name = record.id
        if not name:
            raise GenomicsInputError("not_fasta")
        if len(records) >= MAX_SEQUENCES:
            raise GenomicsInputError("too_many", count=f">{MAX_SEQUENCES}", limit=MAX_SEQUENCES)
        if name in seen:
            raise GenomicsInputError("duplicate_name", name=name)
        seen.add(name)
        records.append((name, _clean(name, str(record.seq))))
    if not records:
        raise GenomicsInputError("not_fasta")
    return records


def _clean(name: str, raw: str) -> str:
    sequence = raw.upper().replace("U", "T")
    if not sequence:
        raise GenomicsInputError("empty_sequence", name=name)
    bad = sorted(set(sequence) - set("ACGT") - AMBIGUOUS)
    if bad:
        raise GenomicsInputError("bad_letters", name=name, letters=", ".join(bad[:8]))
    if len(sequence) < MIN_LENGTH:
        raise GenomicsInputError("too_short", name=name, length=len(sequence), limit=MIN_LENGTH)
    if len(sequence) > MAX_LENGTH:
        raise GenomicsInputError("too_long", name=name, length=len(sequence), limit=MAX_LENGTH)
    return "".join("N" if base in AMBIGUOUS else base for base in sequence)


@dataclass(frozen=True)
class Annotations:
    """Per-sequence labels (0/1) and any numeric clinical columns, in FASTA order."""

    labels: npt.NDArray[np.int64]
    clinical: pd.DataFrame


def read_labels_csv(data: bytes, names: Sequence[str]) -> Annotations:
    """A CSV with an ``id`` column matching the FASTA names, a 0/1 ``label`` column and any other
    numeric columns as clinical variables (non-numeric ones are one-hot encoded)."""
    try:
        frame = pd.read_csv(io.BytesIO(data), dtype=str)  # ids like 001 must stay text
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise GenomicsInputError("labels_unreadable", detail=type(exc).__name__) from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    if "id" not in frame.columns:
        raise GenomicsInputError("labels_no_id")
    if "label" not in frame.columns:
        raise GenomicsInputError("labels_no_label")
    frame["id"] = frame["id"].astype(str).str.strip()
    frame = frame.drop_duplicates("id").set_index("id")
    missing = [n for n in names if n not in frame.index]
    if missing:
        raise GenomicsInputError("labels_missing", count=len(missing), name=missing[0])
    frame = frame.loc[list(names)]
    values = set(frame["label"].str.strip())
    if not values <= {"0", "1"}:
        shown = ", ".join(sorted(map(str, values - {"0", "1"}))[:5])
        raise GenomicsInputError("labels_bad_values", values=shown)
    if len(values) < 2:
        raise GenomicsInputError("one_class")
    frame = frame.reset_index(drop=True)
    labels = np.asarray(frame["label"].astype(int), dtype=np.int64)
    return Annotations(labels, _clinical(frame))


def _clinical(frame: pd.DataFrame) -> pd.DataFrame:
    """Numeric columns as numbers, anything else one-hot; an empty frame when there are none."""
    columns = {}
    for name in frame.columns.drop("label"):
        numbers = pd.to_numeric(frame[name], errors="coerce")
        if numbers.notna().all():
            columns[name] = numbers.astype(float)
        else:
            dummies = pd.get_dummies(frame[name].fillna("missing"), prefix=name, dtype=float)
            columns.update({str(c): dummies[c] for c in dummies.columns})
    return pd.DataFrame(columns, index=range(len(frame)))
