"""Audit log: destructive or privileged acts by teachers leave a trace that survives the data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.accounts.actor import Actor
from core.accounts.errors import PermissionDenied
from core.db.models import AuditLog
from core.db.session import read_session


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    action: str
    target_user_id: int | None
    details: dict[str, Any]


def write_audit(
    s: Session, actor: Actor, action: str, target_user_id: int | None, **details: Any
) -> None:
    """Call inside the same transaction as the act, so there is never one without the other."""
    s.add(
        AuditLog(
            at=datetime.now(UTC),
            actor_id=actor.user_id,
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
        rows = s.scalars(
            select(AuditLog)
            .where(AuditLog.actor_id == actor.user_id)
            .order_by(AuditLog.id.desc())
            .limit(limit)
        )
        return [AuditEntry(r.at, r.action, r.target_user_id, r.details) for r in rows]
