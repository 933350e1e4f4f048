"""Cached calls into core.genomics. A dataset is named by a hashable ``Source`` (generator
settings, or the uploaded files' bytes, plus the cleaning settings), so every step below is
recomputed only when the data or that step's own setting changes. The steps that take seconds
(clustering and its map, the k-mer models, the CNN, the autoencoder) run as jobs instead
(training.py), tied to the source by its ``fingerprint``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import streamlit as st

from app_pages.components.numbers import params
from app_pages.components.session import tr
from core.genomics import classify, explain, fasta, federated, multimodal
from core.genomics.encoding import kmer_counts, kmer_frequencies
from core.genomics.errors import GenomicsInputError
from core.genomics.generators import Dataset, promoters, tumour
from core.genomics.preprocess import PreprocessReport, PreprocessSettings, preprocess

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Source:
    kind: str  # promoters, tumour or upload
    n: int = 2000
    length: int = 200
    seed: int = 0
    fasta: bytes | None = None
    labels_csv: bytes | None = None
    settings: PreprocessSettings = field(default_factory=PreprocessSettings)


def fingerprint(source: Source) -> str:
    """A short name for a source's data and cleaning, kept with a job to tell whether its
    result is still for the data on screen: the uploaded bytes themselves stay out of the job
    store, which every poll of a job reads."""
    digest = hashlib.sha256(repr((source.kind, source.n, source.length, source.seed)).encode())
    digest.update(repr(source.settings).encode())
    for part in (source.fasta, source.labels_csv):
        digest.update(b"-" if part is None else len(part).to_bytes(8, "big"))
        digest.update(part or b"")
    return digest.hexdigest()[:24]


def _raw(source: Source) -> Dataset:
    if source.kind == "promoters":
        return promoters(source.n, source.length, source.seed)
    if source.kind == "tumour":
        return tumour(source.n, source.length, source.seed)
    text = (source.fasta or b"").decode("utf-8", errors="replace")
    records = fasta.read_fasta(text)
    names = [name for name, _ in records]
    labels, clinical = None, None
    if source.labels_csv is not None:
        notes = fasta.read_labels_csv(source.labels_csv, names)
        labels, clinical = notes.labels, (notes.clinical if notes.clinical.shape[1] else None)
    return Dataset(
        kind="upload",
        names=tuple(names),
        seqs=tuple(seq for _, seq in records),
        labels=labels,
        clinical=clinical,
    )


@st.cache_data(max_entries=16, show_spinner=False)
def prepared(source: Source) -> tuple[Dataset, PreprocessReport] | GenomicsInputError:
    try:
        return preprocess(_raw(source), source.settings)
    except GenomicsInputError as error:
        return error


def dataset(source: Source) -> Dataset:
    """The cleaned dataset of a source already known to be valid."""
    result = prepared(source)
    assert not isinstance(result, GenomicsInputError)
    return result[0]


@st.cache_data(max_entries=32, show_spinner=False)
def kmers(source: Source, k: int) -> tuple[Floats, list[str]]:
    return kmer_counts(list(dataset(source).seqs), k)


@st.cache_data(max_entries=32, show_spinner=False)
def frequencies(source: Source, k: int) -> Floats:
    return kmer_frequencies(list(dataset(source).seqs), k)[0]


@st.cache_data(max_entries=16, show_spinner=False)
def parts(source: Source) -> classify.Split:
    labels = dataset(source).labels
    assert labels is not None
    return classify.split(labels, seed=source.seed)


@st.cache_data(max_entries=16, show_spinner=False)
def shap_values(source: Source, k: int) -> explain.Explanation:
    """SHAP of the XGBoost model on the test sequences (exact and fast for boosted trees)."""
    labels = dataset(source).labels
    assert labels is not None
    x, names = kmers(source, k)
    return explain.explain_xgboost(x, labels, parts(source), names, source.seed)


@st.cache_data(max_entries=16, show_spinner=False)
def modalities(source: Source, k: int) -> multimodal.MultimodalResult:
    data = dataset(source)
    assert data.labels is not None and data.clinical is not None
    x, _ = kmers(source, k)
    clinical = data.clinical.to_numpy(dtype=np.float64)
    return multimodal.compare_modalities(x, clinical, data.labels, parts(source), source.seed)


@st.cache_data(max_entries=16, show_spinner=False)
def fedavg(source: Source, k: int, rounds: int) -> federated.FedResult:
    data = dataset(source)
    assert data.labels is not None and data.institution is not None
    split = parts(source)
    return federated.federated_vs_central(
        frequencies(source, k), data.labels, data.institution, split.train, split.test,
        bases_per_sequence=len(data.seqs[0]), settings=federated.FedSettings(rounds=rounds),
    )  # fmt: skip


def error_text(error: GenomicsInputError) -> str:
    return tr(f"gen.error.{error.code}", **params(error.values))


def class_names(data: Dataset) -> tuple[str, str]:
    """The two classes in the page's language ("class 0", "class 1" for an upload)."""
    if data.kind == "upload":
        return (tr("gen.class.upload", label=0), tr("gen.class.upload", label=1))
    return (tr(f"gen.class.{data.class_names[0]}"), tr(f"gen.class.{data.class_names[1]}"))
