"""Job contexts for testing job functions as a worker runs them: one already stopped, one
whose Stop is pressed after a number of reports, and a round trip through the job store's
pickling."""

from __future__ import annotations

import threading
from typing import Any

import cloudpickle

from core.jobs.context import JobContext


class StopAfter(JobContext):
    """A context whose learner presses Stop right after the ``reports``-th report."""

    def __init__(self, reports: int) -> None:
        self.event = threading.Event()
        super().__init__(self.event)
        self.left = reports
        self.reports = 0

    def report(self, progress: float, update: Any = None) -> bool:
        self.reports += 1
        self.left -= 1
        if self.left <= 0:
            self.event.set()
        return super().report(progress, update)


def stopped() -> JobContext:
    """Stop was pressed before the job started."""
    stop = threading.Event()
    stop.set()
    return JobContext(stop=stop)


def through_the_store(value: object) -> object:
    """What a page gets back: results and updates are cloudpickled by the worker."""
    return cloudpickle.loads(cloudpickle.dumps(value))
