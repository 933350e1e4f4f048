"""The lesson loop every lab shares: read, predict before you run, experiment, then meet a
measurable challenge. The prediction and each challenge attempt are one telemetry event each.

A lab describes itself once as a ``LessonBook``; its activity names the telemetry activity, the
i18n prefix of its lab-specific strings and the prefix of every widget key, so two labs never
share state. The strings of the loop itself live under ``lesson.*``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import streamlit as st
from pydantic import ValidationError

from app_pages.components.decision import decision_state, record_decision
from app_pages.components.quiz import submit_choice
from app_pages.components.session import lang, tr
from core.accounts import Actor
from core.challenges import Challenge, judge_challenge
from core.lessons import Lesson, LessonProgress, lesson_progress, lesson_text
from core.quiz import QuizItem, load_quiz
from core.telemetry import load_events


@dataclass(frozen=True)
class LessonBook:
    activity: str  # "ml", "rl": telemetry activity, i18n and widget-key prefix, lessons folder
    families: tuple[str, ...]
    lessons: tuple[Lesson, ...]
    challenges: Mapping[str, Challenge]
    setup_value: Callable[[object], str] = str  # how a challenge's setup value is shown


@dataclass(frozen=True)
class Submission:
    """What the experiment shows right now, for the challenge: its setup and core's numbers."""

    setup: dict[str, object]
    measured: dict[str, float]
    shown: tuple[tuple[str, str], ...] = field(default=())  # (label key, formatted value)


def _item(book: LessonBook, lesson: Lesson) -> QuizItem:
    return next(item for item in load_quiz(book.activity) if item.id == lesson.id)


def _finished(book: LessonBook, lesson_id: str, done: LessonProgress) -> bool:
    return done.challenge_solved or (lesson_id not in book.challenges and done.predicted)


def pick_lesson(book: LessonBook, status: Mapping[str, LessonProgress]) -> Lesson:
    """The family switch (only when the lab has several) and the lesson pills, ✓ once finished."""
    a = book.activity
    family = book.families[0]
    if len(book.families) > 1:
        # Labels are looked up now, not in format_func: it may run later, outside this script run.
        family_labels = {f: tr(f"{a}.family.{f}") for f in book.families}
        family = (
            st.segmented_control(
                tr(f"{a}.family_label"),
                book.families,
                default=book.families[0],
                format_func=family_labels.__getitem__,
                key=f"{a}_family",
                label_visibility="collapsed",
            )
            or book.families[0]
        )
    by_id = {lesson.id: lesson for lesson in book.lessons}
    lessons = [lesson.id for lesson in book.lessons if lesson.family == family]
    labels = {
        lid: tr(f"{a}.lesson.{lid}") + (" ✓" if _finished(book, lid, status[lid]) else "")
        for lid in lessons
    }
    chosen = st.pills(
        tr(f"{a}.lesson_label"),
        lessons,
        default=lessons[0],
        format_func=labels.__getitem__,
        key=f"{a}_lesson_{family}",
    )
    return by_id[chosen or lessons[0]]


def lesson_page(
    book: LessonBook,
    actor: Actor,
    experiments: Mapping[str, Callable[[Actor], Submission | None]],
) -> None:
    status = lesson_progress(load_events(actor, [actor.user_id]), book.activity, book.lessons)
    lesson = pick_lesson(book, status)
    mine = status[lesson.id]
    st.header(tr(f"{book.activity}.lesson.{lesson.id}"), anchor=False, divider="gray")
    explanation(book, lesson, expanded=not mine.predicted)
    if prediction(book, actor, lesson, done_before=mine.predicted):
        submission = experiments[lesson.id](actor)
        challenge_card(book, actor, lesson, submission, solved_before=mine.challenge_solved)
    else:
        st.info(tr("lesson.predict_first"), icon=":material/psychology:")


def explanation(book: LessonBook, lesson: Lesson, *, expanded: bool) -> None:
    with st.expander(tr("lesson.read_first"), expanded=expanded, icon=":material/menu_book:"):
        st.markdown(lesson_text(book.activity, lesson.id, lang()))


def _predict(
    book: LessonBook, actor: Actor, lesson: Lesson, item: QuizItem, state: dict[str, Any]
) -> None:
    choice = st.session_state.get(f"{book.activity}_predict_{lesson.id}")
    if choice is None:
        state["outcome"] = "pick_first"
        return
    try:
        submit_choice(
            actor, book.activity, item, int(choice), state, item_id=lesson.prediction_item
        )
    except ValidationError:
        state["outcome"] = "not_saved"
        return
    state["solved"] = True  # one prediction, right or wrong: the experiment then shows the truth


