"""Jobs that measure the job system itself (tests, ``benchmarks/classroom.py``, an
administrator checking that workers run): they do known work and report as trainings do."""

from __future__ import annotations

import os
import time

from core.jobs.context import JobContext


def count(ctx: JobContext, steps: int, pause_s: float = 0.0) -> dict[str, float]:
    """Report ``steps`` updates, pausing between them; returns how far it got, where and when
    it started."""
    started, done = time.time(), 0
    for done in range(1, steps + 1):
        if pause_s:
            time.sleep(pause_s)
        if not ctx.report(done / steps, done):
            break
    return {"steps": done, "pid": os.getpid(), "started": started}


def burn(ctx: JobContext, seconds: float) -> dict[str, float]:
    """Pure-Python CPU work for ``seconds`` (it holds the GIL as SB3's loops do), reporting
    every 0.1 s; returns the loop count, so a slowed run shows as fewer loops per second."""
    started = time.perf_counter()
    loops, next_report = 0, 0.1
    while (elapsed := time.perf_counter() - started) < seconds:
        sum(i * i for i in range(2_000))
        loops += 1
        if elapsed >= next_report:
            next_report += 0.1
            ctx.check()
            ctx.report(elapsed / seconds)
    return {"loops": float(loops), "seconds": time.perf_counter() - started}


def fail(ctx: JobContext, message: str) -> None:
    ctx.report(0.5, "half")
    raise RuntimeError(message)


def crash(ctx: JobContext) -> None:
    """Kills its own worker process, as an out-of-memory kill would."""
    ctx.report(0.1, "before")
    time.sleep(1.5)  # let the progress reach the store
    os._exit(3)
