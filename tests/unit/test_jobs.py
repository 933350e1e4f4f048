import threading

import pytest

from core.jobs import JobContext, JobRunner, JobStopped, max_jobs_from_env


def _counting(steps: int, gate: threading.Event | None = None):
    def run(ctx: JobContext) -> int:
        if gate is not None:
            gate.wait(5)
        for i in range(steps):
            if not ctx.report((i + 1) / steps, i):
                return i
        return steps

    return run


def test_a_job_reports_progress_and_its_result() -> None:
    job = JobRunner(2).submit(_counting(5), owner="u1", label="count")
    assert job.wait(5)
    snap = job.snapshot()
    assert (snap.status, snap.result, snap.progress) == ("done", 5, 1.0)
    assert snap.updates == (0, 1, 2, 3, 4)
    assert snap.finished and snap.queue_position == 0


def test_stop_ends_a_running_job_and_keeps_partial_updates() -> None:
    started, release = threading.Event(), threading.Event()

    def run(ctx: JobContext) -> str:
        ctx.report(0.1, "first")
        started.set()
        release.wait(5)
        ctx.check()
        return "never"

    job = JobRunner(1).submit(run, owner="u1", label="stoppable")
    assert started.wait(5)
    job.stop()
    release.set()
    assert job.wait(5)
    snap = job.snapshot()
    assert snap.status == "stopped" and snap.updates == ("first",) and snap.result is None


def test_the_runner_caps_concurrency_and_reports_queue_positions() -> None:
    runner = JobRunner(1)
    gate = threading.Event()
    first = runner.submit(_counting(1, gate), owner="a", label="first")
    second = runner.submit(_counting(1), owner="b", label="second")
    third = runner.submit(_counting(1), owner="c", label="third")
    for _ in range(100):
        if first.status == "running":
            break
        threading.Event().wait(0.01)
    assert first.status == "running" and runner.running == 1
    assert (second.snapshot().queue_position, third.snapshot().queue_position) == (1, 2)
    second.stop()  # leaves the queue without ever running
    assert second.wait(5) and second.status == "stopped"
    assert third.snapshot().queue_position == 1
    gate.set()
    assert third.wait(5) and third.status == "done"
    assert runner.running == 0 and runner.queued == 0


def test_a_failing_job_is_reported_not_raised() -> None:
    def boom(ctx: JobContext) -> None:
        raise RuntimeError("bad parameters")

    job = JobRunner(1).submit(boom, owner="u", label="boom")
    assert job.wait(5)
    snap = job.snapshot()
    assert snap.status == "failed" and snap.error == "RuntimeError: bad parameters"


def test_job_stopped_exception_is_a_clean_stop() -> None:
    def run(ctx: JobContext) -> None:
        raise JobStopped

    job = JobRunner(1).submit(run, owner="u", label="x")
    assert job.wait(5) and job.status == "stopped"


def test_max_jobs_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZERDE_MAX_JOBS", "3")
    assert max_jobs_from_env() == 3
    monkeypatch.setenv("ZERDE_MAX_JOBS", "0")
    with pytest.raises(ValueError, match="at least 1"):
        max_jobs_from_env()
    monkeypatch.delenv("ZERDE_MAX_JOBS")
    assert max_jobs_from_env() >= 1
    with pytest.raises(ValueError):
        JobRunner(0)
