"""Huey's consumer with worker processes on a throw-away queue, as `make run` starts it, for
benchmarks that submit jobs from their own process (as a web process does)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def job_workers(count: int, folder: Path) -> Iterator[None]:
    """Jobs submitted inside the block run in ``count`` worker processes of their own."""
    from core.jobs.engine import QUEUE_ENV, current

    os.environ[QUEUE_ENV] = f"sqlite:///{folder / 'job-queue.db'}"
    current.cache_clear()
    command = [
        str(Path(sys.executable).with_name("huey_consumer")), "core.jobs.engine.huey",
        "--worker-type", "process", "--workers", str(count), "--delay", "0.05",
        "--max-delay", "0.5", "--no-periodic", "--quiet",
    ]  # fmt: skip
    consumer = subprocess.Popen(
        command, cwd=ROOT, env=dict(os.environ), start_new_session=True, stderr=subprocess.DEVNULL
    )
    try:
        yield
    finally:
        os.killpg(consumer.pid, signal.SIGTERM)
        consumer.wait(30)
        os.environ.pop(QUEUE_ENV, None)
        current.cache_clear()
