"""Home: what each lab teaches, and the learner's progress at a glance."""

from __future__ import annotations

import streamlit as st

from app_pages.components.progress_view import metrics
from app_pages.components.session import require_actor, tr
from app_pages.components.user_text import user_text
from core.labs import LABS
from core.progress import progress_overview
from core.telemetry import load_events

actor = require_actor()
st.title(tr("home.welcome", name=user_text(actor.display_name)))
st.markdown(tr("home.intro"))

overview = progress_overview(load_events(actor, [actor.user_id]))
st.subheader(tr("home.progress_title"))
if overview.answered == 0:
    st.info(tr("home.no_progress"), icon=":material/flag:")
    st.page_link("app_pages/onboarding.py", label=tr("home.start_here"), icon=":material/school:")
else:
    metrics(overview)
    st.page_link(
        "app_pages/my_progress.py", label=tr("home.see_progress"), icon=":material/insights:"
    )

st.subheader(tr("home.labs_title"))
PER_ROW = 3
for start in range(0, len(LABS), PER_ROW):
    row = st.columns(PER_ROW)
    for column, lab in zip(row, LABS[start : start + PER_ROW], strict=False):
        with column.container(border=True, height="stretch"):
            st.subheader(tr(lab.title_key), anchor=False)
            st.markdown(tr(lab.summary_key))
            if lab.available:
                st.page_link(lab.page, label=tr("home.open_lab"), icon=lab.icon)
            else:
                st.caption(f":material/construction: {tr('home.lab_coming')}")
