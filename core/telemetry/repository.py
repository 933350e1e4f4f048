"""Reading and erasing events, with the acting user checked on every query."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Engine, delete, func, select, text
from sqlalchemy.orm import Session

from core.accounts.actor import Actor
from core.accounts.audit import write_audit
from core.accounts.classrooms import owned_classroom_ids, require_student_of
from core.accounts.errors import PermissionDenied
from core.db.engine import get_engine, write_lock
from core.db.models import Enrolment, FaceEnrolment, Job, LoginSession, User
from core.db.models import Event as EventRow
from core.db.session import read_session, write_session
from core.exports import events_csv
from core.learner_files import delete_learner_files
from core.telemetry.schema import EVENT_COLUMNS


def _visible_user_ids(s: Session, actor: Actor) -> set[int]:
    if actor.is_student:
        return {actor.user_id}
    if actor.is_teacher:
        rooms = owned_classroom_ids(s, actor)
        students = s.scalars(select(Enrolment.user_id).where(Enrolment.classroom_id.in_(rooms)))
        return {actor.user_id, *students}
    raise PermissionDenied("anonymous")


def _frame(rows: list[EventRow]) -> pd.DataFrame:
    frame = pd.DataFrame(
        [{col: getattr(r, col) for col in EVENT_COLUMNS} for r in rows], columns=EVENT_COLUMNS
    )
    for col in ("shown_at", "answered_at"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    return frame


def load_events(
    actor: Actor,
    user_ids: list[int] | None = None,
    classroom_id: int | None = None,
    engine: Engine | None = None,
) -> pd.DataFrame:
    """Events the actor may see; asking for someone else's is an error, not an empty frame."""
    with read_session(engine) as s:
        visible = _visible_user_ids(s, actor)
        wanted = set(user_ids) if user_ids is not None else visible
        if not wanted <= visible:
            raise PermissionDenied("events_of_other_user")
        query = select(EventRow).where(EventRow.user_id.in_(wanted)).order_by(EventRow.id)
        if classroom_id is not None:
            if actor.is_teacher and classroom_id not in owned_classroom_ids(s, actor):
                raise PermissionDenied("classroom_not_yours")
            query = query.where(EventRow.classroom_id == classroom_id)
        return _frame(list(s.scalars(query)))


@dataclass(frozen=True)
class UserExport:
    profile: dict[str, Any]
    events: pd.DataFrame

    def to_json(self) -> bytes:
        events = json.loads(self.events.to_json(orient="records", date_format="iso"))
        return json.dumps({"profile": self.profile, "events": events}, ensure_ascii=False).encode()

    def to_csv(self) -> bytes:
        """The events as a spreadsheet-safe CSV (core.exports: no cell starts a formula)."""
        return events_csv(self.events)


def export_user_data(actor: Actor, user_id: int, engine: Engine | None = None) -> UserExport:
    """Everything stored about a person (their right to see it); never their password hash."""
    with read_session(engine) as s:
        if user_id not in _visible_user_ids(s, actor):
            raise PermissionDenied("export_other_user")
        user = s.get(User, user_id)
        assert user is not None
        classroom_id = s.scalar(select(Enrolment.classroom_id).where(Enrolment.user_id == user_id))
        profile = {
            "user_id": user.id,
            "username": user.username,
            "display_name": user.display_name,
            "role": user.role,
            "language": user.language,
            "classroom_id": classroom_id,
            "created_at": str(user.created_at),
            "exported_at": datetime.now(UTC).isoformat(),
        }
    return UserExport(profile, load_events(actor, [user_id], engine=engine))


def erase_student(s: Session, actor: Actor, student_id: int, delete_account: bool) -> int:
    """Erase every per-learner record and file inside the caller's transaction; returns the
    number of events. Files go first: if one cannot be removed the transaction rolls back and
    the teacher sees the error rather than a half-done deletion reported as done."""
    require_student_of(s, actor, student_id)
    delete_learner_files(student_id)  # chains, saved agents, traffic policies
    n_events = s.scalar(select(func.count()).where(EventRow.user_id == student_id)) or 0
    zero_on_delete(s)
    s.execute(delete(EventRow).where(EventRow.user_id == student_id))
    s.execute(delete(Job).where(Job.owner_id == student_id))  # trainings and their results
    s.execute(delete(FaceEnrolment).where(FaceEnrolment.user_id == student_id))
    if delete_account:
        s.execute(delete(LoginSession).where(LoginSession.user_id == student_id))
        s.execute(delete(Enrolment).where(Enrolment.user_id == student_id))
        s.execute(delete(User).where(User.id == student_id))
    write_audit(
        s,
        actor,
        "delete_student_data",
        student_id,
        events_deleted=n_events,
        account_deleted=delete_account,
    )
    return int(n_events)


def zero_on_delete(s: Session) -> None:
    """SQLite's secure_delete zeroes freed cells and pages, so a deleted name or face label is
    not left readable in the database file (the WAL is truncated after the commit: scrub_sqlite).
    Call inside the deleting transaction."""
    if s.get_bind().dialect.name == "sqlite":
        s.execute(text("PRAGMA secure_delete=ON"))


def scrub_sqlite(engine: Engine | None = None) -> bool:
    """Fold the WAL into the database and truncate it to zero bytes (SQLite only).

    Deleted rows stay readable in ``zerde.db-wal`` until a checkpoint: the frames written when a
    name or face label was inserted are still there. TRUNCATE waits (busy_timeout) for readers
    on older snapshots; False if it could not finish, and the next deletion tries again.
    """
    base = engine or get_engine()
    if base.dialect.name != "sqlite":
        return True
    with write_lock(base):
        raw = base.raw_connection()
        try:
            # The raw pysqlite connection runs in autocommit (engine.py), so no BEGIN precedes
            # the checkpoint: inside a transaction it could not run.
            row = raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            raw.close()
    return row is not None and int(row[0]) == 0


def delete_student_data(
    actor: Actor, student_id: int, delete_account: bool = False, engine: Engine | None = None
) -> int:
    """Erase a student's events, faces, jobs and files (and optionally the account); the audit
    log keeps who and when. Ids are never reused (migration 0004), so nothing can reach a
    later account even if a file survived."""
    with write_session(engine) as s:
        n_events = erase_student(s, actor, student_id, delete_account)
    scrub_sqlite(engine)
    return n_events
