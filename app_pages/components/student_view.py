"""One student's drill-down: summary, profile, mastery curves, timeline, what to do next."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

from app_pages.components.class_views import CHART, result_colours
from app_pages.components.progress_view import percent
from app_pages.components.session import lang, tr
from core.analytics.report import Recommendation, StudentReport
from core.analytics.summary import error_label, skill_label


def recommendation_cards(found: list[Recommendation]) -> None:
    for rec in found:
        with st.container(border=True):
            st.markdown(
                f"**{skill_label(rec.skill, lang())}** · {tr('dashboard.mastery')} "
                f"{percent(rec.p_mastery)}"
            )
            if rec.top_error_type:
                st.caption(
                    tr("dashboard.main_mistake", mistake=error_label(rec.top_error_type, lang()))
                )
            st.page_link(rec.page, label=tr(rec.lab_title_key), icon=":material/arrow_forward:")


def mastery_curves(report: StudentReport) -> None:
    timeline = report.timeline.copy()
    if timeline.empty:
        return
    timeline["answer"] = timeline.groupby("skill").cumcount() + 1
    timeline["skill_label"] = [skill_label(str(s), lang()) for s in timeline["skill"]]
    figure = px.line(
        timeline,
        x="answer",
        y="p_after",
        color="skill_label",
        markers=True,
        range_y=[0, 1],
        labels={"answer": tr("dashboard.answer_number"), "p_after": tr("dashboard.mastery"),
                "skill_label": ""},
    )  # fmt: skip
    figure.update_layout(height=360, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    st.plotly_chart(figure, config=CHART, key="mastery_curves")


def attempts_timeline(report: StudentReport) -> None:
    timeline = report.timeline.copy()
    if timeline.empty:
        return
    timeline["skill_label"] = [skill_label(str(s), lang()) for s in timeline["skill"]]
    timeline["result"] = timeline["correct"].map(
        lambda c: tr("dashboard.right") if c else tr("dashboard.wrong")
    )
    timeline["seconds"] = timeline["decision_ms"] / 1000
    timeline["mistake"] = [
        "" if pd.isna(e) else error_label(str(e), lang()) for e in timeline["error_type"]
    ]
    figure = px.scatter(
        timeline,
        x="answered_at",
        y="skill_label",
        color="result",
        size="seconds",
        size_max=18,
        hover_data={"seconds": ":.1f", "attempt": True, "hints_used": True, "mistake": True},
        labels={"answered_at": "", "skill_label": "", "result": ""},
        color_discrete_map=result_colours(),
    )
    figure.update_layout(height=320, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    st.plotly_chart(figure, config=CHART, key="attempts_timeline")


def student_tab(report: StudentReport, summary: str) -> None:
    st.info(summary, icon=":material/person_search:")
    if report.profile is not None:
        profile = tr(f"profiles.{report.profile.profile}")
        why = ", ".join(tr(f"profiles.reason.{r}") for r in report.profile.reasons)
        st.markdown(f"**{tr('dashboard.profile')}:** {profile} — {why}")
        if report.profile.stuck_skill:
            st.warning(
                tr("dashboard.stuck_on", skill=skill_label(report.profile.stuck_skill, lang())),
                icon=":material/warning:",
            )
    st.subheader(tr("dashboard.next_title"))
    recommendation_cards(report.recommendations)
    st.subheader(tr("dashboard.curves_title"))
    mastery_curves(report)
    st.subheader(tr("dashboard.timeline_title"))
    attempts_timeline(report)
