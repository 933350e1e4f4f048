"""Classrooms and rosters. Every function takes the acting teacher and checks ownership."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.accounts.actor import Actor
from core.accounts.audit import write_audit
from core.accounts.errors import AccountError, PermissionDenied
from core.accounts.validation import clean_class_name
from core.db.models import Classroom, Enrolment, LoginSession, User
from core.db.session import read_session, write_session

# No 0/O, 1/I/L: codes are read aloud and copied from a projector.
JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_LENGTH = 8


@dataclass(frozen=True)
class ClassroomView:
    id: int
    name: str
    join_code: str
    n_students: int


@dataclass(frozen=True)
class StudentView:
    user_id: int
    username: str
    display_name: str
    is_disabled: bool
    classroom_id: int


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_LENGTH))


def normalise_join_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _require_teacher(actor: Actor) -> None:
    if not actor.is_teacher:
        raise PermissionDenied("teacher_only")


def owned_classroom_ids(s: Session, actor: Actor) -> list[int]:
    return list(s.scalars(select(Classroom.id).where(Classroom.teacher_id == actor.user_id)))


def require_student_of(s: Session, actor: Actor, student_id: int) -> User:
    """The student must sit in one of the acting teacher's classes."""
    _require_teacher(actor)
    student = s.scalar(
        select(User)
        .join(Enrolment, Enrolment.user_id == User.id)
        .join(Classroom, Classroom.id == Enrolment.classroom_id)
        .where(User.id == student_id, Classroom.teacher_id == actor.user_id)
    )
    if student is None:
        raise PermissionDenied("student_not_in_your_classes")
    return student


def create_classroom(actor: Actor, name: str, engine: Engine | None = None) -> ClassroomView:
    _require_teacher(actor)
    clean = clean_class_name(name)
    with write_session(engine) as s:
        code = new_join_code()
        while s.scalar(select(Classroom.id).where(Classroom.join_code == code)) is not None:
            code = new_join_code()
        room = Classroom(name=clean, join_code=code, teacher_id=actor.user_id)
        s.add(room)
        s.flush()
        return ClassroomView(room.id, room.name, room.join_code, 0)


def list_classrooms(actor: Actor, engine: Engine | None = None) -> list[ClassroomView]:
    _require_teacher(actor)
    with read_session(engine) as s:
        rows = s.execute(
            select(Classroom, func.count(Enrolment.user_id))
            .outerjoin(Enrolment, Enrolment.classroom_id == Classroom.id)
            .where(Classroom.teacher_id == actor.user_id)
            .group_by(Classroom.id)
            .order_by(Classroom.id)
        ).all()
        return [ClassroomView(c.id, c.name, c.join_code, n) for c, n in rows]


def roster(actor: Actor, classroom_id: int, engine: Engine | None = None) -> list[StudentView]:
    _require_teacher(actor)
    with read_session(engine) as s:
        owner = s.scalar(select(Classroom.teacher_id).where(Classroom.id == classroom_id))
        if owner != actor.user_id:
            raise PermissionDenied("classroom_not_yours")
        rows = s.execute(
            select(User, Enrolment.classroom_id)
            .join(Enrolment, Enrolment.user_id == User.id)
            .where(Enrolment.classroom_id == classroom_id)
            .order_by(User.display_name)
        ).all()
        return [
            StudentView(u.id, u.username, u.display_name, u.is_disabled, cid) for u, cid in rows
        ]


def set_disabled(
    actor: Actor, student_id: int, disabled: bool, engine: Engine | None = None
) -> None:
    """Disabling also revokes the student's sessions: they are logged out on the next rerun.
    `disabled` is the target state, not a toggle: a repeated or stale request for the state the
    student is already in changes nothing and writes no audit line."""
    with write_session(engine) as s:
        student = require_student_of(s, actor, student_id)
        if student.is_disabled == disabled:
            return
        student.is_disabled = disabled
        if disabled:
            for session in s.scalars(
                select(LoginSession).where(
                    LoginSession.user_id == student_id, LoginSession.revoked_at.is_(None)
                )
            ):
                session.revoked_at = datetime.now(UTC)
        write_audit(s, actor, "disable" if disabled else "enable", student_id)


def revoke_sessions(s: Session, user_id: int, keep_token_hash: str | None = None) -> int:
    """End a user's server-side sessions (all but one, when they act from it themselves); each
    open tab is signed out on its next rerun."""
    query = select(LoginSession).where(
        LoginSession.user_id == user_id, LoginSession.revoked_at.is_(None)
    )
    if keep_token_hash is not None:
        query = query.where(LoginSession.token_hash != keep_token_hash)
    sessions = list(s.scalars(query))
    for session in sessions:
        session.revoked_at = datetime.now(UTC)
    return len(sessions)


def _owned_classroom(s: Session, actor: Actor, classroom_id: int) -> Classroom:
    _require_teacher(actor)
    room = s.get(Classroom, classroom_id)
    if room is None or room.teacher_id != actor.user_id:
        raise PermissionDenied("classroom_not_yours")
    return room


def _unused_join_code(s: Session) -> str:
    code = new_join_code()
    while s.scalar(select(Classroom.id).where(Classroom.join_code == code)) is not None:
        code = new_join_code()
    return code


def rename_classroom(
    actor: Actor, classroom_id: int, name: str, engine: Engine | None = None
) -> ClassroomView:
    """Same name rules as a new class; the old name stays in the audit trail."""
    clean = clean_class_name(name)
    with write_session(engine) as s:
        room = _owned_classroom(s, actor, classroom_id)
        old, room.name = room.name, clean
        write_audit(s, actor, "class_rename", None, classroom_id=room.id, old_name=old)
        n = s.scalar(select(func.count()).where(Enrolment.classroom_id == room.id)) or 0
        return ClassroomView(room.id, room.name, room.join_code, n)


def rotate_join_code(actor: Actor, classroom_id: int, engine: Engine | None = None) -> str:
    """A leaked code (a photo of the projector, a forwarded message) stops working at once;
    students already in the class are not affected."""
    with write_session(engine) as s:
        room = _owned_classroom(s, actor, classroom_id)
        room.join_code = _unused_join_code(s)
        write_audit(s, actor, "join_code_rotate", None, classroom_id=room.id)
        return room.join_code


def delete_classroom(actor: Actor, classroom_id: int, engine: Engine | None = None) -> None:
    """Only an empty class can be deleted. Deleting one with students would cascade away their
    enrolments and leave accounts in no class (and their events without one); moving them is a
    decision about people a teacher should make student by student. So: refuse until the roster
    is empty (each student's data exported or deleted first, audited there)."""
    with write_session(engine) as s:
        room = _owned_classroom(s, actor, classroom_id)
        if s.scalar(select(func.count()).where(Enrolment.classroom_id == room.id)):
            raise AccountError("errors.class_not_empty")
        write_audit(s, actor, "class_delete", None, classroom_id=room.id, name=room.name)
        s.delete(room)


def find_classroom_by_code(s: Session, code: str) -> int:
    classroom_id = s.scalar(
        select(Classroom.id).where(Classroom.join_code == normalise_join_code(code))
    )
    if classroom_id is None:
        raise AccountError("errors.join_code_invalid")
    return classroom_id
