"""The job store: one row per job in the application database (SQLite on a laptop, PostgreSQL
in a district), so every web process, every worker process and a page reloaded later see the
same job. Each function is one short transaction.

Progress, live updates and results are pickled (cloudpickle, which also takes lambdas): they
are written only by our own workers from the job functions in ``core``, never from user input.
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass
from typing import Any

import cloudpickle
from sqlalchemy import Engine, and_, delete, func, or_, select, update
from sqlalchemy.orm import Session, defer

from core.db.models import Job
from core.db.session import read_session, write_session
from core.jobs.model import ACTIVE, LONG, LOST, JobSnapshot

# A running job's worker writes a heartbeat every second; after this long without one, the
# job is reported as failed ("its worker stopped") instead of running forever.
LOST_AFTER_S = 60.0
HOST = socket.gethostname()


@dataclass(frozen=True)
class Queued:
    """A job that may start now: the engine gets its id and priority."""

    id: str
    priority: int


def dumps(value: Any) -> bytes:
    return bytes(cloudpickle.dumps(value))


def loads(blob: bytes | None) -> Any:
    return None if blob is None else cloudpickle.loads(blob)


def worker_name() -> str:
    return f"{HOST}:{os.getpid()}"


def _worker_gone(worker: str | None) -> bool:
    """A worker on this machine whose process no longer exists (killed, crashed)."""
    if not worker or ":" not in worker:
        return False
    host, _, pid = worker.rpartition(":")
    if host != HOST or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


# ----------------------------------------------------------------------------------- creating
def create(
    *,
    job_id: str,
    owner_id: int | None,
    slot: str,
    label: str,
    fn: str,
    args: bytes,
    meta: bytes | None,
    priority: int,
    session: str | None,
    per_owner: int,
) -> Queued | None:
    """Insert a job, replacing the owner's job in the same slot: an unfinished one is stopped,
    finished ones are deleted (their results with them). A long job is queued at once unless
    the owner already has ``per_owner`` long jobs queued or running; then it is held until one
    ends (short jobs are never held). Returns the job to enqueue, or None when it was held."""
    now = time.time()
    with write_session() as s:
        if owner_id is not None:
            same_slot = and_(Job.owner_id == owner_id, Job.slot == slot)
            _stop_where(s, same_slot, now)
            s.execute(delete(Job).where(same_slot, Job.status.in_(("done", "failed", "stopped"))))
        held = priority == LONG and owner_id is not None and _busy(s, owner_id) >= per_owner
        status = "held" if held else "queued"
        s.add(
            Job(
                id=job_id,
                owner_id=owner_id,
                slot=slot,
                label=label[:80],
                fn=fn,
                args=args,
                meta=meta,
                priority=priority,
                status=status,
                progress=0.0,
                version=0,
                stop_requested=False,
                session=session,
                created_at=now,
            )
        )
    return Queued(job_id, priority) if status == "queued" else None


def _stop_where(s: Session, where: Any, now: float) -> None:
    """Waiting jobs stop at once; running ones get the flag their worker polls."""
    s.execute(
        update(Job)
        .where(where, Job.status.in_(("held", "queued")))
        .values(status="stopped", ended_at=now)
    )
    s.execute(update(Job).where(where, Job.status == "running").values(stop_requested=True))


# ----------------------------------------------------------------------------------- the worker
def claim(job_id: str, engine: Engine | None = None) -> tuple[str, bytes] | None:
    """Mark a queued job running in this process; returns (function, arguments) or None when
    it was stopped (or taken) meanwhile."""
    now = time.time()
    with write_session(engine) as s:
        taken = s.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == "queued", Job.stop_requested.is_(False))
            .values(status="running", started_at=now, heartbeat_at=now, worker=worker_name())
            .returning(Job.id)
        ).first()
        if taken is None:
            return None
        row = s.execute(select(Job.fn, Job.args).where(Job.id == job_id)).one()
        return str(row.fn), bytes(row.args)


def flush(
    job_id: str, state: tuple[int, float, list[Any]] | None, engine: Engine | None = None
) -> bool:
    """The worker's heartbeat, with new progress when there is some. Returns whether the job
    should stop: Stop was pressed, or the job is gone (its learner's data was deleted)."""
    values: dict[str, Any] = {"heartbeat_at": time.time()}
    if state is not None:
        version, progress, updates = state
        values.update(version=version, progress=progress, updates=dumps(updates))
    with write_session(engine) as s:
        s.execute(update(Job).where(Job.id == job_id, Job.status == "running").values(**values))
        stop = s.scalar(select(Job.stop_requested).where(Job.id == job_id))
        return stop is None or bool(stop)


def finish(
    job_id: str,
    status: str,
    *,
    state: tuple[int, float, list[Any]] | None = None,
    result: bytes | None = None,
    error: str | None = None,
    per_owner: int,
    engine: Engine | None = None,
) -> list[Queued]:
    """Record how a job ended; returns the owner's held job that may start now (if any)."""
    values: dict[str, Any] = {"status": status, "ended_at": time.time(), "result": result}
    if error is not None:
        values["error"] = error[:500]
    if state is not None:
        version, progress, updates = state
        values.update(version=version + 1, progress=progress, updates=dumps(updates))
    if status == "done":
        values["progress"] = 1.0
    with write_session(engine) as s:
        s.execute(update(Job).where(Job.id == job_id, Job.status == "running").values(**values))
        owner = s.scalar(select(Job.owner_id).where(Job.id == job_id))
        return _release(s, owner, per_owner)


def _busy(s: Session, owner_id: int) -> int:
    """The owner's long jobs that hold or wait for a worker."""
    where = and_(
        Job.owner_id == owner_id, Job.priority == LONG, Job.status.in_(("queued", "running"))
    )
    return int(s.scalar(select(func.count()).select_from(Job).where(where)) or 0)


def _release(s: Session, owner_id: int | None, per_owner: int) -> list[Queued]:
    if owner_id is None:
        return []
    busy = _busy(s, owner_id)
    held = s.execute(
        select(Job.id, Job.priority)
        .where(Job.owner_id == owner_id, Job.status == "held")
        .order_by(Job.created_at, Job.id)
        .limit(max(per_owner - busy, 0))
    ).all()
    for row in held:
        s.execute(update(Job).where(Job.id == row.id).values(status="queued"))
    return [Queued(str(r.id), int(r.priority)) for r in held]


# ----------------------------------------------------------------------------------- the page
def request_stop(job_id: str, owner_id: int | None) -> None:
    with write_session() as s:
        _stop_where(s, and_(Job.id == job_id, _owned(owner_id)), time.time())


def stop_all() -> int:
    """Stop every unfinished job (an administrator's maintenance; tests between databases)."""
    with write_session() as s:
        where = Job.status.in_(tuple(ACTIVE))
        count = s.scalar(select(func.count()).select_from(Job).where(where)) or 0
        _stop_where(s, where, time.time())
        return int(count)


def running() -> int:
    with read_session() as s:
        return int(s.scalar(select(func.count()).where(Job.status == "running")) or 0)


def stop_session(session: str) -> int:
    """Stop every unfinished job a (closed) browser session started and nobody took over."""
    with write_session() as s:
        where = and_(Job.session == session, Job.status.in_(tuple(ACTIVE)))
        count = s.scalar(select(func.count()).select_from(Job).where(where)) or 0
        _stop_where(s, where, time.time())
        return int(count)


def adopt(job_id: str, session: str) -> None:
    """A new browser session (a reload, a second tab) now shows this job."""
    with write_session() as s:
        s.execute(update(Job).where(Job.id == job_id).values(session=session))


def fail_lost(per_owner: int) -> list[Queued]:
    """Running jobs whose worker is gone become failed; their owners' held jobs may start."""
    now = time.time()
    with write_session() as s:
        running = s.execute(
            select(Job.id, Job.owner_id, Job.worker, Job.heartbeat_at).where(
                Job.status == "running"
            )
        ).all()
        lost = [
            r
            for r in running
            if _worker_gone(r.worker) or (r.heartbeat_at or 0.0) < now - LOST_AFTER_S
        ]
        released: list[Queued] = []
        for r in lost:
            s.execute(
                update(Job)
                .where(Job.id == r.id, Job.status == "running")
                .values(status="failed", error=LOST, ended_at=now)
            )
            released += _release(s, r.owner_id, per_owner)
        return released


def _queue_position(s: Session, row: Job) -> int:
    if row.status != "queued":
        return 0
    ahead = s.scalar(
        select(func.count())
        .select_from(Job)
        .where(
            Job.status == "queued",
            or_(
                Job.priority > row.priority,
                and_(
                    Job.priority == row.priority,
                    or_(
                        Job.created_at < row.created_at,
                        and_(Job.created_at == row.created_at, Job.id < row.id),
                    ),
                ),
            ),
        )
    )
    return int(ahead or 0) + 1


def _snapshot(s: Session, row: Job, with_result: bool) -> JobSnapshot:
    now = time.time()
    start = row.started_at
    end = row.ended_at or now
    return JobSnapshot(
        id=row.id,
        slot=row.slot,
        label=row.label,
        status=row.status,  # type: ignore[arg-type]
        progress=float(row.progress),
        updates=tuple(loads(row.updates) or ()),
        queue_position=_queue_position(s, row),
        error=row.error,
        elapsed_s=0.0 if start is None else max(end - start, 0.0),
        waited_s=max((start or end) - row.created_at, 0.0),
        meta=loads(row.meta),
        version=int(row.version),
        result=loads(row.result) if with_result else None,
    )


def _columns(with_result: bool) -> list[Any]:
    return [defer(Job.args)] if with_result else [defer(Job.args), defer(Job.result)]


def _owned(owner_id: int | None) -> Any:
    return Job.owner_id.is_(None) if owner_id is None else Job.owner_id == owner_id


def _looks_lost(row: Job) -> bool:
    return row.status == "running" and (
        _worker_gone(row.worker) or (row.heartbeat_at or 0.0) < time.time() - LOST_AFTER_S
    )


def _read(where: Any, with_result: bool, per_owner: int) -> tuple[JobSnapshot | None, list[Queued]]:
    query = (
        select(Job)
        .options(*_columns(with_result))
        .where(where)
        .order_by(Job.created_at.desc(), Job.id.desc())
        .limit(1)
    )
    with read_session() as s:
        row = s.scalar(query)
        if row is None or not _looks_lost(row):
            return (None if row is None else _snapshot(s, row, with_result)), []
    released = fail_lost(per_owner)
    with read_session() as s:
        row = s.scalar(query)
        return (None if row is None else _snapshot(s, row, with_result)), released


def read(
    job_id: str, owner_id: int | None, *, with_result: bool = False, per_owner: int = 1
) -> tuple[JobSnapshot | None, list[Queued]]:
    """One job of this owner. A running job whose worker is gone is failed on the way (and
    the owner's held job that may now start is returned for the engine)."""
    return _read(and_(Job.id == job_id, _owned(owner_id)), with_result, per_owner)


def latest(
    owner_id: int, slot: str, *, with_result: bool = False, per_owner: int = 1
) -> tuple[JobSnapshot | None, list[Queued]]:
    """The owner's newest job in ``slot`` (a lesson's training), whichever tab started it."""
    return _read(and_(_owned(owner_id), Job.slot == slot), with_result, per_owner)


def queued() -> list[Queued]:
    with read_session() as s:
        rows = s.execute(
            select(Job.id, Job.priority).where(Job.status == "queued").order_by(Job.created_at)
        ).all()
        return [Queued(str(r.id), int(r.priority)) for r in rows]


def counts() -> dict[str, int]:
    """Jobs per status, for the benchmark and the administrator."""
    with read_session() as s:
        rows = s.execute(select(Job.status, func.count()).group_by(Job.status)).all()
        return {str(status): int(n) for status, n in rows}
