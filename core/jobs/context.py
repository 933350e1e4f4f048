"""The job's side of a background job: report progress and live updates, and notice a Stop.

A job function lives in ``core`` and looks like ``def train(ctx: JobContext, **args) -> Result``.
It may run in another process (or machine) than the page that started it, so everything it
reports is data (small picklable values), and a Stop arrives as a flag the context polls.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

MAX_UPDATES = 5000

# The callback every live training and long run accepts: ``report(progress 0..1, update)``
# returns False to stop. ``JobContext.report`` has exactly this shape, so a job passes it in.
Progress = Callable[[float, Any], bool]


def silent(progress: float, update: Any = None) -> bool:
    return True


class JobStopped(Exception):
    """Raised inside a job by ``JobContext.check()`` to unwind once Stop was pressed."""


class JobContext:
    """Collects what the job reports; the worker flushes it to the job store a few times a
    second and sets ``stop`` when the learner pressed Stop. Reporting is a memory write only,
    so a training loop may call it on every step."""

    def __init__(self, stop: threading.Event | None = None) -> None:
        self._lock = threading.Lock()
        self._stop = stop or threading.Event()
        self._progress = 0.0
        self._updates: list[Any] = []
        self._version = 0

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    def report(self, progress: float, update: Any = None) -> bool:
        """Record progress (0..1) and optionally one live update (e.g. an epoch's loss).
        Returns False once Stop was pressed, so it can serve directly as an ``on_progress``
        callback that stops a training loop."""
        with self._lock:
            self._progress = min(max(float(progress), 0.0), 1.0)
            if update is not None and len(self._updates) < MAX_UPDATES:
                self._updates.append(update)
            self._version += 1
        return not self.stop_requested

    def check(self) -> None:
        if self.stop_requested:
            raise JobStopped

    def state(self) -> tuple[int, float, list[Any]]:
        """(version, progress, a copy of the updates): what the worker writes to the store."""
        with self._lock:
            return self._version, self._progress, list(self._updates)
