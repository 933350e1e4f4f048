"""Class-level views of the analytics: mastery heatmap, topic difficulty, the mistakes that
dominate each topic, decision times. Pure rendering: every number comes from core.analytics."""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app_pages.components.plots import plot
from app_pages.components.session import lang, pct, tr
from core.analytics.report import ClassAnalytics
from core.analytics.summary import error_label, skill_label

CHART = {"displaylogo": False}
MISTAKE_COLOUR = "#b45309"
# A mistake's name on the chart's axis is wrapped at this many characters: the longest names
# (Kazakh, Russian) take two or three lines instead of pushing the bars off the chart.
LABEL_WIDTH = 30


def result_colours() -> dict[str, str]:
    return {tr("dashboard.right"): "#15803d", tr("dashboard.wrong"): "#b91c1c"}


def _skills(columns: pd.Index) -> list[str]:
    return [skill_label(str(c), lang()) for c in columns]


def wrapped(text: str, width: int = LABEL_WIDTH) -> str:
    """A label broken into lines for a chart axis (plotly breaks lines at <br> only)."""
    return "<br>".join(textwrap.wrap(text, width)) or text


def heatmap(analytics: ClassAnalytics) -> None:
    table = analytics.heatmap()
    states = analytics.heatmap_states().reindex(index=table.index, columns=table.columns)
    # "Not enough evidence yet": no colour and a question mark instead of a confident number.
    table = table.mask(states == "uncertain")
    unsure = states == "uncertain"
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
            text=[
                [
                    tr("mastery.unsure_cell") if u else ("" if pd.isna(v) else pct(v))
                    for v, u in zip(row, unsure_row, strict=True)
                ]
                for row, unsure_row in zip(table.to_numpy(), unsure.to_numpy(), strict=True)
            ],
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
    plot(figure, config=CHART, key="heatmap")
    st.caption(f"{tr('mastery.unsure_cell')} = {tr('mastery.state.uncertain')}")


def difficulty(analytics: ClassAnalytics) -> None:
    ranked = analytics.difficulty()
    if ranked.empty:
        return
    figure = go.Figure(
        go.Bar(
            x=ranked["mean_mastery"],
            y=_skills(pd.Index(ranked["skill"])),
            orientation="h",
            marker={"color": ranked["mean_mastery"], "colorscale": "RdYlGn", "cmin": 0, "cmax": 1},
            hovertemplate="%{y}: %{x:.0%}<extra></extra>",
        )
    )
    figure.update_layout(
        height=60 + 34 * len(ranked), margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"range": [0, 1], "tickformat": ".0%", "title": tr("dashboard.mean_mastery")},
        yaxis={"autorange": "reversed", "automargin": True},
    )  # fmt: skip
    plot(figure, config=CHART, key="difficulty")


def mistakes_figure(rows: pd.DataFrame) -> go.Figure:
    """One topic's top mistakes as horizontal bars, most students first: the bar is the share
    of the topic's students who made the mistake, the axis names it (wrapped), the hover gives
    the full name and the counts. One colour and no legend: the names are on the axis."""
    names = [error_label(str(code), lang()) for code in rows["error_type"]]
    counts = list(zip(rows["students"], rows["practised"], rows["n"], strict=True))
    hover = tr("dashboard.mistake_hover", students="%{customdata[1]}",
               practised="%{customdata[2]}", n="%{customdata[3]}")  # fmt: skip
    figure = go.Figure(
        go.Bar(
            x=[float(x) for x in rows["share_students"]],
            y=[wrapped(name) for name in names],
            orientation="h",
            marker={"color": MISTAKE_COLOUR},
            text=[tr("dashboard.mistake_bar", students=s, practised=p) for s, p, _ in counts],
            textposition="auto",
            customdata=[[name, s, p, n] for name, (s, p, n) in zip(names, counts, strict=True)],
            hovertemplate=f"<b>%{{customdata[0]}}</b><br>{hover}<extra></extra>",
        )
    )
    figure.update_layout(
        height=90 + 56 * len(rows),
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        showlegend=False,
        xaxis={"range": [0, 1], "tickformat": ".0%", "title": tr("dashboard.share_of_students")},
        yaxis={"autorange": "reversed", "automargin": True},
    )
    return figure


def mistakes_table(top: pd.DataFrame) -> pd.DataFrame:
    """Every topic's top mistakes with translated names, for the table under the chart."""
    return pd.DataFrame(
        {
            "topic": [skill_label(str(s), lang()) for s in top["skill"]],
            "mistake": [error_label(str(e), lang()) for e in top["error_type"]],
            "students": 100 * top["share_students"].astype(float),
            "count": top["students"].astype(int),
            "n": top["n"].astype(int),
        }
    )


def mistakes(analytics: ClassAnalytics) -> None:
    top = analytics.top_mistakes()
    if top.empty:
        st.caption(tr("dashboard.no_errors"))
        return
    topics = list(dict.fromkeys(str(s) for s in top["skill"]))  # most mistakes first
    labels = [skill_label(s, lang()) for s in topics]
    chosen = st.selectbox(
        tr("dashboard.mistakes_topic"),
        range(len(topics)),
        format_func=labels.__getitem__,
        key="mistakes_topic",
    )
    st.caption(tr("dashboard.mistakes_help"))
    rows = top[top["skill"] == topics[chosen or 0]]
    plot(mistakes_figure(rows), config=CHART, key="mistakes")
    with st.expander(tr("dashboard.mistakes_table"), icon=":material/table:"):
        st.dataframe(
            mistakes_table(top),
            hide_index=True,
            width="stretch",
            column_config={
                "topic": tr("dashboard.col_topic"),
                "mistake": st.column_config.TextColumn(tr("dashboard.col_mistake"), width="large"),
                "students": st.column_config.ProgressColumn(
                    tr("dashboard.share_of_students"), min_value=0, max_value=100, format="%.0f%%"
                ),
                "count": tr("dashboard.col_students"),
                "n": tr("dashboard.col_times"),
            },
        )


def decision_times(analytics: ClassAnalytics) -> None:
    stats = analytics.decision_times
    if stats.empty:
        return
    colours = result_colours()
    figure = go.Figure()
    for correct, result in ((True, tr("dashboard.right")), (False, tr("dashboard.wrong"))):
        part = stats[stats["correct"] == correct]
        if part.empty:
            continue
        figure.add_trace(
            go.Box(
                x=_skills(pd.Index(part["skill"])),
                q1=part["q1"],
                median=part["median"],
                q3=part["q3"],
                lowerfence=part["lower"],
                upperfence=part["upper"],
                name=result,
                marker={"color": colours[result]},
            )
        )
    figure.update_layout(
        boxmode="group", height=380, margin={"l": 10, "r": 10, "t": 10, "b": 10},
        yaxis={"type": "log", "title": tr("dashboard.seconds")},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
    )  # fmt: skip
    plot(figure, config=CHART, key="decision_times")


def class_tab(analytics: ClassAnalytics) -> None:
    st.subheader(tr("dashboard.heatmap_title"))
    st.caption(tr("dashboard.heatmap_help"))
    heatmap(analytics)
    st.subheader(tr("dashboard.difficulty_title"))
    difficulty(analytics)
    st.subheader(tr("dashboard.misconceptions_title"))
    mistakes(analytics)
    st.subheader(tr("dashboard.times_title"))
    st.caption(tr("dashboard.times_help"))
    decision_times(analytics)
