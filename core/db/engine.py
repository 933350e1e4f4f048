"""Engines with the pragmas that make SQLite safe for a classroom (WAL, FULL sync, FKs)."""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from core.config import load_settings

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=30000",
)

_engines: dict[str, Engine] = {}
_lock = threading.Lock()
_write_locks: dict[str, threading.Lock] = {}


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control away from pysqlite so BEGIN is emitted exactly when we say.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        for pragma in SQLITE_PRAGMAS:
            cur.execute(pragma)
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the lock up front: a deferred read that later writes can fail with
        # SQLITE_BUSY_SNAPSHOT under concurrency instead of waiting on busy_timeout.
        immediate = conn.get_execution_options().get("zerde_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def get_engine(url: str | None = None) -> Engine:
    """One engine per database URL for the whole process (engines are thread-safe pools)."""
    url = url or load_settings().database_url
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _engines[url] = make_engine(url)
        return engine


def reset_engines() -> None:
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


def write_lock(engine: Engine) -> AbstractContextManager[object]:
    """Serialise this process's SQLite writers on a plain lock.

    SQLite admits one writer; threads that find it busy sleep in the busy handler with growing
    back-off, and with 8 concurrent writers the unlucky ones waited 1.5 s for one event
    (benchmarks/telemetry_ingest.py). A queue on a lock keeps the worst wait at a few
    transactions. busy_timeout still covers other processes sharing the file; PostgreSQL has real
    row-level concurrency and needs none of this.
    """
    if engine.dialect.name != "sqlite":
        return nullcontext()
    key = str(engine.url)
    with _lock:
        return _write_locks.setdefault(key, threading.Lock())
