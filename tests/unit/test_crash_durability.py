"""A writer killed with SIGKILL mid-stream loses no event it has acknowledged.

`Recorder.record()` promises that the row is durably committed when it returns. A child process
records events one by one and prints each returned id only after `record()` returned; the test
kills it without warning while it is writing, then reopens the SQLite file (WAL recovery) and
checks that every acknowledged id is there and that the database is intact.
"""

from __future__ import annotations

import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

import pytest
from sqlalchemy.engine import make_url

from core.db import reset_engines
from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]
# Kill at a varying point, so a writer that acknowledges before its commit (e.g. a buffer
# flushed every N events) cannot pass by luck of the kill landing on a flush.
MIN_ACKS_BEFORE_KILL = 300
DEADLINE_S = 60.0

WRITER = """
import sys
from datetime import UTC, datetime, timedelta

from core.accounts import Actor, Role
from core.db import get_engine
from core.telemetry import Event, Recorder

url, user_id, classroom_id, username, limit = sys.argv[1:6]
actor = Actor(int(user_id), Role.STUDENT, username, username, "en", int(classroom_id))
recorder = Recorder(get_engine(url))
print("ready", flush=True)
for i in range(int(limit)):
    shown = datetime.now(UTC)
    event = Event(
        user_id=actor.user_id,
        classroom_id=actor.classroom_id,
        activity="crash_test",
        item_id=f"q{i}",
        skill="platform.onboarding",
        shown_at=shown,
        answered_at=shown + timedelta(milliseconds=5),
        correct=i % 2 == 0,
        error_type=None if i % 2 == 0 else "misread",
        payload={"i": i},
    )
    event_id = recorder.record(actor, event)
    # Acknowledge only after record() returned: this id is promised to be on disk.
    sys.stdout.write(f"{event_id}\\n")
    sys.stdout.flush()
"""


def _pump(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    """Reader thread: forward the child's stdout line by line; None marks the end of the stream."""
    try:
        for line in stream:
            lines.put(line.strip())
    finally:
        lines.put(None)


def _drain(lines: queue.Queue[str | None]) -> list[int]:
    ids = []
    while True:
        try:
            line = lines.get_nowait()
        except queue.Empty:
            return ids
        if line not in (None, "ready"):
            ids.append(int(line))


def _write_until_killed(args: list[str], env: dict[str, str], stderr_path: Path) -> list[int]:
    """Start the writer, SIGKILL it once it has acknowledged enough events; all acked ids."""
    kill_after = random.randrange(MIN_ACKS_BEFORE_KILL, MIN_ACKS_BEFORE_KILL + 100)
    acked: list[int] = []
    lines: queue.Queue[str | None] = queue.Queue()
    with stderr_path.open("w") as stderr:
        child = subprocess.Popen(
            [sys.executable, *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
        assert child.stdout is not None
        reader = threading.Thread(target=_pump, args=(child.stdout, lines), daemon=True)
        try:
            reader.start()
            deadline = time.monotonic() + DEADLINE_S
            while len(acked) < kill_after:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    pytest.fail(f"only {len(acked)} acknowledgements in {DEADLINE_S:.0f} s")
                try:
                    line = lines.get(timeout=remaining)
                except queue.Empty:
                    continue
                if line is None:
                    pytest.fail(f"writer ended early: {stderr_path.read_text()[-2000:]}")
                if line != "ready":
                    acked.append(int(line))
            assert child.poll() is None, "the writer must still be writing when it is killed"
            child.send_signal(signal.SIGKILL)
            assert child.wait(timeout=10) == -signal.SIGKILL
        finally:
            if child.poll() is None:
                child.kill()
                child.wait(timeout=10)
            reader.join(timeout=10)
            child.stdout.close()
    # Lines already in the pipe when the kill landed were acknowledged too.
    return acked + _drain(lines)


def test_acknowledged_events_survive_sigkill(db_url: str, tmp_path: Path) -> None:
    room = f.classroom(f.teacher())
    student = f.student(room, "bolat")
    assert student.classroom_id is not None
    reset_engines()  # the parent keeps no connection open while the child writes

    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    env = dict(os.environ)
    env["ZERDE_DATABASE_URL"] = db_url
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    args = [
        str(script),
        db_url,
        str(student.user_id),
        str(student.classroom_id),
        student.username,
        "1000000",  # a bound in case the kill never comes
    ]
    acked = _write_until_killed(args, env, tmp_path / "writer.stderr")

    assert len(acked) >= MIN_ACKS_BEFORE_KILL
    assert acked == sorted(set(acked)), "ids are unique and increasing"
    database = Path(str(make_url(db_url).database))
    # The writer never closed its connection: recovery has to come from the WAL it left behind.
    assert database.with_name(database.name + "-wal").exists()

    conn = sqlite3.connect(database)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        stored = {row[0] for row in conn.execute("SELECT id FROM events")}
        (n_written,) = conn.execute(
            "SELECT count(*) FROM events WHERE activity = 'crash_test'"
        ).fetchone()
    finally:
        conn.close()

    missing = sorted(set(acked) - stored)
    assert not missing, f"{len(missing)} acknowledged events lost, e.g. {missing[:5]}"
    # At most one event was committed but not yet acknowledged when the kill landed.
    assert len(acked) <= n_written <= len(acked) + 1
