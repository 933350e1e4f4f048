"""A multiple-choice item that times the decision, offers a hint and records every answer."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import streamlit as st
from pydantic import ValidationError

from core.accounts import Actor
from core.quiz import QuizItem, grade
from core.telemetry import Event, record
from pages.components.session import lang, tr


def _state(activity: str, item: QuizItem) -> dict[str, Any]:
    key = f"quiz::{activity}::{item.id}"
    if key not in st.session_state:
        st.session_state[key] = {
            "shown_at": datetime.now(UTC),
            "attempt": 1,
            "hints": 0,
            "solved": False,
            "feedback": None,
        }
    state: dict[str, Any] = st.session_state[key]
    return state


def _submit(
    actor: Actor, activity: str, item: QuizItem, choice: int, state: dict[str, Any]
) -> None:
    result = grade(item, choice)
    event = Event(
        user_id=actor.user_id,
        classroom_id=actor.classroom_id,
        activity=activity,
        item_id=item.id,
        skill=item.skill,
        shown_at=state["shown_at"],
        answered_at=datetime.now(UTC),
        correct=result.correct,
        error_type=result.error_type,
        attempt=state["attempt"],
        hints_used=state["hints"],
        payload={"choice": choice},
    )
    record(actor, event)
    state["feedback"] = "correct" if result.correct else "wrong"
    if result.correct:
        state["solved"] = True
    else:
        state["attempt"] += 1
        state["shown_at"] = datetime.now(UTC)  # the next decision starts now


def quiz_item(actor: Actor, activity: str, item: QuizItem, number: int) -> bool:
    """Render one item; returns True once it is answered correctly."""
    language = lang()
    state = _state(activity, item)
    with st.container(border=True, key=f"quizcard_{activity}_{item.id}"):
        st.markdown(f"**{number}. {item.question[language]}**")
        choice = st.radio(
            tr("quiz.choose"),
            options=list(range(len(item.options))),
            format_func=lambda i: item.options[i].text[language],
            index=None,
            key=f"quiz::{activity}::{item.id}::choice",
            disabled=state["solved"],
            label_visibility="collapsed",
        )
        left, right = st.columns([1, 1])
        check = left.button(
            tr("quiz.check"),
            key=f"quiz::{activity}::{item.id}::check",
            disabled=state["solved"],
            type="primary",
        )
        hint = right.button(
            tr("quiz.hint"),
            key=f"quiz::{activity}::{item.id}::hint",
            disabled=state["solved"],
            icon=":material/lightbulb:",
        )
        if hint:
            state["hints"] += 1
        if state["hints"] and not state["solved"]:
            st.info(item.hint[language], icon=":material/lightbulb:")
        if check:
            if choice is None:
                st.warning(tr("quiz.pick_first"))
            else:
                try:
                    _submit(actor, activity, item, choice, state)
                except ValidationError:
                    st.error(tr("errors.not_saved"))
        if state["feedback"] == "correct":
            st.success(f"{tr('quiz.correct')} {item.explanation[language]}")
        elif state["feedback"] == "wrong":
            st.error(tr("quiz.wrong", attempt=state["attempt"]))
    return bool(state["solved"])
