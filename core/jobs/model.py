"""What a page sees of a job, and the job's lifecycle."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

# held: waits until the same learner's other job ends (one running job per learner);
# queued: waits for a free worker; running; then one of the finished states.
JobStatus = Literal["held", "queued", "running", "done", "failed", "stopped"]
WAITING: frozenset[str] = frozenset({"held", "queued"})
ACTIVE: frozenset[str] = frozenset({"held", "queued", "running"})
FINISHED: frozenset[str] = frozenset({"done", "failed", "stopped"})

# Priorities: a quick fit does not wait behind a four-minute training. Only long jobs count
# towards (and wait for) a learner's limit; a short one never waits for the learner's own
# training, so an automatic step of a page is not stuck behind a CNN.
SHORT, LONG = 1, 0

# Error codes a page translates (jobs.error.<code>); anything else is "the job failed".
LOST = "lost"  # its worker stopped answering (killed, crashed, machine gone)
TOO_BIG = "too_big"  # the result did not fit the store's limit


@dataclass(frozen=True)
class JobSnapshot:
    """A consistent copy of one job, read from the job store."""

    id: str
    slot: str
    label: str
    status: JobStatus
    progress: float
    updates: tuple[Any, ...]
    queue_position: int  # 1 = next to start; 0 when not queued
    error: str | None
    elapsed_s: float  # running time so far (or in total), queue wait excluded
    waited_s: float  # time in the queue before it started (or so far)
    meta: Any  # what the page stored with the job (e.g. the settings it ran with)
    version: int  # grows with every flush of progress; equal versions mean nothing changed
    result: Any = None  # only in a snapshot read with the result of a finished job

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def waiting(self) -> bool:
        return self.status in WAITING
