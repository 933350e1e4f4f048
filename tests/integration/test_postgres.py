"""The same migrations and role checks against the PostgreSQL server (CI has one on 5432)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from core.accounts import PermissionDenied
from core.db import reset_engines, upgrade_to_head
from core.telemetry import Recorder, load_events
from tests import factories as f
from tests.migration_checks import check_up_down_up

ADMIN_URL = os.environ.get(
    "ZERDE_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)

pytestmark = pytest.mark.postgres


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


def test_postgres_migrations_from_empty(pg_url: str) -> None:
    check_up_down_up(pg_url)


def test_postgres_roles_and_recording(pg_url: str) -> None:
    upgrade_to_head(pg_url)
    first = f.teacher()
    second = f.teacher("dana_t", first=False, by=first)
    mine, theirs = f.classroom(first, "9A"), f.classroom(second, "10B")
    bolat, erlan = f.student(mine, "bolat"), f.student(theirs, "erlan")
    assert Recorder().record_many(bolat, [f.event(bolat, item_id=f"q{i}") for i in range(50)])
    Recorder().record(erlan, f.event(erlan))
    assert len(load_events(bolat)) == 50
    assert set(load_events(first)["user_id"]) == {bolat.user_id}
    with pytest.raises(PermissionDenied):
        load_events(bolat, [erlan.user_id])
    with pytest.raises(PermissionDenied):
        load_events(first, classroom_id=theirs.id)
