"""Plotly figures for the RL lessons: reward curves, grids (the hand-played world and FrozenLake)
with values and greedy arrows, and Q-tables. Drawing only; every number comes from core.rl."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from app_pages.components.ml.charts import PALETTE, layout, show
from core.rl.gridworld import Grid

__all__ = ["animate", "board_marks", "curves", "grid_figure", "q_matrix", "show"]

Cell = tuple[int, int]
ALGO_COLOURS = {"ppo": PALETTE[0], "a2c": PALETTE[2], "dqn": PALETTE[1]}
# Symbols every font has (DejaVu, Liberation): emoji are missing on many offline Linux laptops.
GOAL, PIT, AGENT = "★", "✕", "●"
SYMBOL_COLOURS = {GOAL: "#d4a000", PIT: "#b22222", AGENT: "#1f77b4"}
VALUE_SCALE = [[0.0, "#d62728"], [0.5, "#f7f7f7"], [1.0, "#2ca02c"]]


def curves(
    lines: Mapping[str, tuple[Sequence[float], Sequence[float]]],
    *,
    x_title: str,
    y_title: str,
    target: float | None = None,
    target_label: str = "",
    colours: Mapping[str, str] | None = None,
    height: int = 380,
) -> go.Figure:
    """One line per name; a dashed line marks the goal (the task's "solved" reward)."""
    fig = go.Figure()
    for i, (name, (x, y)) in enumerate(lines.items()):
        colour = (colours or {}).get(name, PALETTE[i % len(PALETTE)])
        fig.add_scatter(x=list(x), y=list(y), name=name, mode="lines", line={"color": colour})
    if target is not None:
        fig.add_hline(
            y=target,
            line_dash="dash",
            line_color="#555",
            annotation_text=target_label,
            annotation_position="bottom right",
        )
    return layout(fig, x=x_title, y=y_title, height=height)


def board_marks(grid: Grid, agent: int | None = None) -> dict[Cell, str]:
    """The symbols of a board: its goal, its pits (the lake's holes) and, when given, the agent."""
    marks = {grid.goal: GOAL, **dict.fromkeys(grid.pits, PIT)}
    if agent is not None:
        marks[grid.cell(agent)] = AGENT
    return marks


def grid_figure(
    rows: int,
    cols: int,
    *,
    values: np.ndarray | None = None,
    arrows: Sequence[Sequence[str]] | None = None,
    marks: Mapping[Cell, str] | None = None,
    walls: frozenset[Cell] = frozenset(),
    path: Sequence[Cell] = (),
    value_title: str = "",
    height: int = 420,
) -> go.Figure:
    """A board, row 0 at the top. ``values`` colour the cells (state values, red = bad, green =
    good), ``arrows`` show the greedy action, ``marks`` put a symbol (agent, goal, hole) in a
    cell, and ``path`` draws the route walked so far."""
    shown = np.zeros((rows, cols)) if values is None else np.asarray(values, dtype=float)
    for r, c in walls:
        shown[r, c] = np.nan
    limit = float(np.nanmax(np.abs(shown))) if np.isfinite(shown).any() else 1.0
    fig = go.Figure(
        go.Heatmap(
            z=shown,
            zmin=-(limit or 1.0),
            zmax=limit or 1.0,
            colorscale=VALUE_SCALE,
            showscale=values is not None,
            colorbar={"title": value_title},
            xgap=3,
            ygap=3,
            hoverinfo="skip" if values is None else "z",
        )
    )
    for r, c in walls:
        fig.add_shape(
            type="rect", x0=c - 0.5, x1=c + 0.5, y0=r - 0.5, y1=r + 0.5,
            fillcolor="#444", line_width=0,
        )  # fmt: skip
    labels: dict[Cell, str] = {}
    if arrows is not None:
        for r in range(rows):
            for c in range(cols):
                if arrows[r][c]:
                    labels[(r, c)] = arrows[r][c]
    for cell, mark in (marks or {}).items():
        colour = SYMBOL_COLOURS.get(mark, "#222")
        labels[cell] = f'<span style="color:{colour}">{mark}</span>'
    for (r, c), text in labels.items():
        fig.add_annotation(x=c, y=r, text=text, showarrow=False, font={"size": 30})
    if path:
        fig.add_scatter(
            x=[c for _, c in path],
            y=[r for r, _ in path],
            mode="lines",
            line={"color": "#1f77b4", "width": 4},
            opacity=0.5,
            hoverinfo="skip",
            showlegend=False,
        )
    fig.update_xaxes(visible=False, range=[-0.5, cols - 0.5])
    fig.update_yaxes(visible=False, range=[rows - 0.5, -0.5], scaleanchor="x")
    return layout(fig, height=height)


def q_matrix(
    q_table: np.ndarray, actions: Sequence[str], *, x_title: str, y_title: str
) -> go.Figure:
    """The whole table, states down and actions across: too big to annotate for Taxi's 500
    states, but the colours show which states the agent has learnt about."""
    fig = go.Figure(
        go.Heatmap(
            z=q_table,
            x=list(actions),
            colorscale="RdYlGn",
            zmid=0,
            hovertemplate="%{y} · %{x}: %{z:.2f}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    return layout(fig, x=x_title, y=y_title, height=460)


def animate(figures: Sequence[go.Figure], labels: Sequence[str], *, play: str) -> go.Figure:
    """Frames of the same board played in the browser (no reruns): a slider to scrub through
    training and a play button. It opens on the last frame, what the agent finally learnt."""
    base = go.Figure(figures[-1])
    base.frames = [
        go.Frame(data=fig.data, layout={"annotations": fig.layout.annotations}, name=label)
        for fig, label in zip(figures, labels, strict=True)
    ]
    redraw = {"frame": {"duration": 350, "redraw": True}, "transition": {"duration": 0}}
    base.update_layout(
        updatemenus=[
            {
                "type": "buttons",
                "showactive": False,
                "x": 0,
                "y": -0.02,
                "xanchor": "left",
                "yanchor": "top",
                "buttons": [
                    {
                        "label": f"▶ {play}",
                        "method": "animate",
                        "args": [None, {**redraw, "fromcurrent": False, "mode": "immediate"}],
                    }
                ],
            }
        ],
        sliders=[
            {
                "active": len(labels) - 1,
                "x": 0.2,
                "len": 0.8,
                "y": -0.02,
                "currentvalue": {"prefix": ""},
                "steps": [
                    {
                        "label": label,
                        "method": "animate",
                        "args": [[label], {**redraw, "mode": "immediate"}],
                    }
                    for label in labels
                ],
            }
        ],
    )
    base.update_layout(margin={"b": 90})
    return base
