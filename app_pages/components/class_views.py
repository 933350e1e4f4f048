"""Class-level views of the analytics: mastery heatmap, topic difficulty, misconceptions,
decision times. Pure rendering: every number comes from core.analytics."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from app_pages.components.session import lang, tr
from core.analytics.report import ClassAnalytics
from core.analytics.summary import error_label, skill_label

CHART = {"displaylogo": False}


def result_colours() -> dict[str, str]:
    return {tr("dashboard.right"): "#15803d", tr("dashboard.wrong"): "#b91c1c"}


def _skills(columns: pd.Index) -> list[str]:
    return [skill_label(str(c), lang()) for c in columns]


def heatmap(analytics: ClassAnalytics) -> None:
    table = analytics.heatmap()
    labels = {"name": tr("dashboard.sort_name"), "mean": tr("dashboard.sort_mean")}
    labels |= {str(c): skill_label(str(c), lang()) for c in table.columns}
    order = st.selectbox(
        tr("dashboard.sort_by"), list(labels), format_func=labels.__getitem__, key="heatmap_sort"
    )
    if order == "name":
        table = table.sort_index()
    elif order == "mean":
        table = table.loc[table.mean(axis=1).sort_values().index]
    else:
        table = table.sort_values(order, na_position="last")
    figure = go.Figure(
        go.Heatmap(
            z=table.to_numpy(),
            x=_skills(table.columns),
            y=list(table.index),
            zmin=0,
            zmax=1,
            colorscale="RdYlGn",
            text=[[("" if pd.isna(v) else f"{v:.0%}") for v in row] for row in table.to_numpy()],
            texttemplate="%{text}",
            colorbar={"title": tr("dashboard.mastery")},
            hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
        )
    )
    figure.update_layout(
        height=max(320, 28 * len(table) + 120),
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        yaxis={"autorange": "reversed"},
    )
    st.plotly_chart(figure, config=CHART, key="heatmap")


def difficulty(analytics: ClassAnalytics) -> None:
    ranked = analytics.difficulty()
    if ranked.empty:
        return
    ranked["label"] = _skills(pd.Index(ranked["skill"]))
    figure = px.bar(
        ranked,
        x="mean_mastery",
        y="label",
        orientation="h",
        range_x=[0, 1],
        labels={"mean_mastery": tr("dashboard.mean_mastery"), "label": ""},
        color="mean_mastery",
        color_continuous_scale="RdYlGn",
        range_color=[0, 1],
    )
    figure.update_layout(
        height=60 + 34 * len(ranked), margin={"l": 10, "r": 10, "t": 10, "b": 10},
        yaxis={"autorange": "reversed"}, coloraxis_showscale=False,
    )  # fmt: skip
    st.plotly_chart(figure, config=CHART, key="difficulty")


def misconceptions(analytics: ClassAnalytics) -> None:
    errors = analytics.error_breakdown()
    if errors.empty:
        st.caption(tr("dashboard.no_errors"))
        return
    errors["skill_label"] = _skills(pd.Index(errors["skill"]))
    errors["mistake"] = [error_label(str(e), lang()) for e in errors["error_type"]]
    figure = px.bar(
        errors,
        x="share",
        y="skill_label",
        color="mistake",
        orientation="h",
        labels={"share": tr("dashboard.share_of_errors"), "skill_label": "", "mistake": ""},
        hover_data={"n": True},
    )
    figure.update_layout(
        barmode="stack", height=80 + 34 * errors["skill"].nunique(),
        margin={"l": 10, "r": 10, "t": 10, "b": 10}, xaxis={"tickformat": ".0%"},
        legend={"orientation": "h", "y": -0.2},
    )  # fmt: skip
    st.plotly_chart(figure, config=CHART, key="misconceptions")


def decision_times(analytics: ClassAnalytics) -> None:
    graded = analytics.events[analytics.events["correct"].notna()].copy()
    if graded.empty:
        return
    graded["seconds"] = graded["decision_ms"] / 1000
    graded["skill_label"] = _skills(pd.Index(graded["skill"]))
    graded["result"] = graded["correct"].map(
        lambda c: tr("dashboard.right") if c else tr("dashboard.wrong")
    )
    figure = px.box(
        graded,
        x="skill_label",
        y="seconds",
        color="result",
        log_y=True,
        points=False,
        labels={"seconds": tr("dashboard.seconds"), "skill_label": "", "result": ""},
        color_discrete_map=result_colours(),
    )
    figure.update_layout(height=380, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    st.plotly_chart(figure, config=CHART, key="decision_times")


def class_tab(analytics: ClassAnalytics) -> None:
    st.subheader(tr("dashboard.heatmap_title"))
    st.caption(tr("dashboard.heatmap_help"))
    heatmap(analytics)
    left, right = st.columns(2)
    with left:
        st.subheader(tr("dashboard.difficulty_title"))
        difficulty(analytics)
    with right:
        st.subheader(tr("dashboard.misconceptions_title"))
        misconceptions(analytics)
    st.subheader(tr("dashboard.times_title"))
    st.caption(tr("dashboard.times_help"))
    decision_times(analytics)
