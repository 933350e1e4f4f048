"""One learner decision: when it was shown, which attempt, how many hints, and the one event
recorded when it is answered. Shared by every exercise widget, so timing means the same
everywhere (a wrong answer starts the clock for the next attempt)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import streamlit as st

from core.accounts import Actor
from core.telemetry import Event, record


def decision_state(key: str) -> dict[str, Any]:
    if key not in st.session_state:
        st.session_state[key] = {
            "shown_at": datetime.now(UTC),
            "attempt": 1,
            "hints": 0,
            "solved": False,
            "outcome": None,
        }
    value: dict[str, Any] = st.session_state[key]
    return value


def record_decision(
    actor: Actor,
    state: dict[str, Any],
    *,
    activity: str,
    item_id: str,
    skill: str,
    correct: bool,
    error_type: str | None,
    payload: dict[str, Any],
    hints_used: int | None = None,
    answered_at: datetime | None = None,
) -> None:
    """Record the answer, then move the state on: solved, or the next attempt starting now.
    ``answered_at`` is for an answer judged later than it was given (a prediction locked before
    a training run that decides it). Raises pydantic.ValidationError (nothing recorded, state
    unchanged) on an invalid event."""
    now = answered_at or datetime.now(UTC)
    record(
        actor,
        Event(
            user_id=actor.user_id,
            classroom_id=actor.classroom_id,
            activity=activity,
            item_id=item_id,
            skill=skill,
            shown_at=state["shown_at"],
            answered_at=now,
            correct=correct,
            error_type=error_type,
            attempt=state["attempt"],
            hints_used=state["hints"] if hints_used is None else hints_used,
            payload=payload,
        ),
    )
    if correct:
        state["solved"] = True
    else:
        state["attempt"] += 1
        state["shown_at"] = now
