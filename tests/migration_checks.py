"""Shared assertions for migrations on any backend (SQLite unit tests, PostgreSQL integration)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from core.db import make_engine, upgrade_to_head
from core.db.migrate import downgrade_to_base
from core.db.models import Base

TABLES = {"users", "classrooms", "enrolments", "login_sessions", "events", "audit_log"}


def schema_diff(url: str) -> list[object]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return list(compare_metadata(MigrationContext.configure(conn), Base.metadata))
    finally:
        engine.dispose()


def tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def check_up_down_up(url: str) -> None:
    """Empty → head matches the models exactly; down to base removes all; up again works."""
    upgrade_to_head(url)
    assert tables(url) >= TABLES
    assert schema_diff(url) == []
    upgrade_to_head(url)  # idempotent
    downgrade_to_base(url)
    assert not (TABLES & tables(url))
    upgrade_to_head(url)
    assert tables(url) >= TABLES
