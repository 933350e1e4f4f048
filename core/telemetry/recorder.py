"""The one door events go through. `record()` returns only after the row is durably committed."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, Engine, insert, select

from core.accounts.actor import Actor
from core.accounts.errors import AccountError, PermissionDenied
from core.db.engine import get_engine, write_lock
from core.db.models import Event as EventRow
from core.db.models import User
from core.telemetry.schema import Event

_INSERT = insert(EventRow)


class Recorder:
    """Core-level inserts (no ORM unit of work): the hot path of every click in every lab."""

    def __init__(self, engine: Engine | None = None) -> None:
        base = engine or get_engine()
        self._engine = base.execution_options(zerde_write=True)
        self._lock = write_lock(base)

    @staticmethod
    def _check(actor: Actor, event: Event) -> None:
        if event.user_id != actor.user_id:
            raise PermissionDenied("record_for_other_user")
        if event.classroom_id is not None and event.classroom_id != actor.classroom_id:
            raise PermissionDenied("record_for_other_classroom")

    @staticmethod
    def _require_active(conn: Connection, actor: Actor) -> None:
        """Defence in depth behind the pages' sign-in checks: an Actor object can outlive its
        account's enabled state (an open fragment, a job callback, a stale session), so the
        write itself refuses, in the same transaction, a student a teacher has disabled."""
        disabled = conn.scalar(select(User.is_disabled).where(User.id == actor.user_id))
        if disabled:
            raise AccountError("errors.account_disabled")

    def record(self, actor: Actor, event: Event) -> int:
        self._check(actor, event)
        with self._lock, self._engine.begin() as conn:
            self._require_active(conn, actor)
            key = conn.execute(_INSERT, event.to_row()).inserted_primary_key
            assert key is not None
            return int(key[0])

    def record_many(self, actor: Actor, events: Iterable[Event]) -> int:
        """One transaction for a batch (imports, simulations, offline queues)."""
        rows = []
        for event in events:
            self._check(actor, event)
            rows.append(event.to_row())
        if not rows:
            return 0
        with self._lock, self._engine.begin() as conn:
            self._require_active(conn, actor)
            conn.execute(_INSERT, rows)
        return len(rows)


def record(actor: Actor, event: Event, engine: Engine | None = None) -> int:
    return Recorder(engine).record(actor, event)
