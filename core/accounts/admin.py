"""The administrator: the one teacher who manages teacher accounts and reads the sign-in trail.

The right is the ``users.is_admin`` flag (migration 0005), read from the database on every
call rather than carried in the Actor: a session that was signed in before a change cannot keep
rights it no longer has, and every "is a teacher" check elsewhere keeps working unchanged."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.accounts.actor import Actor
from core.accounts.audit import SIGN_IN_ACTIONS, AuditEntry, read_entries, write_audit
from core.accounts.classrooms import revoke_sessions
from core.accounts.errors import AccountError, PermissionDenied
from core.db.models import AuditLog, User
from core.db.session import read_session, write_session


@dataclass(frozen=True)
class TeacherView:
    user_id: int
    username: str
    display_name: str
    is_disabled: bool
    is_admin: bool


def _is_admin(s: Session, actor: Actor) -> bool:
    if not actor.is_teacher:
        return False
    row = s.execute(select(User.is_admin, User.is_disabled).where(User.id == actor.user_id)).first()
    return row is not None and bool(row.is_admin) and not row.is_disabled


def require_admin(s: Session, actor: Actor, what: str = "admin_only") -> None:
    """Refused in core, whatever the page shows."""
    if not _is_admin(s, actor):
        raise PermissionDenied(what)


def is_admin(actor: Actor, engine: Engine | None = None) -> bool:
    with read_session(engine) as s:
        return _is_admin(s, actor)


def list_teachers(actor: Actor, engine: Engine | None = None) -> list[TeacherView]:
    with read_session(engine) as s:
        require_admin(s, actor)
        users = s.scalars(select(User).where(User.role == "teacher").order_by(User.id))
        return [
            TeacherView(u.id, u.username, u.display_name, u.is_disabled, u.is_admin) for u in users
        ]


def set_teacher_disabled(
    actor: Actor, teacher_id: int, disabled: bool, engine: Engine | None = None
) -> None:
    """Never oneself and never the last working administrator: the install must keep someone
    who can manage teachers. Disabling ends the teacher's sessions at once."""
    with write_session(engine) as s:
        require_admin(s, actor)
        teacher = s.get(User, teacher_id)
        if teacher is None or teacher.role != "teacher":
            raise PermissionDenied("not_a_teacher")
        if teacher.id == actor.user_id:
            raise AccountError("errors.cannot_disable_self")
        if teacher.is_disabled == disabled:
            return
        if disabled and teacher.is_admin:
            others = s.scalar(
                select(func.count())
                .select_from(User)
                .where(User.is_admin, ~User.is_disabled, User.id != teacher.id)
            )
            if not others:
                raise AccountError("errors.last_admin")
        teacher.is_disabled = disabled
        if disabled:
            revoke_sessions(s, teacher.id)
        write_audit(s, actor, "teacher_disable" if disabled else "teacher_enable", teacher.id)


def sign_in_entries(
    actor: Actor, limit: int = 300, engine: Engine | None = None
) -> list[AuditEntry]:
    """Sign-ins, failures, locks and throttled devices, newest first: the administrator's view
    of attacks on accounts (a teacher's own trail leaves them out)."""
    with read_session(engine) as s:
        require_admin(s, actor)
        return read_entries(s, AuditLog.action.in_(SIGN_IN_ACTIONS), limit)
