"""How many jobs run at once, per learner, and how big a result may be (from the environment)."""

from __future__ import annotations

import os


def _positive(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    value = int(raw)
    if value < 1:
        raise ValueError(f"{name} must be at least 1")
    return value


def max_jobs() -> int:
    """Jobs running at once on this server: the number of job worker processes."""
    return _positive("ZERDE_MAX_JOBS", os.cpu_count() or 1)


def per_learner() -> int:
    """Jobs one learner may have queued or running; later ones are held until one ends, so a
    student pressing "compare three algorithms" does not fill every worker while others wait."""
    return _positive("ZERDE_JOBS_PER_LEARNER", 1)


def max_result_bytes() -> int:
    return _positive("ZERDE_JOB_RESULT_MB", 256) * 2**20


def poll_seconds() -> float:
    """How often a page watching a job asks the store for news (benchmarks/classroom.py
    measured 0.5 and 1 s; each poll is one fragment run of the watching session)."""
    raw = os.environ.get("ZERDE_JOB_POLL_S", "").strip()
    value = float(raw) if raw else 1.0
    if not 0.1 <= value <= 60:
        raise ValueError("ZERDE_JOB_POLL_S must be between 0.1 and 60 seconds")
    return value
