"""Item 20.12: the vision worker ends when the process that started it dies, even by SIGKILL
(an orphan kept ~1 GB of models for 45 minutes). Both launch paths: the app's WorkerClient
(watchdog) and supervisord's program (kernel parent-death signal + watchdog)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest

from core.vision.client import ROOT, WorkerConfig
from serve.configs import Plan, supervisord_conf

VISION_PYTHON = WorkerConfig().python


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _orphan_after_parent_killed(parent_code: str, python: str = sys.executable) -> int:
    """Run `parent_code` (which starts a child and prints its pid), SIGKILL that parent, and
    return the child's pid."""
    parent = subprocess.Popen(
        [python, "-c", textwrap.dedent(parent_code)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    assert _alive(child)
    time.sleep(0.3)  # the child is running normally while its parent lives
    assert _alive(child)
    parent.send_signal(signal.SIGKILL)
    parent.wait(5)
    return child


def _ends_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)  # do not leave it behind when the test fails
    return False


@pytest.mark.skipif(not VISION_PYTHON.exists(), reason="no .venv-vision")
def test_the_apps_worker_exits_when_the_app_is_killed() -> None:
    worker = _orphan_after_parent_killed(
        """
        import time
        from core.vision.client import WorkerClient, WorkerConfig

        client = WorkerClient(WorkerConfig())
        client._ensure_started()  # the real launch: READY once it listens
        print(client.pid, flush=True)
        time.sleep(60)
        """
    )
    assert _ends_within(worker, 3.0), "the vision worker outlived the app"


def test_a_worker_under_supervisord_gets_the_parent_death_signal() -> None:
    """supervisord's path: `--exit-with-parent signal`. The stand-in's watchdog polls every ten
    minutes, so only the kernel's signal can end it in time."""
    child = _orphan_after_parent_killed(
        """
        import subprocess, sys
        code = (
            "import time; from core.vision.worker.lifeline import exit_with_parent; "
            "exit_with_parent('signal', poll_s=600); print('up', flush=True); time.sleep(60)"
        )
        child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
        child.stdout.readline()
        print(child.pid, flush=True)
        child.wait()
        """
    )
    assert _ends_within(child, 2.0), "no parent-death signal reached the worker"


def test_the_watchdog_alone_ends_an_orphan() -> None:
    child = _orphan_after_parent_killed(
        """
        import subprocess, sys, threading
        code = (
            "import time; from core.vision.worker.lifeline import exit_with_parent; "
            "exit_with_parent('watch', poll_s=0.2); print('up', flush=True); time.sleep(60)"
        )
        child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
        child.stdout.readline()
        print(child.pid, flush=True)
        threading.Event().wait()  # a parent with several threads, like a Streamlit server
        """
    )
    assert _ends_within(child, 3.0), "the watchdog did not notice the parent's death"


def test_supervisord_starts_the_worker_with_the_parent_death_signal(tmp_path: Path) -> None:
    plan = Plan(
        root=ROOT,
        run_dir=tmp_path,
        python=Path(sys.executable),
        address="127.0.0.1",
        port=8501,
        web_ports=(8601,),
        job_workers=1,
        proxy=None,
        vision_python=VISION_PYTHON,
        vision_port=8765,
    )
    vision = next(
        line for line in supervisord_conf(plan).splitlines() if "core.vision.worker" in line
    )
    assert "--exit-with-parent signal" in vision
