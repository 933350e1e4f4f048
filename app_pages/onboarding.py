"""Getting started: how Zerde works and what it records, with a short quiz that is recorded too."""

from __future__ import annotations

import streamlit as st

from app_pages.components.quiz import quiz_item
from app_pages.components.session import require_actor, tr
from core.quiz import load_quiz, solved_count
from core.telemetry import NEVER, item_history

ACTIVITY = "onboarding"

actor = require_actor()
st.title(tr("onboarding.title"))
st.markdown(tr("onboarding.intro"))
with st.expander(tr("onboarding.recorded_title"), icon=":material/visibility:"):
    st.markdown(tr("onboarding.recorded_body"))

items = load_quiz(ACTIVITY)
history = item_history(actor, ACTIVITY)  # once per page run: every count below comes from it
for number, item in enumerate(items, start=1):
    quiz_item(actor, ACTIVITY, item, number, history.get(item.id, NEVER))
solved = solved_count(items, history)
st.progress(solved / len(items), text=tr("onboarding.progress", solved=solved, total=len(items)))
if solved == len(items):
    st.success(tr("onboarding.done"), icon=":material/celebration:")
