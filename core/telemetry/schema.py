"""The telemetry contract (ARCHITECTURE.md): one validated event per learner decision."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

CODE = r"^[a-z0-9_]+$"
SKILL = r"^[a-z0-9_]+(\.[a-z0-9_]+)+$"
MAX_PAYLOAD_BYTES = 4096
# A decision longer than this is a student who left the tab open, not a decision time.
MAX_DECISION_MS = 6 * 60 * 60 * 1000


class Event(BaseModel):
    """`decision_ms` is derived from shown_at/answered_at so no caller can fake it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    user_id: int = Field(gt=0)
    classroom_id: int | None = Field(default=None, gt=0)
    activity: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9_.-]+$")
    item_id: str = Field(min_length=1, max_length=128)
    skill: str = Field(max_length=64, pattern=SKILL)
    shown_at: datetime
    answered_at: datetime
    correct: bool | None = None
    error_type: str | None = Field(default=None, max_length=48, pattern=CODE)
    attempt: int = Field(default=1, ge=1, le=1000)
    hints_used: int = Field(default=0, ge=0, le=100)
    payload: dict[str, Any] = Field(default_factory=dict)

    @field_validator("shown_at", "answered_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(UTC)

    @field_validator("payload")
    @classmethod
    def _small_json(cls, value: dict[str, Any]) -> dict[str, Any]:
        try:
            size = len(json.dumps(value, ensure_ascii=False).encode())
        except (TypeError, ValueError) as exc:
            raise ValueError("payload must be JSON-serialisable") from exc
        if size > MAX_PAYLOAD_BYTES:
            raise ValueError(f"payload is {size} bytes; the limit is {MAX_PAYLOAD_BYTES}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Event:
        if self.answered_at < self.shown_at:
            raise ValueError("answered_at is before shown_at")
        if self.decision_ms > MAX_DECISION_MS:
            raise ValueError("decision time is longer than six hours")
        if self.correct is True and self.error_type is not None:
            raise ValueError("a correct answer has no error type")
        return self

    @property
    def decision_ms(self) -> int:
        return round((self.answered_at - self.shown_at).total_seconds() * 1000)

    def to_row(self) -> dict[str, Any]:
        row = self.model_dump()
        row["decision_ms"] = self.decision_ms
        return row


EVENT_COLUMNS: tuple[str, ...] = (
    "id",
    "user_id",
    "classroom_id",
    "activity",
    "item_id",
    "skill",
    "shown_at",
    "answered_at",
    "decision_ms",
    "correct",
    "error_type",
    "attempt",
    "hints_used",
    "payload",
)
