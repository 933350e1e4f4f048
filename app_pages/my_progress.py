"""My progress: mastery per skill, XP, badges and streak, what to practise next, and a full
export of everything stored about me. Only ever the signed-in student's own data."""

from __future__ import annotations

from datetime import UTC, datetime

import plotly.express as px
import streamlit as st

from app_pages.components.class_views import CHART
from app_pages.components.data_requests import my_data_controls
from app_pages.components.password_forms import change_password_form
from app_pages.components.plots import plot
from app_pages.components.progress_view import (
    mastery_table,
    metrics,
    rewards_metrics,
    skills_table,
    uncertain_caption,
)
from app_pages.components.session import lang, require_actor, tr, when
from app_pages.components.student_view import recommendation_cards
from core.analytics.report import recommendations, student_mastery
from core.analytics.summary import skill_label
from core.exports import events_csv
from core.progress import progress_overview
from core.rewards import rewards
from core.telemetry import export_user_data
from core.telemetry.export import full_export

actor = require_actor()
st.title(tr("progress.title"))

export = export_user_data(actor, actor.user_id)
overview = progress_overview(export.events)
table = student_mastery(actor, export.events)  # the class's model: what the teacher sees
rewards_metrics(rewards(export.events, datetime.now(UTC).date()))  # as the quest shows
metrics(overview)
if overview.answered:
    st.subheader(tr("progress.mastery_title"))
    sure = table[table["state"] != "uncertain"]  # "not enough evidence yet": no bar
    chart = sure.assign(
        label=[skill_label(str(s), lang()) for s in sure["skill"]],
        percent=100 * sure["p_mastery"],
    )
    figure = px.bar(
        chart, x="percent", y="label", orientation="h", range_x=[0, 100],
        labels={"percent": tr("dashboard.mastery"), "label": ""},
        color="percent", color_continuous_scale="RdYlGn", range_color=[0, 100],
    )  # fmt: skip
    figure.update_layout(
        height=80 + 34 * len(chart), coloraxis_showscale=False,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
    )  # fmt: skip
    if len(chart):
        plot(figure, config=CHART, key="my_mastery")
    uncertain_caption(table)
    mastery_table(table, key="my_mastery_table")
    st.subheader(tr("progress.next_title"))
    recommendation_cards(recommendations(table, actor.user_id))
    st.subheader(tr("progress.by_skill"))
    skills_table(overview)
    st.caption(tr("progress.last_active", when=when(overview.last_active)))  # reader's clock
else:
    st.info(tr("home.no_progress"), icon=":material/flag:")

st.subheader(tr("progress.export_title"))
st.markdown(tr("progress.export_body"))
left, right = st.columns(2)
left.download_button(
    tr("progress.download_json"),
    data=lambda: full_export(actor, actor.user_id).to_json(),  # built on click
    file_name=f"zerde-{actor.username}.json",
    mime="application/json",
    icon=":material/download:",
    on_click="ignore",
)
right.download_button(
    tr("progress.download_csv"),
    data=events_csv(export.events),
    file_name=f"zerde-{actor.username}.csv",
    mime="text/csv",
    icon=":material/download:",
    on_click="ignore",
)

my_data_controls(actor)  # the full ZIP and asking for deletion
change_password_form(actor)
