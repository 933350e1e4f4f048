"""Machine-learning lessons: supervised, unsupervised and semi-supervised learning, each trained
live on shipped, generated or the learner's own data. Each lesson runs the same loop (read,
predict, experiment, challenge: pages/components/ml/frame.py); the experiments live in
pages/components/ml/lesson_*.py, the computations in core/ml/."""

from __future__ import annotations

import streamlit as st

from core.ml.challenges import CHALLENGES
from core.ml.lessons import BY_ID, FAMILIES, lessons_of, progress
from core.telemetry import load_events
from pages.components.ml import EXPERIMENTS
from pages.components.ml.frame import challenge_card, explanation, prediction
from pages.components.session import require_actor, tr

FAMILY = "ml_family"
LESSON = "ml_lesson"

actor = require_actor()
st.title(tr("labs.ml.title"))
st.caption(tr("ml.intro"))

status = progress(load_events(actor, [actor.user_id]))
family_labels = {family: tr(f"ml.family.{family}") for family in FAMILIES}
family = (
    st.segmented_control(
        tr("ml.family_label"),
        FAMILIES,
        default=FAMILIES[0],
        format_func=family_labels.__getitem__,
        key=FAMILY,
        label_visibility="collapsed",
    )
    or FAMILIES[0]
)


def _mark(lesson_id: str) -> str:
    done = status[lesson_id]
    finished = done.challenge_solved or (lesson_id not in CHALLENGES and done.predicted)
    return " ✓" if finished else ""


lessons = [lesson.id for lesson in lessons_of(family)]
lesson_labels = {lid: tr(f"ml.lesson.{lid}") + _mark(lid) for lid in lessons}
chosen = st.pills(
    tr("ml.lesson_label"),
    lessons,
    default=lessons[0],
    format_func=lesson_labels.__getitem__,
    key=f"{LESSON}_{family}",
)
lesson = BY_ID[chosen or lessons[0]]
mine = status[lesson.id]

st.header(tr(f"ml.lesson.{lesson.id}"), anchor=False, divider="gray")
explanation(lesson, expanded=not mine.predicted)
if prediction(actor, lesson, done_before=mine.predicted):
    submission = EXPERIMENTS[lesson.id](actor)
    challenge_card(actor, lesson, submission, solved_before=mine.challenge_solved)
else:
    st.info(tr("ml.predict_first"), icon=":material/psychology:")
