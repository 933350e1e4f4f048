"""DBSCAN: clusters are dense regions, so it follows the curved moons that k-means cuts in half,
and points in sparse places become noise. The k-distance plot suggests a good eps."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from app_pages.components.lesson_frame import Submission
from app_pages.components.ml import charts
from app_pages.components.ml.cache import cached, kmeans_steps
from app_pages.components.ml.data_picker import pick_dataset, recipe
from app_pages.components.numbers import slider
from app_pages.components.session import num, pct, tr
from core.accounts import Actor
from core.ml import clustering

KEY = "mld"
run_dbscan = cached(clustering.dbscan)
distances_of = cached(clustering.k_distance)


def _scatter(X: np.ndarray, labels: np.ndarray, core: np.ndarray | None, title: str) -> go.Figure:
    fig = go.Figure()
    for trace in charts.scatter_classes(X, labels, None, legend=False, size=7):
        fig.add_trace(trace)
    if core is not None:
        border = ~core & (labels >= 0)
        fig.add_trace(
            go.Scatter(
                x=X[border, 0],
                y=X[border, 1],
                mode="markers",
                name=tr("ml.border_points"),
                marker={"size": 11, "color": "rgba(0,0,0,0)", "line": {"width": 1.5}},
            )
        )
    fig.update_layout(title={"text": title, "font": {"size": 15}})
    return charts.layout(fig, x="x1", y="x2", height=400)


def render(actor: Actor) -> Submission | None:
    with st.container(border=True):
        ds = pick_dataset(KEY, ("moons", "circles", "blobs"), default="moons", default_noise=0.05)
        left, right = st.columns(2)
        eps = slider(
            tr("ml.eps"), 0.02, 1.5, 0.3, 0.01, key=f"{KEY}_eps", where=left, help=tr("ml.eps_help")
        )
        min_samples = right.slider(
            tr("ml.min_samples"), 2, 30, 5, key=f"{KEY}_min", help=tr("ml.min_samples_help")
        )
    assert ds is not None
    X, truth = ds.X.to_numpy(), ds.y.to_numpy()
    result = run_dbscan(X, float(eps), int(min_samples))
    agreement = clustering.agreement(truth, result.labels)
    cols = st.columns(4)
    cols[0].metric(tr("ml.clusters_found"), str(result.n_clusters))
    cols[1].metric(tr("ml.noise_share"), pct(result.noise_share, 1))
    cols[2].metric(tr("ml.agreement"), num(agreement, 3), help=tr("ml.agreement_help"))
    cols[3].metric(
        tr("ml.silhouette"), "—" if result.silhouette is None else num(result.silhouette, 3)
    )
    seed = int(recipe(KEY)["seed"])
    kmeans = kmeans_steps(X, ds.n_classes, seed)[-1]
    left, right = st.columns(2)
    with left:
        charts.show(_scatter(X, result.labels, result.core_mask, tr("ml.dbscan")), f"{KEY}_dbscan")
    with right:
        title = tr(
            "ml.kmeans_same_data",
            k=ds.n_classes,
            agreement=num(clustering.agreement(truth, kmeans.labels), 2),
        )
        charts.show(_scatter(X, kmeans.labels, None, title), f"{KEY}_kmeans")
    distances = distances_of(X, int(min_samples))
    fig = go.Figure(go.Scatter(y=distances, mode="lines", name=tr("ml.k_distance")))
    fig.add_hline(y=float(eps), line_dash="dash", line_color="black", annotation_text="eps")
    charts.show(
        charts.layout(fig, x=tr("ml.points_sorted"), y=tr("ml.k_distance"), height=300),
        f"{KEY}_kdist",
    )
    st.caption(tr("ml.k_distance_help", k=int(min_samples)))
    return Submission(
        setup={"dataset": ds.name},
        measured={
            "n_clusters": float(result.n_clusters),
            "noise_share": result.noise_share,
            "agreement": agreement,
        },
        shown=(
            ("ml.clusters_found", str(result.n_clusters)),
            ("ml.noise_share", pct(result.noise_share, 1)),
        ),
    )
