"""Running one job inside a worker: claim it, call its function with a live context, flush
progress to the store a few times a second (the page polls the store, not the worker), and
record how it ended. A learner's held job starts when this one ends."""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from core.db import get_engine
from core.jobs import store
from core.jobs.context import JobContext, JobStopped
from core.jobs.engine import enqueue_all
from core.jobs.limits import max_result_bytes, per_learner
from core.jobs.model import TOO_BIG

FLUSH_S = 0.5  # new progress reaches the store at most this late
HEARTBEAT_S = 2.0  # an idle-looking job still proves its worker is alive this often
GIVE_UP_AFTER = 60  # failed flushes in a row (at least 30 s) before a job stops by itself
log = logging.getLogger(__name__)


def function_path(fn: Callable[..., Any]) -> str:
    """``module:name`` of a job function. Only module-level functions of ``core`` qualify: a
    worker imports them by name, and pages must not carry computation of their own."""
    module, name = getattr(fn, "__module__", ""), getattr(fn, "__qualname__", "")
    if not module.startswith("core.") or not name or "<" in name:
        raise ValueError(f"a job must be a module-level function in core, not {module}.{name}")
    return f"{module}:{name}"


def resolve(path: str) -> Callable[..., Any]:
    module, _, name = path.partition(":")
    if not module.startswith("core."):
        raise ValueError(f"not a job function: {path}")
    target: Any = importlib.import_module(module)
    for part in name.split("."):
        target = getattr(target, part)
    if not callable(target):
        raise TypeError(f"not a job function: {path}")
    return target  # type: ignore[no-any-return]


class _Flusher(threading.Thread):
    """Writes the context's progress to the store and brings Stop back from it."""

    def __init__(self, job_id: str, ctx: JobContext, stop: threading.Event, engine: Engine) -> None:
        super().__init__(name=f"job-flush-{job_id[:8]}", daemon=True)
        self.job_id, self.ctx, self.stop, self.engine = job_id, ctx, stop, engine
        self.done = threading.Event()
        self.written = 0
        self.failures = 0

    def run(self) -> None:
        idle = 0.0
        while not self.done.wait(FLUSH_S):
            version, _, _ = self.ctx.state()
            idle += FLUSH_S
            if version == self.written and idle < HEARTBEAT_S:
                continue
            idle = 0.0
            state = self.ctx.state() if version != self.written else None
            try:
                if store.flush(self.job_id, state, self.engine):
                    self.stop.set()
                self.failures = 0
            except Exception:  # a busy database must not kill the training; retry next round
                self.failures += 1
                log.warning("job %s: progress not written", self.job_id, exc_info=True)
                if self.failures >= GIVE_UP_AFTER:  # nobody can see or stop it any more
                    self.stop.set()
                continue
            if state is not None:
                self.written = state[0]

    def close(self) -> None:
        self.done.set()
        self.join(timeout=10)


def execute(job_id: str) -> None:
    # The database the job was claimed from, held for its whole run (settings are read once).
    engine = get_engine()
    claimed = store.claim(job_id, engine)
    if claimed is None:  # stopped while it waited, or already taken
        return
    fn_path, args_blob = claimed
    stop = threading.Event()
    ctx = JobContext(stop)
    flusher = _Flusher(job_id, ctx, stop, engine)
    flusher.start()
    status, result, error = "done", None, None
    try:
        value = resolve(fn_path)(ctx, **store.loads(args_blob))
        result = store.dumps(value)
        if len(result) > max_result_bytes():
            status, result, error = "failed", None, TOO_BIG
        elif stop.is_set():
            status = "stopped"  # what it learnt before the Stop is kept
    except JobStopped:
        status = "stopped"
    except Exception as exc:  # a failed job must not kill the worker; the page shows it
        log.exception("job %s (%s) failed", job_id, fn_path)
        status, error = "failed", f"{type(exc).__name__}: {exc}"
    finally:
        flusher.close()
        released = store.finish(
            job_id,
            status,
            state=ctx.state(),
            result=result,
            error=error,
            per_owner=per_learner(),
            engine=engine,
        )
        enqueue_all(released)
