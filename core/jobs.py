"""Long work (training a network, sweeping a curve) runs off the script thread, so the page keeps
answering while it runs, can show live progress and can stop it.

One runner per server caps how many heavy jobs run at once (a classroom laptop has 2–8 cores and
thirty students may press "Train" in the same minute); the rest wait in a first-come queue and the
page shows each learner their place in it. Jobs are threads in the server process: scikit-learn and
torch release the GIL in their numeric kernels, and a thread can hand live updates to the page
without pickling.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Generic, Literal, TypeVar

T = TypeVar("T")
JobStatus = Literal["queued", "running", "done", "failed", "stopped"]
FINISHED: frozenset[str] = frozenset({"done", "failed", "stopped"})
MAX_UPDATES = 5000

log = logging.getLogger(__name__)


# The callback every live training and long run accepts: ``report(progress 0..1, update)``
# returns False to stop. ``JobContext.report`` has exactly this shape, so a job passes it in.
Progress = Callable[[float, Any], bool]


def silent(progress: float, update: Any = None) -> bool:
    return True


class JobStopped(Exception):
    """Raised inside a job by ``JobContext.check()`` to unwind once Stop was pressed."""


@dataclass(frozen=True)
class JobSnapshot:
    """What the page renders: a consistent copy, never the live lists the worker appends to."""

    id: str
    label: str
    status: JobStatus
    progress: float
    updates: tuple[Any, ...]
    queue_position: int  # 0 when running or finished, 1 = next to start
    result: Any
    error: str | None
    elapsed_s: float

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


class Job(Generic[T]):
    def __init__(self, runner: JobRunner, fn: Callable[[JobContext], T], owner: str, label: str):
        self.id = uuid.uuid4().hex
        self.owner = owner
        self.label = label
        self._runner = runner
        self._fn = fn
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._done = threading.Event()
        self._status: JobStatus = "queued"
        self._progress = 0.0
        self._updates: list[Any] = []
        self._result: T | None = None
        self._error: str | None = None
        self._started: float | None = None
        self._ended: float | None = None

    def stop(self) -> None:
        """Ask the job to stop; a queued job never starts. Partial results are kept."""
        self._stop.set()
        self._runner._cancel_queued(self)

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)

    @property
    def status(self) -> JobStatus:
        return self._status

    def snapshot(self) -> JobSnapshot:
        position = self._runner.queue_position(self)  # taken outside our lock (lock order)
        with self._lock:
            now = self._ended or time.monotonic()
            return JobSnapshot(
                id=self.id,
                label=self.label,
                status=self._status,
                progress=self._progress,
                updates=tuple(self._updates),
                queue_position=position,
                result=self._result,
                error=self._error,
                elapsed_s=0.0 if self._started is None else now - self._started,
            )

    def _run(self) -> None:
        with self._lock:
            self._status = "running"
            self._started = time.monotonic()
        context = JobContext(self)
        try:
            result = self._fn(context)
        except JobStopped:
            self._finish("stopped")
        except Exception as exc:  # a failed job must not kill the server; the page shows it
            log.exception("job %s (%s) failed", self.id, self.label)
            self._finish("failed", error=f"{type(exc).__name__}: {exc}")
        else:
            self._finish("stopped" if self._stop.is_set() else "done", result=result)

    def _finish(self, status: JobStatus, result: T | None = None, error: str | None = None) -> None:
        with self._lock:
            self._status = status
            self._result = result
            self._error = error
            self._ended = time.monotonic()
            if status == "done":
                self._progress = 1.0
        self._done.set()


class JobContext:
    """The job's side: report progress and live updates, and notice a Stop."""

    def __init__(self, job: Job[Any]):
        self._job = job

    @property
    def stop_requested(self) -> bool:
        return self._job._stop.is_set()

    def report(self, progress: float, update: Any = None) -> bool:
        """Record progress (0..1) and optionally one live update (e.g. an epoch's loss).
        Returns False once Stop was pressed, so it can serve directly as an ``on_progress``
        callback that stops a training loop."""
        with self._job._lock:
            self._job._progress = min(max(progress, 0.0), 1.0)
            if update is not None and len(self._job._updates) < MAX_UPDATES:
                self._job._updates.append(update)
        return not self.stop_requested

    def check(self) -> None:
        if self.stop_requested:
            raise JobStopped


class JobRunner:
    def __init__(self, max_concurrent: int):
        if max_concurrent < 1:
            raise ValueError("max_concurrent must be at least 1")
        self.max_concurrent = max_concurrent
        self._cond = threading.Condition()
        self._waiting: deque[Job[Any]] = deque()
        self._running: set[str] = set()

    def submit(self, fn: Callable[[JobContext], T], *, owner: str, label: str) -> Job[T]:
        job = Job(self, fn, owner, label)
        with self._cond:
            self._waiting.append(job)
        threading.Thread(target=self._worker, args=(job,), name=f"job-{label}", daemon=True).start()
        return job

    def _worker(self, job: Job[Any]) -> None:
        with self._cond:
            while job in self._waiting and not (
                self._waiting[0] is job and len(self._running) < self.max_concurrent
            ):
                self._cond.wait()
            if job not in self._waiting:  # stopped while queued
                job._finish("stopped")
                return
            self._waiting.popleft()
            self._running.add(job.id)
            self._cond.notify_all()
        try:
            job._run()
        finally:
            with self._cond:
                self._running.discard(job.id)
                self._cond.notify_all()

    def _cancel_queued(self, job: Job[Any]) -> None:
        with self._cond:
            if job in self._waiting:
                self._waiting.remove(job)
                self._cond.notify_all()

    def queue_position(self, job: Job[Any]) -> int:
        with self._cond:
            for position, waiting in enumerate(self._waiting, start=1):
                if waiting is job:
                    return position
        return 0

    @property
    def running(self) -> int:
        with self._cond:
            return len(self._running)

    @property
    def queued(self) -> int:
        with self._cond:
            return len(self._waiting)


def max_jobs_from_env() -> int:
    raw = os.environ.get("ZERDE_MAX_JOBS", "").strip()
    if not raw:
        return os.cpu_count() or 1
    value = int(raw)
    if value < 1:
        raise ValueError("ZERDE_MAX_JOBS must be at least 1")
    return value


@lru_cache(maxsize=1)
def job_runner() -> JobRunner:
    """The server-wide runner (user-independent, so one per process is right)."""
    return JobRunner(max_jobs_from_env())
