"""Long work (a training, a sweep, a t-SNE) runs off the web process, so pages keep answering
while it runs, show live progress and can stop it.

The one job API every page uses:

* ``submit(fn, args, owner_id=…, slot=…)`` — ``fn`` is a module-level function in ``core`` taking
  a ``JobContext`` and keyword arguments; starting a job in a slot (one per lesson) replaces the
  learner's previous job there;
* ``latest(owner, slot)`` / ``snapshot(id, owner)`` — status, queue position, live updates,
  and (``with_result=True``) the result, from the shared job store: a reloaded page or another
  web process sees the same job;
* ``stop(id, owner)`` — a waiting job never starts; a running one stops at its next report.

Jobs run in worker processes of an existing task queue (``core.jobs.engine``: Huey), at most
ZERDE_MAX_JOBS at once; short jobs go before long ones, and one learner has at most
ZERDE_JOBS_PER_LEARNER long jobs queued or running (more are held), so a class shares the
workers fairly. See docs/jobs.md.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from core.jobs import store
from core.jobs.context import MAX_UPDATES, JobContext, JobStopped, Progress, silent
from core.jobs.engine import current, enqueue_all
from core.jobs.limits import max_jobs, per_learner
from core.jobs.model import ACTIVE, FINISHED, LONG, LOST, SHORT, TOO_BIG, JobSnapshot, JobStatus
from core.jobs.worker import function_path

__all__ = [
    "ACTIVE",
    "FINISHED",
    "LOST",
    "MAX_UPDATES",
    "TOO_BIG",
    "JobContext",
    "JobSnapshot",
    "JobStatus",
    "JobStopped",
    "Progress",
    "adopt",
    "latest",
    "max_jobs",
    "recover",
    "silent",
    "snapshot",
    "stop",
    "stop_session",
    "submit",
    "wait",
]


def submit(
    fn: Callable[..., Any],
    args: Mapping[str, Any],
    *,
    owner_id: int | None,
    slot: str,
    label: str | None = None,
    short: bool = False,
    meta: Any = None,
    session: str | None = None,
) -> str:
    """Queue ``fn(ctx, **args)``; returns the job's id. ``meta`` is kept with the job for the
    page (e.g. the settings it ran with); ``session`` is the browser session that watches it."""
    job_id = uuid.uuid4().hex
    queued = store.create(
        job_id=job_id,
        owner_id=owner_id,
        slot=slot,
        label=label or slot,
        fn=function_path(fn),
        args=store.dumps(dict(args)),
        meta=None if meta is None else store.dumps(meta),
        priority=SHORT if short else LONG,
        session=session,
        per_owner=per_learner(),
    )
    if queued is not None:
        current().enqueue(queued)
    return job_id


def snapshot(job_id: str, owner_id: int | None, *, with_result: bool = False) -> JobSnapshot | None:
    snap, released = store.read(job_id, owner_id, with_result=with_result, per_owner=per_learner())
    enqueue_all(released)
    return snap


def latest(owner_id: int, slot: str, *, with_result: bool = False) -> JobSnapshot | None:
    snap, released = store.latest(owner_id, slot, with_result=with_result, per_owner=per_learner())
    enqueue_all(released)
    return snap


def stop(job_id: str, owner_id: int | None) -> None:
    store.request_stop(job_id, owner_id)


def stop_session(session: str) -> int:
    """A browser session closed for good: its unfinished jobs stop (unless another session of
    the same learner took them over, e.g. after a reload)."""
    return store.stop_session(session)


def adopt(job_id: str, session: str) -> None:
    store.adopt(job_id, session)


def wait(job_id: str, owner_id: int | None, timeout: float) -> JobSnapshot | None:
    """Block until the job has finished (for scripts and tests; pages poll instead)."""
    deadline = time.monotonic() + timeout
    while True:
        snap = snapshot(job_id, owner_id)
        if snap is None or snap.finished or time.monotonic() > deadline:
            return snapshot(job_id, owner_id, with_result=True) if snap else None
        time.sleep(0.05)


def recover() -> tuple[int, int]:
    """At server start: jobs whose worker is gone have failed; queued ones go to the engine
    again (a claim admits each once). Returns (held jobs released, jobs requeued)."""
    failed = store.fail_lost(per_learner())
    queued = store.queued()
    enqueue_all(queued)
    return len(failed), len(queued)
