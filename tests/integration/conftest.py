"""Fixtures for the tests that need the machine's PostgreSQL server (CI has one on 5432)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from core.db import reset_engines

ADMIN_URL = os.environ.get(
    "ZERDE_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _reachable() -> str | None:
    try:
        engine = create_engine(ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001 - any driver/connection error means "no server"
        return f"{type(exc).__name__}: {exc}".splitlines()[0]


@pytest.fixture
def pg_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A throw-away database per test, so tests never see each other's rows."""
    reason = _reachable()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL must be reachable in CI at {ADMIN_URL}: {reason}")
        pytest.skip(f"no PostgreSQL at {ADMIN_URL}: {reason}")
    name = f"zerde_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    monkeypatch.setenv("ZERDE_DATABASE_URL", url)
    reset_engines()
    try:
        yield url
    finally:
        reset_engines()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
