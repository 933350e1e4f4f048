"""Shared fixtures: a fresh migrated database per test, and a guard against any network use."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from core.db import get_engine, reset_engines, upgrade_to_head

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
external_attempts: list[Any] = []


def _is_local(address: Any) -> bool:
    if not isinstance(address, tuple):
        return True  # unix sockets
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded(real: Any) -> Any:
    def connect(self: socket.socket, address: Any) -> Any:
        if not _is_local(address):
            external_attempts.append(address)
            raise ConnectionRefusedError(f"test guard: no network access to {address!r}")
        return real(self, address)

    return connect


@pytest.fixture(autouse=True)
def no_external_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test asserts that nothing in the process tried to reach a non-loopback host."""
    external_attempts.clear()
    monkeypatch.setattr(socket.socket, "connect", _guarded(_real_connect))
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded(_real_connect_ex))
    yield
    assert not external_attempts, f"external network access attempted: {external_attempts}"


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'zerde.db'}"
    monkeypatch.setenv("ZERDE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ZERDE_DATABASE_URL", url)
    reset_engines()
    upgrade_to_head(url)
    yield url
    _stop_jobs()
    reset_engines()


def _stop_jobs(timeout: float = 30.0) -> None:
    """Jobs a test left running (a page that starts a step by itself, a training nobody waited
    for) stop before the next test, instead of holding the in-process workers."""
    import time

    from sqlalchemy.exc import OperationalError

    from core.jobs import store

    try:
        if not store.stop_all():
            return
        deadline = time.monotonic() + timeout
        while store.running() and time.monotonic() < deadline:
            time.sleep(0.05)
    except OperationalError:  # the test dropped the schema (migration tests)
        return


@pytest.fixture
def engine(db_url: str) -> Engine:
    return get_engine(db_url)


@pytest.fixture
def engine_url_pragmas(db_url: str) -> dict[str, object]:
    from sqlalchemy import text

    engine = get_engine(db_url)
    with engine.connect() as conn:
        return {
            name: conn.execute(text(f"PRAGMA {name}")).scalar()
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }


@pytest.fixture(scope="session")
def worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One vision worker for the whole session (it takes seconds to start and load models), in
    test mode: it refuses and records any non-loopback connection, and it accepts the ``_crash``
    and ``_hog`` requests that prove the app survives a dying worker. It becomes the shared
    client that ``core.vision`` and the pages use."""
    from core.vision import client as vision_client
    from core.vision.client import WorkerClient, WorkerConfig

    config = WorkerConfig(
        models_dir=tmp_path_factory.mktemp("models"),
        home=tmp_path_factory.mktemp("vision-home"),
        test_hooks=True,
        max_rss_mb=4000,
    )
    client = WorkerClient(config)
    old = vision_client.use(client)
    yield client
    attempts = client.call("_attempts").header["attempts"]
    client.close()
    vision_client.use(old)
    assert attempts == [], f"the vision worker tried to reach the network: {attempts}"
