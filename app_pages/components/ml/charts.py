"""Plotly figures for the ML lessons. Drawing only: every number comes from core.ml results.
One palette everywhere, so class 0 is the same colour in the boundary, the confusion matrix and
the projection; large fonts, because these plots end up on a classroom projector."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from app_pages.components.plots import plot
from app_pages.components.session import num, tr

PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
NOISE = "#b0b0b0"
TRAIN, TEST = "#1f77b4", "#d62728"


PROBABILITY_SCALE = [[0.0, PALETTE[0]], [0.5, "#ffffff"], [1.0, PALETTE[1]]]


def colour(label: int) -> str:
    return NOISE if label < 0 else PALETTE[label % len(PALETTE)]


def layout(fig: go.Figure, *, x: str = "", y: str = "", height: int = 420) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        font={"size": 14},
        legend={"orientation": "h", "y": -0.18},
        xaxis_title=x,
        yaxis_title=y,
    )
    return fig


def show(fig: go.Figure, key: str) -> None:
    plot(fig, key=key, config={"displaylogo": False})


def scatter_classes(
    X: np.ndarray,
    labels: np.ndarray,
    names: Sequence[str] | None = None,
    *,
    symbol: str = "circle",
    size: int = 8,
    legend: bool = True,
) -> list[go.Scatter]:
    """One trace per label (noise, label -1, in grey) so the legend doubles as a key."""
    traces = []
    for label in sorted({int(v) for v in labels}):
        mask = labels == label
        name = tr("ml.noise_points") if label < 0 else (names[label] if names else str(label))
        traces.append(
            go.Scatter(
                x=X[mask, 0],
                y=X[mask, 1],
                mode="markers",
                name=name,
                showlegend=legend,
                marker={
                    "color": colour(label),
                    "symbol": symbol,
                    "size": size,
                    "line": {"width": 0.5, "color": "white"},
                },
            )
        )
    return traces


def heatmap(matrix: np.ndarray, labels: Sequence[str], *, x: str, y: str) -> go.Figure:
    fig = go.Figure(
        go.Heatmap(
            z=matrix,
            x=list(labels),
            y=list(labels),
            colorscale="Blues",
            text=matrix,
            texttemplate="%{text}",
            textfont={"size": 16},
            showscale=False,
        )
    )
    fig.update_yaxes(autorange="reversed")
    return layout(fig, x=x, y=y, height=360)


def train_test_lines(
    x: np.ndarray,
    train: np.ndarray,
    test: np.ndarray,
    *,
    train_std: np.ndarray | None = None,
    test_std: np.ndarray | None = None,
    x_title: str,
    y_title: str,
    test_name: str | None = None,
    log_x: bool = False,
    markers: bool = True,
) -> go.Figure:
    fig = go.Figure()
    for values, std, name, col in (
        (train, train_std, tr("ml.train"), TRAIN),
        (test, test_std, test_name or tr("ml.test"), TEST),
    ):
        if std is not None:
            band = np.concatenate([values + std, (values - std)[::-1]])
            fig.add_trace(
                go.Scatter(
                    x=np.concatenate([x, x[::-1]]),
                    y=band,
                    fill="toself",
                    opacity=0.15,
                    line={"width": 0},
                    fillcolor=col,
                    showlegend=False,
                    hoverinfo="skip",
                )
            )
        mode = "lines+markers" if markers else "lines"
        fig.add_trace(go.Scatter(x=x, y=values, name=name, mode=mode, line={"color": col}))
    if log_x:
        fig.update_xaxes(type="log")
    return layout(fig, x=x_title, y=y_title)


def roc(curves: Sequence[tuple[str, np.ndarray, np.ndarray, float]]) -> go.Figure:
    fig = go.Figure()
    for i, (label, fpr, tpr, auc) in enumerate(curves):
        fig.add_trace(
            go.Scatter(
                x=fpr,
                y=tpr,
                mode="lines",
                name=f"{label} (AUC {num(auc, 3)})",
                line={"color": PALETTE[i % len(PALETTE)]},
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[0, 1],
            y=[0, 1],
            mode="lines",
            name=tr("ml.chance"),
            line={"dash": "dot", "color": NOISE},
        )
    )
    return layout(fig, x=tr("ml.fpr"), y=tr("ml.tpr"), height=380)


def bars(labels: Sequence[str], values: Sequence[float], *, x: str, y: str) -> go.Figure:
    fig = go.Figure(go.Bar(x=list(labels), y=list(values), marker_color=PALETTE[0]))
    return layout(fig, x=x, y=y, height=340)
