"""My progress: per-skill results and a full export of everything stored about me."""

from __future__ import annotations

import streamlit as st

from core.progress import progress_overview
from core.telemetry import export_user_data
from pages.components.progress_view import metrics, skills_table
from pages.components.session import require_actor, tr

actor = require_actor()
st.title(tr("progress.title"))

export = export_user_data(actor, actor.user_id)
overview = progress_overview(export.events)
metrics(overview)
if overview.answered:
    st.subheader(tr("progress.by_skill"))
    skills_table(overview)
    st.caption(tr("progress.last_active", when=f"{overview.last_active:%Y-%m-%d %H:%M} UTC"))
else:
    st.info(tr("home.no_progress"), icon=":material/flag:")

st.subheader(tr("progress.export_title"))
st.markdown(tr("progress.export_body"))
left, right = st.columns(2)
left.download_button(
    tr("progress.download_json"),
    data=export.to_json(),
    file_name=f"zerde-{actor.username}.json",
    mime="application/json",
    icon=":material/download:",
    on_click="ignore",
)
right.download_button(
    tr("progress.download_csv"),
    data=export.to_csv(),
    file_name=f"zerde-{actor.username}.csv",
    mime="text/csv",
    icon=":material/download:",
    on_click="ignore",
)
