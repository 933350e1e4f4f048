"""The predict-then-check card the labs share. The learner locks a prediction *before* the
result is shown; core computes which option the numbers make right, and one telemetry event is
recorded with the time the prediction was locked, whatever later run judged it. A lab binds it
to its own questions with a ``Bank``; widget keys and texts are under the bank's prefix
(``<prefix>_q_<id>`` and ``<prefix>.predict``, ``<prefix>.q.<id>.question``...)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import streamlit as st
from pydantic import ValidationError

from app_pages.components.decision import decision_state, record_decision
from app_pages.components.session import tr
from core.accounts import Actor
from core.questions import Question, Verdict
from core.telemetry import load_events


@dataclass(frozen=True)
class Bank:
    prefix: str  # the telemetry activity, the widget-key prefix and the i18n prefix
    questions: Mapping[str, Question]
    judge: Callable[[str, str, Sequence[str]], Verdict]


def _answered_before(bank: Bank, actor: Actor) -> set[str]:
    key = f"{bank.prefix}_answered_before"
    if key not in st.session_state:
        events = load_events(actor, [actor.user_id])
        mine = events[events["activity"] == bank.prefix] if len(events) else events
        st.session_state[key] = set(mine["item_id"]) if len(mine) else set()
    answered: set[str] = st.session_state[key]
    return answered


def _state(bank: Bank, question_id: str) -> dict[str, Any]:
    return decision_state(f"{bank.prefix}_q_{question_id}")


def _lock(bank: Bank, question_id: str) -> None:
    state = _state(bank, question_id)
    choice = st.session_state.get(f"{bank.prefix}_q_choice_{question_id}")
    if choice is None:
        state["outcome"] = "pick_first"
        return
    state.update(choice=choice, locked_at=datetime.now(UTC), outcome=None)


def predict(
    bank: Bank,
    actor: Actor,
    question_id: str,
    option_text: Callable[[str], str],
    options: Sequence[str] | None = None,
    **question_values: object,
) -> bool:
    """Ask; returns True once the learner has predicted (now, or in an earlier session)."""
    state = _state(bank, question_id)
    p = bank.prefix
    options = tuple(options or bank.questions[question_id].options)
    locked = "locked_at" in state
    texts = {o: option_text(o) for o in options}  # now: format_func may run outside this run
    with st.container(border=True, key=f"{p}_q_card_{question_id}"):
        st.markdown(
            f"**{tr(f'{p}.predict')}** {tr(f'{p}.q.{question_id}.question', **question_values)}"
        )
        st.radio(
            tr("quiz.choose"),
            options,
            format_func=texts.__getitem__,
            index=None,
            key=f"{p}_q_choice_{question_id}",
            disabled=locked,
            label_visibility="collapsed",
        )
        if not locked:
            st.button(
                tr(f"{p}.lock"),
                key=f"{p}_q_lock_{question_id}",
                type="primary",
                on_click=_lock,
                args=(bank, question_id),
            )
        if state["outcome"] == "pick_first":
            st.warning(tr("quiz.pick_first"))
    if locked:
        return True
    if question_id in _answered_before(bank, actor):
        st.caption(tr(f"{p}.answered_before"))
        return True
    st.info(tr(f"{p}.predict_first"), icon=":material/psychology:")
    return False


def check(
    bank: Bank,
    actor: Actor,
    question_id: str,
    truth: Sequence[str],
    option_text: Callable[[str], str],
    why: str,
) -> None:
    """Once the step's numbers are known: the verdict, recorded once, explained with them."""
    state = _state(bank, question_id)
    if "locked_at" not in state:
        return
    if state.get("verdict") is None:
        verdict = bank.judge(question_id, state["choice"], truth)
        try:
            record_decision(
                actor,
                state,
                activity=bank.prefix,
                item_id=question_id,
                skill=bank.questions[question_id].skill,
                correct=verdict.correct,
                error_type=verdict.error_type,
                payload={"choice": state["choice"], "truth": list(verdict.truth)},
                answered_at=state["locked_at"],
            )
        except ValidationError:
            st.error(tr("errors.not_saved"))
            return
        state["verdict"] = verdict
    verdict = state["verdict"]
    right = ", ".join(option_text(t) for t in verdict.truth)
    if verdict.correct:
        st.success(f"{tr(f'{bank.prefix}.right')} {why}", icon=":material/check_circle:")
    else:
        st.warning(f"{tr(f'{bank.prefix}.wrong', answer=right)} {why}", icon=":material/info:")
