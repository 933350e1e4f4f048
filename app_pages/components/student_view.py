"""One student's drill-down: summary, profile, mastery curves, timeline, what to do next."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app_pages.components.class_views import CHART, result_colours
from app_pages.components.plots import plot
from app_pages.components.progress_view import mastery_table, percent
from app_pages.components.session import lang, tr
from core.analytics.report import Recommendation, StudentReport
from core.analytics.summary import error_label, skill_label


def recommendation_cards(found: list[Recommendation]) -> None:
    for rec in found:
        with st.container(border=True):
            st.markdown(
                f"**{skill_label(rec.skill, lang())}** · {tr('dashboard.mastery')} "
                + (tr("mastery.state.uncertain") if rec.uncertain else percent(rec.p_mastery))
            )
            if rec.top_error_type:
                st.caption(
                    tr("dashboard.main_mistake", mistake=error_label(rec.top_error_type, lang()))
                )
            st.page_link(rec.page, label=tr(rec.lab_title_key), icon=":material/arrow_forward:")


def mastery_curves(report: StudentReport) -> None:
    timeline = report.timeline
    if timeline.empty:
        return
    figure = go.Figure()
    for skill, answers in timeline.groupby("skill", sort=True):
        figure.add_trace(
            go.Scatter(
                x=list(range(1, len(answers) + 1)),
                y=answers["p_after"],
                mode="lines+markers",
                name=skill_label(str(skill), lang()),
                hovertemplate="%{x}: %{y:.0%}",
            )
        )
    figure.update_layout(
        height=360, margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"title": tr("dashboard.answer_number")},
        yaxis={"title": tr("dashboard.mastery"), "range": [0, 1], "tickformat": ".0%"},
    )  # fmt: skip
    plot(figure, config=CHART, key="mastery_curves")


def attempts_timeline(report: StudentReport) -> None:
    timeline = report.timeline
    if timeline.empty:
        return
    labels = {s: skill_label(str(s), lang()) for s in timeline["skill"].unique()}
    shown = pd.DataFrame(
        {
            "at": timeline["answered_at"],
            "skill": timeline["skill"].map(labels),
            "seconds": timeline["decision_ms"] / 1000,
            "attempt": timeline["attempt"],
            "hints": timeline["hints_used"],
            "mistake": [
                "" if pd.isna(e) else error_label(str(e), lang()) for e in timeline["error_type"]
            ],
            "correct": timeline["correct"].astype(bool),
        }
    )
    hover = "<br>".join(
        [
            "%{y} · %{x}",
            f"{tr('dashboard.seconds')}: %{{customdata[0]:.1f}}",
            tr("dashboard.hover_attempt", n="%{customdata[1]}"),
            tr("dashboard.hover_hints", n="%{customdata[2]}"),
            "%{customdata[3]}",
        ]
    )
    sizeref = 2 * float(shown["seconds"].max()) / 18**2  # the slowest answer 18 px across
    colours = result_colours()
    figure = go.Figure()
    for correct, result in ((True, tr("dashboard.right")), (False, tr("dashboard.wrong"))):
        mine = shown[shown["correct"] == correct]
        if mine.empty:
            continue
        marker = {"size": mine["seconds"], "sizemode": "area", "sizeref": sizeref,
                  "sizemin": 3, "color": colours[result]}  # fmt: skip
        figure.add_trace(
            go.Scatter(
                x=mine["at"],
                y=mine["skill"],
                mode="markers",
                name=result,
                marker=marker,
                customdata=mine[["seconds", "attempt", "hints", "mistake"]].to_numpy(),
                hovertemplate=hover + "<extra></extra>",
            )
        )
    figure.update_layout(height=320, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    plot(figure, config=CHART, key="attempts_timeline")


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
    st.subheader(tr("progress.mastery_title"))
    mastery_table(report.mastery, key="student_mastery_table")
    st.subheader(tr("dashboard.next_title"))
    recommendation_cards(report.recommendations)
    st.subheader(tr("dashboard.curves_title"))
    mastery_curves(report)
    st.subheader(tr("dashboard.timeline_title"))
    attempts_timeline(report)
