"""Shipped photos of people, fetched once from the session's vision worker (tests/conftest.py)."""

from __future__ import annotations

import numpy as np
import pytest

from core.vision.client import WorkerClient


@pytest.fixture(scope="session")
def photos(worker: WorkerClient) -> dict[str, np.ndarray]:
    names = ("bus", "zidane", "astronaut", "grace_hopper")
    return {name: worker.call("photo", name=name).arrays[0] for name in names}
