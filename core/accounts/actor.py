"""Who is acting. Every repository call takes one, so authorisation lives in core, not in menus."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ANONYMOUS = "anonymous"
    STUDENT = "student"
    TEACHER = "teacher"


@dataclass(frozen=True)
class Actor:
    user_id: int
    role: Role
    username: str
    display_name: str
    language: str
    classroom_id: int | None = None

    @property
    def is_teacher(self) -> bool:
        return self.role is Role.TEACHER

    @property
    def is_student(self) -> bool:
        return self.role is Role.STUDENT
