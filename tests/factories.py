"""Small builders for tests: a teacher, a class and students in a few lines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from core.accounts import Actor, Role
from core.accounts.classrooms import ClassroomView, create_classroom
from core.accounts.service import create_first_teacher, create_teacher, register_student
from core.telemetry import Event

PASSWORD = "Tulpar-2026-steppe"
# For schema-only tests that never touch the database.
ANY_STUDENT = Actor(7, Role.STUDENT, "bolat", "Bolat", "en", classroom_id=3)


def teacher(username: str = "aigerim", first: bool = True, by: Actor | None = None) -> Actor:
    if first:
        return create_first_teacher(username, "Aigerim T.", PASSWORD, "kk")
    assert by is not None
    return create_teacher(by, username, f"{username} T.", PASSWORD, "ru")


def classroom(owner: Actor, name: str = "9A") -> ClassroomView:
    return create_classroom(owner, name)


def student(room: ClassroomView, username: str) -> Actor:
    return register_student(room.join_code, username, username.title(), PASSWORD, "en")


def event(actor: Actor, **overrides: Any) -> Event:
    shown = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    fields: dict[str, Any] = {
        "user_id": actor.user_id,
        "classroom_id": actor.classroom_id,
        "activity": "onboarding",
        "item_id": "q1",
        "skill": "platform.onboarding",
        "shown_at": shown,
        "answered_at": shown + timedelta(milliseconds=4200),
        "correct": False,
        "error_type": "misread",
        "attempt": 1,
        "hints_used": 0,
        "payload": {"choice": "b"},
    }
    fields.update(overrides)
    return Event(**fields)
