"""The engine that runs jobs: Huey, an existing task queue, whose consumer runs the job
functions in worker processes (``make run`` starts it with ZERDE_MAX_JOBS of them).

The same code serves a laptop and a district: ``ZERDE_JOB_QUEUE`` chooses Huey's storage —
``sqlite:///…`` (the default ``make run`` sets, a file beside the database), ``postgresql://…``
(the district's database, woken by LISTEN/NOTIFY) or ``redis://…``. Huey only carries the job's
id, at the job's priority; the request, progress and result live in the job store
(``core.jobs.store``), which every web process and worker share. Why Huey and not Celery, Dask
or Ray is in docs/jobs.md.

Without ZERDE_JOB_QUEUE, or with ``inline`` (unit tests, AppTest, a bare ``streamlit run``),
jobs run on a small thread pool inside the calling process: same store, same worker code, no
consumer to start.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import Any, Protocol

from huey import Huey, MemoryHuey, PostgresHuey, PriorityRedisHuey, SqliteHuey

from core.jobs.limits import max_jobs
from core.jobs.store import Queued

QUEUE_ENV = "ZERDE_JOB_QUEUE"
NAME = "zerde-jobs"
log = logging.getLogger(__name__)


def queue_url() -> str:
    """Huey's storage, or "" for threads in this process (unset, or ``inline``)."""
    url = os.environ.get(QUEUE_ENV, "").strip()
    return "" if url == "inline" else url


def make_huey(url: str) -> Huey:
    """Huey on the storage the URL names. Results are not stored by Huey (the job store keeps
    them), so its storage only ever holds small messages."""
    if url.startswith("sqlite:///"):
        return SqliteHuey(NAME, filename=url.removeprefix("sqlite:///"), results=False)
    if url.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        return PostgresHuey(NAME, dsn=url.replace("+psycopg", "", 1), results=False)
    if url.startswith(("redis://", "rediss://")):
        return PriorityRedisHuey(NAME, url=url, results=False)
    if url == "memory:":
        return MemoryHuey(NAME, results=False)
    raise ValueError(f"{QUEUE_ENV} must be sqlite:///…, postgresql://… or redis://…, got {url!r}")


def _run_job(job_id: str) -> None:
    from core.jobs.worker import execute

    execute(job_id)


def _task(on: Huey) -> Any:
    """The one task: run a job of the store by its id (registered under the same name on
    every Huey instance, so producers and consumers agree)."""
    return on.task(name="run_job")(_run_job)


# The consumer's entry: `huey_consumer core.jobs.engine.huey -k process -w N`.
_IMPORTED_URL = queue_url() or "memory:"
huey = make_huey(_IMPORTED_URL)
run_job = _task(huey)


class Engine(Protocol):
    def enqueue(self, job: Queued) -> None: ...


class HueyEngine:
    def __init__(self, url: str) -> None:
        self.huey = huey if url == _IMPORTED_URL else make_huey(url)
        self._task = run_job if self.huey is huey else _task(self.huey)

    def enqueue(self, job: Queued) -> None:
        self._task(job.id, priority=job.priority)


class InlineEngine:
    """Worker threads in this process (no priorities): for tests and a bare streamlit run."""

    def __init__(self, workers: int) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="job")

    def enqueue(self, job: Queued) -> None:
        from core.jobs.worker import execute

        self._pool.submit(execute, job.id)


@lru_cache(maxsize=1)
def current() -> Engine:
    if queue_url():
        return HueyEngine(queue_url())
    log.info("%s is not set: jobs run on threads of this process", QUEUE_ENV)
    return InlineEngine(max_jobs())


def enqueue_all(jobs: list[Queued]) -> None:
    for job in jobs:
        current().enqueue(job)
