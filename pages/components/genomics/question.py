"""The predict-then-check card every step shares. The learner locks a prediction *before* the
step's result is shown; core computes which option the numbers make right, and one telemetry
event is recorded with the time the prediction was locked, whatever later run judged it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import streamlit as st
from pydantic import ValidationError

from core.accounts import Actor
from core.genomics.questions import QUESTIONS, judge
from core.telemetry import load_events
from pages.components.decision import decision_state, record_decision
from pages.components.session import tr

ACTIVITY = "gen"


def _answered_before(actor: Actor) -> set[str]:
    key = "gen_answered_before"
    if key not in st.session_state:
        events = load_events(actor, [actor.user_id])
        mine = events[events["activity"] == ACTIVITY] if len(events) else events
        st.session_state[key] = set(mine["item_id"]) if len(mine) else set()
    answered: set[str] = st.session_state[key]
    return answered


def _state(question_id: str) -> dict[str, Any]:
    return decision_state(f"gen_q_{question_id}")


def _lock(question_id: str) -> None:
    state = _state(question_id)
    choice = st.session_state.get(f"gen_q_choice_{question_id}")
    if choice is None:
        state["outcome"] = "pick_first"
        return
    state.update(choice=choice, locked_at=datetime.now(UTC), outcome=None)


def predict(
    actor: Actor,
    question_id: str,
    option_text: Callable[[str], str],
    options: Sequence[str] | None = None,
    **question_values: object,
) -> bool:
    """Ask; returns True once the learner has predicted (now, or in an earlier session)."""
    state = _state(question_id)
    options = tuple(options or QUESTIONS[question_id].options)
    locked = "locked_at" in state
    texts = {o: option_text(o) for o in options}  # now: format_func may run outside this run
    with st.container(border=True, key=f"gen_q_card_{question_id}"):
        st.markdown(
            f"**{tr('gen.predict')}** {tr(f'gen.q.{question_id}.question', **question_values)}"
        )
        st.radio(
            tr("quiz.choose"),
            options,
            format_func=texts.__getitem__,
            index=None,
            key=f"gen_q_choice_{question_id}",
            disabled=locked,
            label_visibility="collapsed",
        )
        if not locked:
            st.button(
                tr("gen.lock"),
                key=f"gen_q_lock_{question_id}",
                type="primary",
                on_click=_lock,
                args=(question_id,),
            )
        if state["outcome"] == "pick_first":
            st.warning(tr("quiz.pick_first"))
    if locked:
        return True
    if question_id in _answered_before(actor):
        st.caption(tr("gen.answered_before"))
        return True
    st.info(tr("gen.predict_first"), icon=":material/psychology:")
    return False


def check(
    actor: Actor,
    question_id: str,
    truth: Sequence[str],
    option_text: Callable[[str], str],
    why: str,
) -> None:
    """Once the step's numbers are known: the verdict, recorded once, explained with them."""
    state = _state(question_id)
    if "locked_at" not in state:
        return
    if state.get("verdict") is None:
        verdict = judge(question_id, state["choice"], truth)
        try:
            record_decision(
                actor,
                state,
                activity=ACTIVITY,
                item_id=question_id,
                skill=QUESTIONS[question_id].skill,
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
        st.success(f"{tr('gen.right')} {why}", icon=":material/check_circle:")
    else:
        st.warning(f"{tr('gen.wrong', answer=right)} {why}", icon=":material/info:")
