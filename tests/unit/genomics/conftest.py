"""Generated datasets shared across the genomics tests: generating tumour(2000) and counting its
k-mers costs about half a second, too much to repeat in every test that needs it."""

from __future__ import annotations

import numpy as np
import pytest

from core.genomics.classify import Split, split
from core.genomics.encoding import kmer_counts
from core.genomics.generators import Dataset, tumour

Floats = np.ndarray


@pytest.fixture(scope="session")
def tumour_data() -> Dataset:
    return tumour(n=2000, length=200, seed=0)


@pytest.fixture(scope="session")
def tumour_split(tumour_data: Dataset) -> Split:
    assert tumour_data.labels is not None
    return split(tumour_data.labels)


@pytest.fixture(scope="session")
def tumour_kmers(tumour_data: Dataset) -> Floats:
    return kmer_counts(list(tumour_data.seqs), 4)[0]
