"""The learning loop every ML lesson shares: read, predict before you run, experiment, then meet
a measurable challenge. The prediction and each challenge attempt are one telemetry event each."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import streamlit as st
from pydantic import ValidationError

from core.accounts import Actor
from core.ml.challenges import CHALLENGES, Challenge, judge
from core.ml.lessons import ACTIVITY, Lesson, lesson_text
from core.quiz import QuizItem, load_quiz
from pages.components.decision import decision_state, record_decision
from pages.components.quiz import submit_choice
from pages.components.session import lang, tr


@dataclass(frozen=True)
class Submission:
    """What the experiment shows right now, for the challenge: its setup and core's numbers."""

    setup: dict[str, object]
    measured: dict[str, float]
    shown: tuple[tuple[str, str], ...] = field(default=())  # (label key, formatted value)


def _item(lesson: Lesson) -> QuizItem:
    return next(item for item in load_quiz(ACTIVITY) if item.id == lesson.id)


def explanation(lesson: Lesson, *, expanded: bool) -> None:
    with st.expander(tr("ml.read_first"), expanded=expanded, icon=":material/menu_book:"):
        st.markdown(lesson_text(lesson.id, lang()))


def _predict(actor: Actor, lesson: Lesson, item: QuizItem, state: dict[str, Any]) -> None:
    choice = st.session_state.get(f"ml_predict_{lesson.id}")
    if choice is None:
        state["outcome"] = "pick_first"
        return
    try:
        submit_choice(actor, ACTIVITY, item, int(choice), state, item_id=lesson.prediction_item)
    except ValidationError:
        state["outcome"] = "not_saved"
        return
    state["solved"] = True  # one prediction, right or wrong: the experiment then shows the truth


def _hint(state: dict[str, Any]) -> None:
    state["hints"] += 1


def prediction(actor: Actor, lesson: Lesson, *, done_before: bool) -> bool:
    """The "predict before you run" card. Returns True once a prediction is made, now or in an
    earlier session (then the experiment opens at once)."""
    item = _item(lesson)
    language = lang()
    state = decision_state(f"ml_predict_state_{lesson.id}")
    made = bool(state["solved"]) or done_before
    with st.container(border=True, key=f"ml_predict_card_{lesson.id}"):
        st.markdown(f"**{tr('ml.predict_title')}** {item.question[language]}")
        st.radio(
            tr("quiz.choose"),
            options=list(range(len(item.options))),
            format_func=lambda i: item.options[i].text[language],
            index=None,
            key=f"ml_predict_{lesson.id}",
            disabled=bool(state["solved"]),
            label_visibility="collapsed",
        )
        if not state["solved"]:
            left, right = st.columns(2)
            left.button(
                tr("ml.predict_lock"),
                key=f"ml_predict_lock_{lesson.id}",
                type="primary",
                on_click=_predict,
                args=(actor, lesson, item, state),
            )
            right.button(
                tr("quiz.hint"),
                key=f"ml_predict_hint_{lesson.id}",
                icon=":material/lightbulb:",
                on_click=_hint,
                args=(state,),
            )
            if state["hints"]:
                st.info(item.hint[language], icon=":material/lightbulb:")
        outcome = state["outcome"]
        if outcome == "pick_first":
            st.warning(tr("quiz.pick_first"))
        elif outcome == "not_saved":
            st.error(tr("errors.not_saved"))
        elif outcome == "correct":
            st.success(f"{tr('ml.predict_right')} {item.explanation[language]}")
        elif outcome == "wrong":
            right_text = item.options[item.answer].text[language]
            st.warning(tr("ml.predict_wrong", answer=right_text) + " " + item.explanation[language])
        elif done_before:
            st.caption(tr("ml.predict_done_before"))
    return made


def _submit(
    actor: Actor, challenge: Challenge, submission: Submission, state: dict[str, Any]
) -> None:
    verdict = judge(challenge.lesson, submission.setup, submission.measured)
    state["verdict"], state["outcome"] = verdict, None
    if not verdict.ready:
        return
    try:
        record_decision(
            actor,
            state,
            activity=ACTIVITY,
            item_id=challenge.item_id,
            skill=challenge.skill,
            correct=verdict.correct,
            error_type=verdict.error_type,
            payload={"setup": submission.setup, "measured": submission.measured},
        )
    except ValidationError:
        state["verdict"] = None
        state["outcome"] = "not_saved"


def _value(value: object) -> str:
    return tr(f"ml.dataset.{value}") if isinstance(value, str) else str(value)


def challenge_card(
    actor: Actor, lesson: Lesson, submission: Submission | None, *, solved_before: bool
) -> None:
    challenge = CHALLENGES.get(lesson.id)
    if challenge is None:
        return
    state = decision_state(f"ml_challenge_state_{lesson.id}")
    with st.container(border=True, key=f"ml_challenge_card_{lesson.id}"):
        st.markdown(
            f"**{tr('ml.challenge_title')}** " + tr(f"ml.challenge.{lesson.id}", **challenge.goal)
        )
        if solved_before and not state["solved"]:
            st.caption(tr("ml.challenge_solved_before"))
        if submission is None:
            st.caption(tr("ml.challenge_no_result"))
            return
        if submission.shown:
            st.caption(" · ".join(f"{tr(label)}: {value}" for label, value in submission.shown))
        # Judged in this run, not in a callback: a callback would get the submission of the
        # previous run, stale if a widget changed in between.
        if st.button(
            tr("ml.challenge_submit"),
            key=f"ml_challenge_submit_{lesson.id}",
            icon=":material/flag:",
        ):
            _submit(actor, challenge, submission, state)
        verdict = state.get("verdict")
        if state.get("outcome") == "not_saved":
            st.error(tr("errors.not_saved"))
        if verdict is None:
            return
        if not verdict.ready:
            wanted = ", ".join(
                tr("ml.setup_item", what=tr(f"ml.setup.{key}"), value=_value(challenge.setup[key]))
                for key in verdict.mismatched
            )
            st.warning(tr("ml.challenge_setup", wanted=wanted), icon=":material/tune:")
        elif verdict.correct:
            st.success(tr("ml.challenge_done"), icon=":material/emoji_events:")
        else:
            st.error(
                tr(f"ml.feedback.{verdict.error_type}")
                + " "
                + tr("quiz.wrong", attempt=state["attempt"])
            )
