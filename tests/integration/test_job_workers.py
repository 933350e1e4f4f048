"""Jobs on the real engine: Huey's consumer with worker processes, as `make run` starts it, on
SQLite (the laptop) and on PostgreSQL (a district). Jobs run in other processes, short jobs go
before long ones, Stop reaches a running worker, and a worker killed mid-job is reported (and
replaced) instead of leaving the job "running" forever."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from core import jobs
from core.accounts import Actor
from core.db import reset_engines, upgrade_to_head
from core.jobs import probes
from core.jobs.engine import current as current_engine
from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Stack:
    a: Actor
    b: Actor
    c: Actor


def _consumer(env: dict[str, str], workers: int) -> subprocess.Popen[bytes]:
    command = [
        str(Path(sys.executable).with_name("huey_consumer")), "core.jobs.engine.huey",
        "--worker-type", "process", "--workers", str(workers), "--delay", "0.05",
        "--max-delay", "0.3", "--no-periodic", "--health-check-interval", "1", "--quiet",
    ]  # fmt: skip
    return subprocess.Popen(
        command, cwd=ROOT, env=env, start_new_session=True, stderr=subprocess.DEVNULL
    )


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def stack(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Stack]:
    if request.param == "sqlite":
        db_url, queue = f"sqlite:///{tmp_path / 'zerde.db'}", f"sqlite:///{tmp_path / 'q.db'}"
    else:
        db_url = queue = request.getfixturevalue("pg_url")
    monkeypatch.setenv("ZERDE_DATABASE_URL", db_url)
    monkeypatch.setenv("ZERDE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ZERDE_JOB_QUEUE", queue)
    reset_engines()
    upgrade_to_head(db_url)
    current_engine.cache_clear()
    teacher = f.teacher()
    room = f.classroom(teacher)
    people = Stack(f.student(room, "aru"), f.student(room, "bolat"), f.student(room, "dana"))
    consumer = _consumer({**os.environ}, workers=1)
    try:
        yield people
    finally:
        os.killpg(consumer.pid, signal.SIGTERM)
        consumer.wait(20)
        current_engine.cache_clear()
        reset_engines()


def _until(check, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def _status(job: str, who: Actor) -> str:
    snap = jobs.snapshot(job, who.user_id)
    assert snap is not None
    return snap.status


def test_jobs_run_in_worker_processes(stack: Stack) -> None:
    job = jobs.submit(probes.count, {"steps": 5}, owner_id=stack.a.user_id, slot="s")
    snap = jobs.wait(job, stack.a.user_id, 60)
    assert snap is not None and snap.status == "done", snap
    assert snap.result["steps"] == 5 and snap.updates == (1, 2, 3, 4, 5)
    assert snap.result["pid"] != os.getpid()


def test_short_jobs_go_before_long_ones(stack: Stack) -> None:
    busy = jobs.submit(probes.burn, {"seconds": 3.0}, owner_id=stack.a.user_id, slot="s")
    _until(lambda: _status(busy, stack.a) == "running")
    long = jobs.submit(probes.count, {"steps": 2}, owner_id=stack.b.user_id, slot="s")
    short = jobs.submit(probes.count, {"steps": 2}, owner_id=stack.c.user_id, slot="s", short=True)
    positions = {
        name: jobs.snapshot(job, who.user_id).queue_position  # type: ignore[union-attr]
        for name, job, who in (("long", long, stack.b), ("short", short, stack.c))
    }
    assert positions == {"short": 1, "long": 2}
    done = {
        name: jobs.wait(job, who.user_id, 60)
        for name, job, who in (("long", long, stack.b), ("short", short, stack.c))
    }
    assert done["short"].result["started"] < done["long"].result["started"]  # type: ignore[union-attr]


def test_stop_reaches_a_running_worker(stack: Stack) -> None:
    job = jobs.submit(
        probes.count, {"steps": 2000, "pause_s": 0.01}, owner_id=stack.a.user_id, slot="s"
    )
    _until(lambda: len(jobs.snapshot(job, stack.a.user_id).updates) >= 3)  # type: ignore[union-attr]
    pressed = time.monotonic()
    jobs.stop(job, stack.a.user_id)
    snap = jobs.wait(job, stack.a.user_id, 30)
    assert snap is not None and snap.status == "stopped"
    assert time.monotonic() - pressed < 3.0
    assert snap.result["steps"] < 2000


def test_a_killed_worker_is_reported_and_replaced(stack: Stack) -> None:
    dead = jobs.submit(probes.crash, {}, owner_id=stack.a.user_id, slot="s")
    _until(lambda: _status(dead, stack.a) == "failed", timeout=60)
    snap = jobs.snapshot(dead, stack.a.user_id)
    assert snap is not None and snap.error == jobs.LOST and snap.updates == ("before",)
    after = jobs.submit(probes.count, {"steps": 1}, owner_id=stack.a.user_id, slot="t")
    snap = jobs.wait(after, stack.a.user_id, 60)
    assert snap is not None and snap.status == "done"
