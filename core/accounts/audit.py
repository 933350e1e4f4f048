"""Audit log: destructive or privileged acts by teachers leave a trace that survives the data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Engine, select
from sqlalchemy.orm import Session

from core.accounts.actor import Actor
from core.accounts.errors import PermissionDenied
from core.db.models import AuditLog, Classroom, User
from core.db.session import read_session


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    action: str
    target_user_id: int | None
    details: dict[str, Any]
    # Names resolved when read, for a trail a teacher can read ("Dana", "Class 7B") rather than
    # bare ids; None where the account or the class no longer exists (the trail outlives both).
    target_name: str | None = None
    classroom_name: str | None = None


# Sign-in events (core.accounts.service.login): read by the administrator (core.accounts.admin),
# kept out of a teacher's own trail, which they would otherwise flood.
SIGN_IN_ACTIONS = ("sign_in", "sign_in_failed", "sign_in_locked", "client_throttled")


def write_audit(
    s: Session, actor: Actor | None, action: str, target_user_id: int | None, **details: Any
) -> None:
    """Call inside the same transaction as the act, so there is never one without the other.
    ``actor`` is None for what nobody signed in did (a failed sign-in)."""
    s.add(
        AuditLog(
            at=datetime.now(UTC),
            actor_id=actor.user_id if actor is not None else None,
            action=action,
            target_user_id=target_user_id,
            details=details,
        )
    )


def audit_entries(actor: Actor, limit: int = 200, engine: Engine | None = None) -> list[AuditEntry]:
    """A teacher reads what they did; nobody reads someone else's trail through the UI."""
    if not actor.is_teacher:
        raise PermissionDenied("audit")
    with read_session(engine) as s:
        condition = (AuditLog.actor_id == actor.user_id) & AuditLog.action.not_in(SIGN_IN_ACTIONS)
        return read_entries(s, condition, limit)


def read_entries(s: Session, condition: ColumnElement[bool], limit: int) -> list[AuditEntry]:
    """Audit rows matching `condition`, newest first, with the names of the account and the
    class they touched resolved (None where those no longer exist). Callers check access."""
    rows = s.execute(
        select(AuditLog, User.display_name)
        .outerjoin(User, User.id == AuditLog.target_user_id)
        .where(condition)
        .order_by(AuditLog.id.desc())
        .limit(limit)
    ).all()
    room_ids = {r.details.get("classroom_id") for r, _ in rows} - {None}
    rooms: dict[Any, str] = dict(
        s.execute(select(Classroom.id, Classroom.name).where(Classroom.id.in_(room_ids))).all()
    )
    return [
        AuditEntry(
            r.at,
            r.action,
            r.target_user_id,
            r.details,
            target_name=name,
            classroom_name=rooms.get(r.details.get("classroom_id")),
        )
        for r, name in rows
    ]
