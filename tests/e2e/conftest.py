"""End-to-end fixtures: the real stack (`python -m serve`, as `make run`) on a free loopback
port, and Debian's Chromium.

The stack gets a fresh data directory and SQLite database (migrated at start), so every module
sees a first-run installation. The browser is Debian's /usr/bin/chromium driven by
the Python Playwright package; browsers are never downloaded (`playwright install` is not used).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_TIMEOUT = 60.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    # The server runs in its own process group (start_new_session): stop exactly that group.
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


@pytest.fixture(scope="module")
def chromium_path() -> Path:
    """Skip (locally) or fail (CI) when Debian's Chromium is not installed."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} not found: install Debian's chromium (apt) to run the e2e tests"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Emptied once per run, so the screenshots there are all from this run."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    return ARTIFACTS


@pytest.fixture(scope="module")
def zerde_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The server's data directory; a test may seed its SQLite database through core."""
    return tmp_path_factory.mktemp("zerde_e2e")


@contextmanager
def running_server(data_dir: Path, *, port: int | None = None) -> Iterator[str]:
    """The stack `make run` starts (`python -m serve`: HAProxy, two Streamlit processes, the
    job workers, the vision worker) on a free port over `data_dir`; stopped (and its log checked
    for tracebacks) on exit. A test may start a second one over the same directory and port:
    a restart."""
    port = port or _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "ZERDE_DATA_DIR": str(data_dir),
        "ZERDE_DATABASE_URL": f"sqlite:///{data_dir / 'zerde.db'}",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("ZERDE_DEFAULT_LANGUAGE", None)
    env.pop("ZERDE_JOB_QUEUE", None)
    command = [sys.executable, "-m", "serve", "--port", str(port), "--web", "2", "--jobs", "2"]
    log_path = data_dir / f"server-{port}-{time.monotonic_ns()}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT
            while not _healthy(url):
                if process.poll() is not None:
                    pytest.fail(
                        f"the stack exited with {process.returncode}:\n{log_path.read_text()}"
                    )
                if time.monotonic() > deadline:
                    pytest.fail(f"the stack was not healthy after {SERVER_START_TIMEOUT}s")
                time.sleep(0.25)
            yield url
        finally:
            _stop(process)
    server_log = log_path.read_text(errors="replace")
    # Surface server-side tracebacks: the browser only shows a short error box.
    assert "Traceback" not in server_log, server_log


@pytest.fixture(scope="module")
def zerde_server(zerde_data_dir: Path) -> Iterator[str]:
    """A server with a fresh data dir for the module; yields its base URL."""
    with running_server(zerde_data_dir) as url:
        yield url


@pytest.fixture(scope="module")
def browser(chromium_path: Path) -> Iterator[Browser]:
    """Debian's Chromium with the flags that keep it off the network (see STACK_NOTES.md)."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(chromium_path), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()
