"""k-means step by step: press play and watch points join the nearest centroid and centroids move
to the mean of their points until nothing changes; then choose k with the elbow and silhouette."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from app_pages.components.lesson_frame import Submission
from app_pages.components.ml import charts
from app_pages.components.ml.cache import cached, kmeans_steps
from app_pages.components.ml.data_picker import pick_dataset, recipe
from app_pages.components.session import num, tr
from core.accounts import Actor
from core.ml import clustering
from core.ml.clustering import KMeansStep
from core.ml.datasets import Dataset

KEY = "mlk"
scores_of = cached(clustering.choose_k)


def _frame_traces(X: np.ndarray, step: KMeansStep) -> list[go.Scatter]:
    traces = charts.scatter_classes(X, step.labels, None, legend=False, size=7)
    traces.append(
        go.Scatter(
            x=step.centroids[:, 0],
            y=step.centroids[:, 1],
            mode="markers",
            marker={"symbol": "x", "size": 18, "color": "black", "line": {"width": 2}},
            name=tr("ml.centroids"),
            showlegend=False,
        )
    )
    return traces


def animation(X: np.ndarray, steps: Sequence[KMeansStep], axes: tuple[str, str]) -> go.Figure:
    """All steps go to the browser at once as plotly frames: play, pause and the step slider run
    there with no round trip to the server."""
    k = steps[0].centroids.shape[0]

    def full(step: KMeansStep) -> list[go.Scatter]:
        # every frame needs the same traces, so clusters that are empty at a step still appear
        traces = _frame_traces(X, step)
        missing = k - (len(traces) - 1)
        return traces + [go.Scatter(x=[], y=[], showlegend=False)] * max(missing, 0)

    frames = [go.Frame(data=full(s), name=str(s.iteration)) for s in steps]
    fig = go.Figure(data=full(steps[0]), frames=frames)
    label = tr("ml.step")
    fig.update_layout(
        updatemenus=[
            {
                "type": "buttons",
                "showactive": False,
                "x": 0,
                "y": -0.12,
                "xanchor": "left",
                "buttons": [
                    {
                        "label": "▶",
                        "method": "animate",
                        "args": [
                            None,
                            {"frame": {"duration": 700, "redraw": True}, "fromcurrent": True},
                        ],
                    },
                    {
                        "label": "■",
                        "method": "animate",
                        "args": [[None], {"frame": {"duration": 0}, "mode": "immediate"}],
                    },
                ],
            }
        ],
        sliders=[
            {
                "x": 0.12,
                "len": 0.88,
                "y": -0.05,
                "currentvalue": {"prefix": f"{label}: "},
                "steps": [
                    {
                        "label": str(s.iteration),
                        "method": "animate",
                        "args": [
                            [str(s.iteration)],
                            {"mode": "immediate", "frame": {"duration": 0, "redraw": True}},
                        ],
                    }
                    for s in steps
                ],
            }
        ],
    )
    return charts.layout(fig, x=axes[0], y=axes[1], height=520)


def _points(ds: Dataset) -> tuple[np.ndarray, tuple[str, str]]:
    if ds.X.shape[1] == 2:
        return ds.X.to_numpy(), (ds.features[0], ds.features[1])
    axes = st.multiselect(
        tr("ml.cluster_on"),
        ds.features,
        default=list(ds.features[2:4]),
        max_selections=2,
        key=f"{KEY}_axes_{ds.name}",
    )
    chosen = (axes + [f for f in ds.features if f not in axes])[:2]
    return ds.X.loc[:, chosen].to_numpy(), (chosen[0], chosen[1])


def render(actor: Actor) -> Submission | None:
    with st.container(border=True):
        ds = pick_dataset(KEY, ("blobs", "moons", "circles", "iris"), default="blobs")
        k = st.slider(tr("ml.k"), 1, 10, 3, key=f"{KEY}_k")
    assert ds is not None
    X, axes = _points(ds)
    seed = int(recipe(KEY)["seed"])
    steps = kmeans_steps(X, int(k), seed)
    final = steps[-1]
    cols = st.columns(3)
    cols[0].metric(tr("ml.iterations"), str(final.iteration))
    cols[1].metric(tr("ml.inertia"), num(final.inertia, 1))
    score = clustering.silhouette(X, final.labels)
    cols[2].metric(tr("ml.silhouette"), "—" if score is None else num(score, 3))
    charts.show(animation(X, steps, axes), f"{KEY}_animation")
    st.caption(tr("ml.kmeans_help"))
    scores = scores_of(X, range(2, 11), seed)
    best = clustering.best_k(scores)
    with st.expander(tr("ml.choose_k"), icon=":material/insights:"):
        ks = [str(score.k) for score in scores]
        for column, measure in zip(st.columns(2), ("inertia", "silhouette"), strict=True):
            values = [getattr(score, measure) for score in scores]
            with column:
                fig = charts.bars(ks, values, x=tr("ml.k"), y=tr(f"ml.{measure}"))
                charts.show(fig, f"{KEY}_{measure}")
    return Submission(
        setup={},
        measured={"k": float(k), "best_k": float(best)},
        shown=(("ml.k", str(k)),),
    )
