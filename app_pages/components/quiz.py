"""A multiple-choice item that times the decision, offers a hint and records every answer.

Attempt numbers and whether an item is solved come from the stored events (an ItemHistory from
core.telemetry.item_history, read once per page run), never from the browser session alone: after
a reload or a new sign-in the next answer continues the count and a solved item stays solved."""

from __future__ import annotations

from typing import Any

import streamlit as st
from pydantic import ValidationError

from app_pages.components.decision import decision_state, record_decision
from app_pages.components.session import lang, tr
from core.accounts import Actor
from core.quiz import QuizItem, grade
from core.telemetry import ItemHistory


def _state(activity: str, item: QuizItem) -> dict[str, Any]:
    return decision_state(f"quiz::{activity}::{item.id}")


def submit_choice(
    actor: Actor,
    activity: str,
    item: QuizItem,
    choice: int,
    state: dict[str, Any],
    *,
    item_id: str | None = None,
) -> None:
    """Grade the choice and record it as one decision; ``state["outcome"]`` says how it went."""
    result = grade(item, choice)
    record_decision(
        actor,
        state,
        activity=activity,
        item_id=item.id if item_id is None else item_id,
        skill=item.skill,
        correct=result.correct,
        error_type=result.error_type,
        payload={"choice": choice},
    )
    state["outcome"] = "correct" if result.correct else "wrong"


def quiz_item(
    actor: Actor, activity: str, item: QuizItem, number: int, history: ItemHistory
) -> None:
    """Render one item. ``history`` is what the stored events say about it: the next answer's
    attempt number, and whether it is solved (then it cannot be answered again)."""
    language = lang()
    state = _state(activity, item)
    state["attempt"] = history.next_attempt
    state["solved"] = history.solved
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
                    submit_choice(actor, activity, item, choice, state)
                except ValidationError:
                    st.error(tr("errors.not_saved"))
                else:
                    st.rerun()  # read the stored answers again: attempts, solved, the summary
        if state["outcome"] == "correct":
            st.success(f"{tr('quiz.correct')} {item.explanation[language]}")
        elif history.solved:
            st.success(f"{tr('quiz.solved_before')} {item.explanation[language]}")
        elif state["outcome"] == "wrong":
            st.error(tr("quiz.wrong", attempt=state["attempt"]))
