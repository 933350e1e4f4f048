from collections.abc import Iterator

import pytest
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]


@pytest.fixture(autouse=True)
def _one_thread() -> Iterator[None]:
    """scikit-learn references in the tests run single-threaded too, like core (core/ml/threads.py):
    spinning threads on a busy machine turn milliseconds into seconds."""
    with threadpool_limits(limits=1):
        yield