def _hint(state: dict[str, Any]) -> None:
    state["hints"] += 1


def prediction(book: LessonBook, actor: Actor, lesson: Lesson, *, done_before: bool) -> bool:
    """The "predict before you run" card. Returns True once a prediction is made, now or in an
    earlier session (then the experiment opens at once)."""
    a = book.activity
    item = _item(book, lesson)
    language = lang()
    state = decision_state(f"{a}_predict_state_{lesson.id}")
    made = bool(state["solved"]) or done_before
    with st.container(border=True, key=f"{a}_predict_card_{lesson.id}"):
        st.markdown(f"**{tr('lesson.predict_title')}** {item.question[language]}")
        st.radio(
            tr("quiz.choose"),
            options=list(range(len(item.options))),
            format_func=lambda i: item.options[i].text[language],
            index=None,
            key=f"{a}_predict_{lesson.id}",
            disabled=bool(state["solved"]),
            label_visibility="collapsed",
        )
        if not state["solved"]:
            left, right = st.columns(2)
            left.button(
                tr("lesson.predict_lock"),
                key=f"{a}_predict_lock_{lesson.id}",
                type="primary",
                on_click=_predict,
                args=(book, actor, lesson, item, state),
            )
            right.button(
                tr("quiz.hint"),
                key=f"{a}_predict_hint_{lesson.id}",
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
            st.success(f"{tr('lesson.predict_right')} {item.explanation[language]}")
        elif outcome == "wrong":
            right_text = item.options[item.answer].text[language]
            st.warning(
                tr("lesson.predict_wrong", answer=right_text) + " " + item.explanation[language]
            )
        elif done_before:
            st.caption(tr("lesson.predict_done_before"))
    return made


def _submit(
    book: LessonBook,
    actor: Actor,
    challenge: Challenge,
    submission: Submission,
    state: dict[str, Any],
) -> None:
    verdict = judge_challenge(challenge, submission.setup, submission.measured)
    state["verdict"], state["outcome"] = verdict, None
    if not verdict.ready:
        return
    try:
        record_decision(
            actor,
            state,
            activity=book.activity,
            item_id=challenge.item_id,
            skill=challenge.skill,
            correct=verdict.correct,
            error_type=verdict.error_type,
            payload={"setup": submission.setup, "measured": submission.measured},
        )
    except ValidationError:
        state["verdict"] = None
        state["outcome"] = "not_saved"


def challenge_card(
    book: LessonBook,
    actor: Actor,
    lesson: Lesson,
    submission: Submission | None,
    *,
    solved_before: bool,
) -> None:
    a = book.activity
    challenge = book.challenges.get(lesson.id)
    if challenge is None:
        return
    state = decision_state(f"{a}_challenge_state_{lesson.id}")
    with st.container(border=True, key=f"{a}_challenge_card_{lesson.id}"):
        st.markdown(
            f"**{tr('lesson.challenge_title')}** "
            + tr(f"{a}.challenge.{lesson.id}", **challenge.goal)
        )
        if solved_before and not state["solved"]:
            st.caption(tr("lesson.challenge_solved_before"))
        if submission is None:
            st.caption(tr("lesson.challenge_no_result"))
            return
        if submission.shown:
            st.caption(" · ".join(f"{tr(label)}: {value}" for label, value in submission.shown))
        # Judged in this run, not in a callback: a callback would get the submission of the
        # previous run, stale if a widget changed in between.
        if st.button(
            tr("lesson.challenge_submit"),
            key=f"{a}_challenge_submit_{lesson.id}",
            icon=":material/flag:",
        ):
            _submit(book, actor, challenge, submission, state)
        verdict = state.get("verdict")
        if state.get("outcome") == "not_saved":
            st.error(tr("errors.not_saved"))
        if verdict is None:
            return
        if not verdict.ready:
            wanted = ", ".join(
                tr(
                    "lesson.setup_item",
                    what=tr(f"{a}.setup.{key}"),
                    value=book.setup_value(challenge.setup[key]),
                )
                for key in verdict.mismatched
            )
            st.warning(tr("lesson.challenge_setup", wanted=wanted), icon=":material/tune:")
        elif verdict.correct:
            st.success(tr("lesson.challenge_done"), icon=":material/emoji_events:")
        else:
            st.error(
                tr(f"{a}.feedback.{verdict.error_type}")
                + " "
                + tr("quiz.wrong", attempt=state["attempt"])
            )
