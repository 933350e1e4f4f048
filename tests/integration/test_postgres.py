"""The same migrations and role checks against the PostgreSQL server (CI has one on 5432)."""

from __future__ import annotations

import pytest

from core.accounts import PermissionDenied
from core.db import upgrade_to_head
from core.telemetry import Recorder, load_events
from tests import factories as f
from tests.migration_checks import check_up_down_up

pytestmark = pytest.mark.postgres


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
