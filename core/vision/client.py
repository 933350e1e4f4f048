"""The app's side of the vision worker: starts it on first use (one per server, shared by every
learner), talks to it over a local socket, and survives its crashes.

If the worker dies or outgrows its memory limit, the request that hit it raises ``VisionError``
(the page shows the translated message), a fresh worker is started, and the next request works.
``ZERDE_VISION_WORKER=tcp://host:port`` points the app at a worker on another machine instead."""

from __future__ import annotations

import atexit
import os
import secrets
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np
import numpy.typing as npt

from core.vision.errors import VisionError
from core.vision.protocol import Message, ProtocolError, receive, send

ROOT = Path(__file__).resolve().parents[2]
READY = "ZERDE-VISION-WORKER READY"
START_SECONDS = 90.0


@dataclass(frozen=True)
class WorkerConfig:
    remote: tuple[str, int] | None = None
    python: Path = ROOT / ".venv-vision" / "bin" / "python"
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    models_dir: Path = ROOT / "models"
    home: Path = ROOT / "data" / "vision"
    max_rss_mb: float = 6000.0
    cores: int | None = None  # pin the worker to this many cores (the benchmark uses 1)
    test_hooks: bool = False
    timeout_s: float = 120.0

    @classmethod
    def from_env(cls) -> WorkerConfig:
        env = os.environ
        remote = None
        if env.get("ZERDE_VISION_WORKER"):
            url = urlparse(env["ZERDE_VISION_WORKER"])
            if url.scheme != "tcp" or not url.hostname or not url.port:
                raise ValueError("ZERDE_VISION_WORKER must look like tcp://host:port")
            remote = (url.hostname, url.port)
        data = Path(env.get("ZERDE_DATA_DIR", ROOT / "data")).resolve()
        return cls(
            remote=remote,
            python=Path(env.get("ZERDE_VISION_PYTHON", str(cls.python))),
            token=env.get("ZERDE_VISION_TOKEN") or secrets.token_hex(16),
            models_dir=Path(env.get("ZERDE_MODELS_DIR", str(cls.models_dir))).resolve(),
            home=data / "vision",
            max_rss_mb=float(env.get("ZERDE_VISION_MAX_RSS_MB", cls.max_rss_mb)),
        )


def worker_command(config: WorkerConfig, parent_pid: int | None = None) -> list[str]:
    """The local worker's command line. It watches this process (``--exit-with-parent watch``):
    killed with SIGKILL, the app cannot stop it, and an orphan kept ~1 GB of models. Not the
    kernel's parent-death signal: that fires when the *thread* that started the worker ends,
    and here that is a Streamlit script thread, which ends with its browser session."""
    return [
        str(config.python), "-m", "core.vision.worker", "--port", "0",
        "--models-dir", str(config.models_dir), "--home", str(config.home),
        "--max-rss-mb", str(config.max_rss_mb),
        "--exit-with-parent", "watch", "--parent-pid", str(parent_pid or os.getpid()),
    ]  # fmt: skip


