"""Genomics explorer: a real ML pipeline on DNA that a learner can see and check, from FASTA to
explanations. Public entry points: ``read_fasta``, ``one_hot``, ``kmer_counts`` and ``top_kmers``;
the generators in ``generators`` plant known motifs and mutations so explanations can be checked.
Heavy libraries (Biopython, XGBoost, SHAP, torch) load inside the functions that need them."""

from __future__ import annotations

from core.genomics.encoding import kmer_counts, one_hot
from core.genomics.errors import GenomicsInputError
from core.genomics.explain import top_kmers
from core.genomics.fasta import read_fasta

__all__ = ["GenomicsInputError", "kmer_counts", "one_hot", "read_fasta", "top_kmers"]
