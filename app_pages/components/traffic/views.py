"""Charts shared by the traffic tabs: the comparison table and bars, queues over time, and the
intersection itself with every vehicle where SUMO put it. Each controller has one colour on
every chart of the lab (COLOURS)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app_pages.components.numbers import params
from app_pages.components.numbers import table as show_table
from app_pages.components.plots import plot
from app_pages.components.session import num, tr
from core.traffic.errors import TrafficInputError
from core.traffic.geometry import Drawing, drawing
from core.traffic.simulation import Frame, SimResult
from core.traffic.summary import Summary

METRICS = ("mean_waiting_s", "mean_delay_s", "mean_travel_time_s", "throughput", "mean_queue")
COLOURS = {
    "fixed_time": "#9aa5b1",
    "tuned_fixed_time": "#5b8def",
    "alternating": "#b07aa1",
    "max_pressure": "#2bb673",
    "rl": "#f28e2b",
}


def colour(controller: str) -> str:
    return COLOURS["rl" if controller.startswith("rl:") else controller]


def explain(error: TrafficInputError) -> None:
    st.error(tr(f"traffic.error.{error.code}", **params(error.values)), icon=":material/error:")


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
            **{tr(f"traffic.metric.{m}"): float(getattr(r, m)) for m in METRICS},
        }
        for r in results
    ]
    show_table(pd.DataFrame(rows), 1, hide_index=True)


def bars(results: Sequence[SimResult], key: str) -> None:
    figure = go.Figure()
    for metric in ("mean_waiting_s", "mean_delay_s"):
        figure.add_trace(
            go.Bar(
                x=[name(r.controller) for r in results],
                y=[getattr(r, metric) for r in results],
                text=[num(getattr(r, metric), 1) for r in results],
                marker_color=[colour(r.controller) for r in results],
                marker_pattern_shape="" if metric == "mean_waiting_s" else "/",
                name=tr(f"traffic.metric.{metric}"),
            )
        )
    figure.update_layout(
        barmode="group", yaxis_title=tr("traffic.seconds_per_vehicle"), height=320,
        margin={"t": 20, "b": 10}, legend={"orientation": "h", "y": 1.12},
    )  # fmt: skip
    with st.container(key=key):
        plot(figure, width="stretch")


def summary_table(summaries: Sequence[Summary]) -> None:
    """Means over the test seeds with their 95 % interval."""
    rows = [
        {
            tr("traffic.controller_label"): name(s.controller),
            tr("traffic.metric.mean_waiting_s"): s.waiting.mean,
            tr("traffic.interval"): f"{num(s.waiting.low, 1)} – {num(s.waiting.high, 1)}",
            tr("traffic.metric.mean_delay_s"): s.delay.mean,
            tr("traffic.delay_interval"): f"{num(s.delay.low, 1)} – {num(s.delay.high, 1)}",
            tr("traffic.metric.throughput"): s.throughput,
        }
        for s in summaries
    ]
    show_table(pd.DataFrame(rows), 1, hide_index=True)


def summary_bars(summaries: Sequence[Summary], key: str) -> None:
    """Mean waiting over the test seeds, the whiskers its 95 % interval."""
    figure = go.Figure(
        go.Bar(
            x=[name(s.controller) for s in summaries],
            y=[s.waiting.mean for s in summaries],
            text=[num(s.waiting.mean, 1) for s in summaries],
            marker_color=[colour(s.controller) for s in summaries],
            error_y={
                "type": "data",
                "symmetric": False,
                "array": [s.waiting.high - s.waiting.mean for s in summaries],
                "arrayminus": [s.waiting.mean - s.waiting.low for s in summaries],
            },
        )
    )
    figure.update_layout(
        yaxis_title=tr("traffic.metric.mean_waiting_s"), height=320, margin={"t": 20, "b": 10}
    )
    with st.container(key=key):
        plot(figure, width="stretch")


def queues(results: Sequence[SimResult], key: str) -> None:
    figure = go.Figure()
    for r in results:
        figure.add_trace(
            go.Scatter(
                x=r.times, y=r.queue, mode="lines", name=name(r.controller),
                line={"color": colour(r.controller)},
            )
        )  # fmt: skip
    figure.update_layout(
        xaxis_title=tr("traffic.seconds"),
        yaxis_title=tr("traffic.metric.mean_queue"),
        height=300,
        margin={"t": 20, "b": 10},
    )
    with st.container(key=key):
        plot(figure, width="stretch")


RANK = "Ggyursox"  # most to least permissive; anything unknown ranks last
LIGHT = {"G": "#2bb673", "g": "#2bb673", "y": "#f2c12e", "r": "#e5484d", "s": "#e5484d"}


def intersection(result: SimResult, key: str) -> None:
    """The network's lanes, every vehicle (red when stopped) and each lane's light, as an
    animation that plays in the browser: Play shows the whole run on the projector without a
    rerun per moment, and the slider stops at any moment. It opens on the first moment, so
    Play starts from the moment shown (plotly plays from its own current frame, which it only
    knows once a frame was played or picked)."""
    if not result.frames:
        return
    net = drawing(result.network)
    lane_x: list[float | None] = []
    lane_y: list[float | None] = []
    for lane in net.lanes:
        lane_x += [x for x, _ in lane] + [None]
        lane_y += [y for _, y in lane] + [None]
    roads = go.Scatter(x=lane_x, y=lane_y, mode="lines", line={"color": "#c8ccd2", "width": 6},
                       hoverinfo="skip", showlegend=False)  # fmt: skip
    moments = [_moment(frame, net) for frame in result.frames]
    start = 0
    figure = go.Figure(
        data=[roads, *moments[start][0]],
        frames=[
            go.Frame(name=str(f.time), data=data, traces=[1, 2], layout=layout)
            for f, (data, layout) in zip(result.frames, moments, strict=True)
        ],
    )
    x0, y0, x1, y1 = net.bounds
    play = {"frame": {"duration": 500, "redraw": True}, "fromcurrent": True,
            "transition": {"duration": 0}}  # fmt: skip
    pause = {"mode": "immediate", "frame": {"duration": 0, "redraw": False}}
    jump = {"mode": "immediate", "frame": {"duration": 0, "redraw": True}}
    figure.update_layout(
        moments[start][1],
        height=460,
        margin={"t": 40, "b": 10, "l": 10, "r": 10},
        xaxis={"visible": False, "range": [x0 - 10, x1 + 10]},
        yaxis={"visible": False, "range": [y0 - 10, y1 + 10], "scaleanchor": "x"},
        updatemenus=[{
            "type": "buttons", "direction": "left", "x": 0, "y": 0, "xanchor": "left",
            "yanchor": "top", "pad": {"t": 10, "r": 10},
            "buttons": [
                {"label": tr("traffic.play"), "method": "animate", "args": [None, play]},
                {"label": tr("traffic.pause"), "method": "animate", "args": [[None], pause]},
            ],
        }],
        sliders=[{
            "active": start, "x": 0.2, "len": 0.8, "y": 0, "yanchor": "top",
            "currentvalue": {"prefix": tr("traffic.moment") + ": "},
            "steps": [
                {"label": num(f.time), "method": "animate", "args": [[str(f.time)], jump]}
                for f in result.frames
            ],
        }],
    )  # fmt: skip
    with st.container(key=key):
        plot(figure, width="stretch")
    st.caption(tr("traffic.frame_legend"))


def _moment(frame: Frame, net: Drawing) -> tuple[list[go.Scatter], dict[str, object]]:
    """The vehicles and lights at one moment, and the count of stopped and moving vehicles
    written over the picture."""
    vehicles = go.Scatter(
        x=frame.x,
        y=frame.y,
        mode="markers",
        marker={"size": 8, "color": ["#e5484d" if h else "#1f6feb" for h in frame.halted]},
        showlegend=False,
        hoverinfo="skip",
    )
    colours = []
    for ts, indices, _, _ in net.heads:
        state = frame.lights.get(ts, "")
        shown = [state[i] for i in indices if i < len(state)]
        # the lane's most permissive light: green if any of its movements may go
        best = min(shown, key=lambda c: RANK.find(c) % len(RANK), default="")
        colours.append(LIGHT.get(best, "#e5484d") if best else "#9aa5b1")
    lights = go.Scatter(
        x=[x for _, _, x, _ in net.heads],
        y=[y for _, _, _, y in net.heads],
        mode="markers",
        marker={"size": 11, "symbol": "square", "color": colours,
                "line": {"color": "#222", "width": 1}},
        showlegend=False,
        hoverinfo="skip",
    )  # fmt: skip
    stopped = sum(frame.halted)
    caption = tr("traffic.frame_caption", stopped=stopped, moving=len(frame.halted) - stopped)
    return [vehicles, lights], {"title": {"text": caption, "x": 0, "font": {"size": 15}}}