class WorkerClient:
    def __init__(self, config: WorkerConfig) -> None:
        self.config = config
        self.restarts = 0
        self._process: subprocess.Popen[str] | None = None
        self._address: tuple[str, int] | None = config.remote
        self._generation = 0
        self._lock = threading.Lock()
        self._local = threading.local()

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    def call(
        self,
        op: str,
        arrays: list[npt.NDArray[Any]] | None = None,
        timeout: float | None = None,
        **params: Any,
    ) -> Message:
        """Send one request; raises VisionError with a code the page translates."""
        sock = self._socket()
        try:
            sock.settimeout(timeout or self.config.timeout_s)
            send(sock, Message({"op": op, "params": params}, list(arrays or [])))
            reply = receive(sock)
        except TimeoutError as exc:
            self._drop_socket()
            raise VisionError("timeout", seconds=timeout or self.config.timeout_s) from exc
        except (ProtocolError, ConnectionError, OSError) as exc:
            self._drop_socket()
            raise self._after_failure(exc) from exc
        header = reply.header
        if header.get("exiting") == "memory":
            self._drop_socket()
            self._wait_and_restart()
            raise VisionError("memory", rss_mb=header["rss_mb"], limit_mb=self.config.max_rss_mb)
        if "error" in header:
            code = str(header.pop("error"))
            raise VisionError(code, **header)
        return reply

    def close(self) -> None:
        with self._lock:
            if self._process is not None and self._process.poll() is None:
                self._process.kill()
                self._process.wait(10)
            self._process = None
            self._generation += 1

    def _socket(self) -> socket.socket:
        local = self._local
        if getattr(local, "generation", None) == self._generation and local.sock is not None:
            return local.sock  # type: ignore[no-any-return]
        address = self._ensure_started()
        try:
            sock = socket.create_connection(address, timeout=10)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            send(sock, Message({"op": "hello", "token": self.config.token}))
            hello = receive(sock)
        except (ProtocolError, OSError) as exc:
            raise self._after_failure(exc) from exc
        if "error" in hello.header:
            sock.close()
            raise VisionError("unauthorised")
        local.sock, local.generation = sock, self._generation
        return sock

    def _drop_socket(self) -> None:
        sock = getattr(self._local, "sock", None)
        if sock is not None:
            sock.close()
        self._local.sock = None

    def _ensure_started(self) -> tuple[str, int]:
        with self._lock:
            if self.config.remote is not None:
                return self.config.remote
            if self._process is None or self._process.poll() is not None:
                self._start()
            assert self._address is not None
            return self._address

    def _start(self) -> None:
        if not self.config.python.exists():
            raise VisionError("unavailable", path=str(self.config.python.parent.parent))
        env = {
            **os.environ,
            "ZERDE_VISION_TOKEN": self.config.token,
            "PYTHONPATH": str(ROOT),
            "OMP_NUM_THREADS": "1",
        }
        if self.config.test_hooks:
            env["ZERDE_VISION_TEST_HOOKS"] = "1"
        command = worker_command(self.config)
        cores = self.config.cores
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL if "pytest" not in sys.modules else None,
            text=True,
        )
        if cores:  # before the worker starts its threads, which inherit the main thread's set
            os.sched_setaffinity(process.pid, set(range(cores)))
        line = _read_ready(process)
        if line is None:
            process.kill()
            raise VisionError("start_failed", detail=f"exit code {process.poll()}")
        fields = dict(part.split("=", 1) for part in line.split()[2:] if "=" in part)
        self._process = process
        self._address = (fields["host"], int(fields["port"]))
        self._generation += 1

    def _after_failure(self, exc: BaseException) -> VisionError:
        if self.config.remote is not None:
            host, port = self.config.remote
            return VisionError("unreachable", address=f"{host}:{port}", detail=str(exc))
        process = self._process
        exit_code = None if process is None else process.poll()
        if process is not None and exit_code is None:
            try:
                exit_code = process.wait(2)
            except subprocess.TimeoutExpired:
                return VisionError("failed", detail=str(exc))
        self._restart()
        return VisionError("crashed", exit_code=exit_code)

    def _wait_and_restart(self) -> None:
        if self.config.remote is not None:
            return  # a worker this client did not start is restarted by its own supervisor
        if self._process is not None:
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
        self._restart()

    def _restart(self) -> None:
        """Requests in flight when the worker dies all fail and all come here; only the first
        starts a worker, or the others would each start one and leave it running unreferenced."""
        with self._lock:
            if self._process is not None and self._process.poll() is None:
                return
            self.restarts += 1
            self._start()


def _read_ready(process: subprocess.Popen[str]) -> str | None:
    """Wait for the worker's READY line (about a second), then keep draining its output so a
    chatty library can never fill the pipe and freeze the worker."""
    found: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if not ready.is_set() and line.startswith(READY):
                found.append(line.strip())
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    ready.wait(START_SECONDS)
    return found[0] if found else None


_SHARED: list[WorkerClient] = []  # at most one: the server's client
_SHARED_LOCK = threading.Lock()


def client() -> WorkerClient:
    """The server's one worker client (and so one worker process)."""
    with _SHARED_LOCK:
        if not _SHARED:
            _SHARED.append(WorkerClient(WorkerConfig.from_env()))
            atexit.register(_SHARED[0].close)
        return _SHARED[0]


def use(new: WorkerClient | None) -> WorkerClient | None:
    """Swap the shared client (tests point it at their own worker); returns the old one."""
    with _SHARED_LOCK:
        old = _SHARED.pop() if _SHARED else None
        if new is not None:
            _SHARED.append(new)
        return old


def as_image(image: npt.NDArray[Any]) -> npt.NDArray[np.uint8]:
    """RGB uint8, contiguous: what every worker operation expects."""
    array = np.asarray(image)
    if array.ndim == 2:
        array = np.repeat(array[:, :, None], 3, axis=2)
    if array.ndim != 3 or array.shape[2] not in (3, 4):
        raise ValueError(f"expected an RGB image, got shape {array.shape}")
    array = array[:, :, :3]
    if array.dtype != np.uint8:
        scale = 255.0 if array.dtype.kind == "f" and array.max() <= 1.0 else 1.0
        array = np.clip(array * scale, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(array)
