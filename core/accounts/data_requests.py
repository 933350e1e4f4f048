"""Data deletion requests, as in Moodle's data requests: a student asks for their data to be
deleted, their teacher approves (the same deletion the teacher's own button runs) or rejects.

Why a request rather than a self-service delete: the teacher is who answers to the school for
the data, and a student deleting everything by a mis-click (or a classmate at an unlocked
screen) loses a term's work; the request puts one human check in between. Every step is in
the audit log, and a request is one per student at a time (asking twice is not an error).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, select

from core.accounts.actor import Actor
from core.accounts.audit import write_audit
from core.accounts.classrooms import owned_classroom_ids, require_student_of
from core.accounts.errors import AccountError, PermissionDenied
from core.db.models import Classroom, DeletionRequest, Enrolment, User
from core.db.session import read_session, write_session
from core.telemetry.repository import erase_student, scrub_sqlite

APPROVED = "approved"
REJECTED = "rejected"


@dataclass(frozen=True)
class RequestView:
    id: int
    user_id: int
    requested_at: datetime
    resolved_at: datetime | None
    outcome: str | None  # None while pending

    @property
    def pending(self) -> bool:
        return self.outcome is None


@dataclass(frozen=True)
class PendingRequest:
    id: int
    user_id: int
    username: str
    display_name: str
    classroom_name: str
    requested_at: datetime


def _view(row: DeletionRequest) -> RequestView:
    return RequestView(row.id, row.user_id, row.requested_at, row.resolved_at, row.outcome)


def _require_student(actor: Actor) -> None:
    if not actor.is_student:
        raise PermissionDenied("students_only")


def request_deletion(actor: Actor, engine: Engine | None = None) -> RequestView:
    """The signed-in student asks for their data to be deleted; a pending request is reused."""
    _require_student(actor)
    with write_session(engine) as s:
        row = s.scalar(
            select(DeletionRequest).where(
                DeletionRequest.user_id == actor.user_id, DeletionRequest.outcome.is_(None)
            )
        )
        if row is None:
            row = DeletionRequest(user_id=actor.user_id, requested_at=datetime.now(UTC))
            s.add(row)
            s.flush()
            write_audit(s, actor, "request_deletion", actor.user_id, request_id=row.id)
        return _view(row)


def my_latest_request(actor: Actor, engine: Engine | None = None) -> RequestView | None:
    """The student's most recent request (pending, approved or rejected), for the page."""
    _require_student(actor)
    with read_session(engine) as s:
        row = s.scalar(
            select(DeletionRequest)
            .where(DeletionRequest.user_id == actor.user_id)
            .order_by(DeletionRequest.id.desc())
            .limit(1)
        )
        return _view(row) if row is not None else None


def pending_requests(teacher: Actor, engine: Engine | None = None) -> list[PendingRequest]:
    """Open requests from students in the teacher's classes, oldest first."""
    if not teacher.is_teacher:
        raise PermissionDenied("teacher_only")
    with read_session(engine) as s:
        rooms = owned_classroom_ids(s, teacher)
        rows = s.execute(
            select(DeletionRequest, User.username, User.display_name, Classroom.name)
            .join(User, User.id == DeletionRequest.user_id)
            .join(Enrolment, Enrolment.user_id == User.id)
            .join(Classroom, Classroom.id == Enrolment.classroom_id)
            .where(Classroom.id.in_(rooms), DeletionRequest.outcome.is_(None))
            .order_by(DeletionRequest.requested_at, DeletionRequest.id)
        ).all()
    return [
        PendingRequest(r.id, r.user_id, username, name, room, r.requested_at)
        for r, username, name, room in rows
    ]


def resolve_request(
    teacher: Actor,
    request_id: int,
    approve: bool,
    delete_account: bool = False,
    engine: Engine | None = None,
) -> int:
    """Approve (erase the student's data, optionally the account too) or reject a pending
    request; returns the number of events deleted. Only the student's own teacher may."""
    with write_session(engine) as s:
        row = s.get(DeletionRequest, request_id)
        if row is None:
            raise PermissionDenied("deletion_request")  # no oracle for other teachers' ids
        require_student_of(s, teacher, row.user_id)
        if row.outcome is not None:
            raise AccountError("errors.request_resolved")
        row.outcome = APPROVED if approve else REJECTED
        row.resolved_at = datetime.now(UTC)
        row.resolved_by = teacher.user_id
        student_id = row.user_id
        s.flush()
        write_audit(
            s,
            teacher,
            f"deletion_request_{row.outcome}",  # the trail reads "approved" / "declined"
            student_id,
            request_id=request_id,
            outcome=row.outcome,
        )
        n_events = erase_student(s, teacher, student_id, delete_account) if approve else 0
    if approve:
        scrub_sqlite(engine)
    return n_events
