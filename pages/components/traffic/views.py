"""Charts shared by the traffic tabs: the comparison table and bars, queues over time, and the
intersection itself with every vehicle where SUMO put it."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.traffic.errors import TrafficInputError
from core.traffic.geometry import drawing
from core.traffic.simulation import SimResult
from pages.components.session import tr

METRICS = ("mean_waiting_s", "mean_travel_time_s", "throughput", "mean_queue")


def explain(error: TrafficInputError) -> None:
    st.error(tr(f"traffic.error.{error.code}", **error.values), icon=":material/error:")


def name(controller: str) -> str:
    return (
        tr("traffic.controller.rl")
        if controller.startswith("rl:")
        else tr(f"traffic.controller.{controller}")
    )


def table(results: Sequence[SimResult]) -> None:
    rows = [
        {
            tr("traffic.controller_label"): name(r.controller),
            **{tr(f"traffic.metric.{m}"): round(float(getattr(r, m)), 1) for m in METRICS},
        }
        for r in results
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True)


def bars(results: Sequence[SimResult], key: str) -> None:
    figure = go.Figure(
        go.Bar(
            x=[name(r.controller) for r in results],
            y=[r.mean_waiting_s for r in results],
            text=[f"{r.mean_waiting_s:.1f}" for r in results],
            marker_color=["#9aa5b1", "#5b8def", "#2bb673", "#f28e2b"][: len(results)],
        )
    )
    figure.update_layout(
        yaxis_title=tr("traffic.metric.mean_waiting_s"), height=300, margin={"t": 20, "b": 10}
    )
    with st.container(key=key):
        st.plotly_chart(figure, width="stretch")


def queues(results: Sequence[SimResult], key: str) -> None:
    figure = go.Figure()
    for r in results:
        figure.add_trace(go.Scatter(x=r.times, y=r.queue, mode="lines", name=name(r.controller)))
    figure.update_layout(
        xaxis_title=tr("traffic.seconds"),
        yaxis_title=tr("traffic.metric.mean_queue"),
        height=300,
        margin={"t": 20, "b": 10},
    )
    with st.container(key=key):
        st.plotly_chart(figure, width="stretch")


LIGHT = {"G": "#2bb673", "g": "#2bb673", "y": "#f2c12e", "r": "#e5484d", "s": "#e5484d"}


def intersection(result: SimResult, key: str) -> None:
    """The network's lanes, every vehicle at a moment the learner picks (red when stopped), and
    each signal coloured by its current state."""
    if not result.frames:
        return
    times = [f.time for f in result.frames]
    moment = st.select_slider(
        tr("traffic.moment"), times, value=times[len(times) // 2], key=f"{key}_t"
    )
    frame = result.frames[times.index(moment)]
    net = drawing(result.network)
    figure = go.Figure()
    for lane in net.lanes:
        xs, ys = zip(*lane, strict=True)
        figure.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={"color": "#c8ccd2", "width": 6},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    colours = ["#e5484d" if h else "#1f6feb" for h in frame.halted]
    figure.add_trace(
        go.Scatter(
            x=frame.x,
            y=frame.y,
            mode="markers",
            marker={"size": 8, "color": colours},
            showlegend=False,
            hoverinfo="skip",
        )
    )
    for ts, index, x, y in net.heads:  # one light per lane at its stop line
        state = frame.lights.get(ts, "")
        colour = LIGHT.get(state[index], "#e5484d") if index < len(state) else "#9aa5b1"
        figure.add_trace(
            go.Scatter(x=[x], y=[y], mode="markers", showlegend=False, hoverinfo="skip",
                       marker={"size": 11, "symbol": "square", "color": colour,
                               "line": {"color": "#222", "width": 1}})
        )  # fmt: skip
    x0, y0, x1, y1 = net.bounds
    figure.update_layout(
        height=420,
        margin={"t": 10, "b": 10, "l": 10, "r": 10},
        xaxis={"visible": False, "range": [x0 - 10, x1 + 10]},
        yaxis={"visible": False, "range": [y0 - 10, y1 + 10], "scaleanchor": "x"},
    )
    with st.container(key=key):
        st.plotly_chart(figure, width="stretch")
    st.caption(
        tr(
            "traffic.frame_caption",
            stopped=sum(frame.halted),
            moving=len(frame.halted) - sum(frame.halted),
        )
    )
