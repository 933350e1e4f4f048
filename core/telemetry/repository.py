"""Reading and erasing events, with the acting user checked on every query."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from core.accounts.actor import Actor
from core.accounts.audit import write_audit
from core.accounts.classrooms import owned_classroom_ids, require_student_of
from core.accounts.errors import PermissionDenied
from core.db.models import Enrolment, Job, LoginSession, User
from core.db.models import Event as EventRow
from core.db.session import read_session, write_session
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
        frame = self.events.copy()
        frame["payload"] = frame["payload"].map(lambda p: json.dumps(p, ensure_ascii=False))
        buffer = io.StringIO()
        frame.to_csv(buffer, index=False, quoting=csv.QUOTE_NONNUMERIC)
        return buffer.getvalue().encode("utf-8-sig")


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


def delete_student_data(
    actor: Actor, student_id: int, delete_account: bool = False, engine: Engine | None = None
) -> int:
    """Erase a student's events (and optionally the account); the audit log keeps who and when."""
    with write_session(engine) as s:
        require_student_of(s, actor, student_id)
        n_events = s.scalar(select(func.count()).where(EventRow.user_id == student_id)) or 0
        s.execute(delete(EventRow).where(EventRow.user_id == student_id))
        s.execute(delete(Job).where(Job.owner_id == student_id))  # trainings and their results
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
        return n_events
