"""Hierarchical clustering: merge the closest groups again and again and read the whole history
as a dendrogram; where you cut it decides the number of clusters, the linkage decides "closest"."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from app_pages.components.lesson_frame import Submission
from app_pages.components.ml import charts
from app_pages.components.ml.cache import cached
from app_pages.components.ml.data_picker import pick_dataset
from app_pages.components.session import num, pct, tr
from core.accounts import Actor
from core.ml import clustering, hierarchical
from core.ml.hierarchical import LINKAGES, Dendrogram

KEY = "mlh"
cluster = cached(hierarchical.hierarchical)
LINK_COLOURS = {"C0": "#555555"}


def dendrogram_figure(tree: Dendrogram) -> go.Figure:
    fig = go.Figure()
    for xs, ys, col in zip(tree.icoord, tree.dcoord, tree.colors, strict=True):
        index = int(col[1:]) - 1 if col[1:].isdigit() and col != "C0" else -1
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                hoverinfo="skip",
                showlegend=False,
                line={"color": LINK_COLOURS.get(col, charts.colour(index)), "width": 2},
            )
        )
    fig.add_hline(
        y=tree.cut_height, line_dash="dash", line_color="red", annotation_text=tr("ml.cut")
    )
    ticks = [5 + 10 * i for i in range(len(tree.leaf_labels))]
    fig.update_xaxes(
        tickvals=ticks, ticktext=tree.leaf_labels, tickangle=-90, tickfont={"size": 10}
    )
    return charts.layout(fig, y=tr("ml.merge_distance"), height=420)


def render(actor: Actor) -> Submission | None:
    with st.container(border=True):
        ds = pick_dataset(KEY, ("blobs", "moons", "iris", "wine"), default="blobs")
        left, mid, right = st.columns(3)
        linkage = left.selectbox(
            tr("ml.linkage_label"),
            LINKAGES,
            key=f"{KEY}_linkage",
            format_func={v: tr(f"ml.linkage.{v}") for v in LINKAGES}.__getitem__,
        )
        n_clusters = mid.slider(tr("ml.n_clusters"), 2, 10, 3, key=f"{KEY}_n_clusters")
        standardise = right.checkbox(tr("ml.standardise"), value=True, key=f"{KEY}_scale")
    assert ds is not None
    X = ds.X.to_numpy()
    result = cluster(X, int(n_clusters), linkage, standardise=standardise)
    agreement = clustering.agreement(ds.y.to_numpy(), result.labels)
    largest = max(result.cluster_sizes) / len(X)
    cols = st.columns(3)
    cols[0].metric(tr("ml.agreement"), num(agreement, 3), help=tr("ml.agreement_help"))
    cols[1].metric(tr("ml.largest_cluster"), pct(largest))
    cols[2].metric(
        tr("ml.silhouette"), "—" if result.silhouette is None else num(result.silhouette, 3)
    )
    charts.show(dendrogram_figure(result.dendrogram), f"{KEY}_dendrogram")
    st.caption(tr("ml.dendrogram_help"))
    fig = go.Figure(charts.scatter_classes(X[:, :2], np.asarray(result.labels), None, legend=False))
    charts.show(
        charts.layout(fig, x=ds.features[0], y=ds.features[1], height=380), f"{KEY}_scatter"
    )
    return Submission(
        setup={"dataset": ds.name},
        measured={
            "n_clusters": float(result.n_clusters),
            "agreement": agreement,
            "largest_share": largest,
        },
        shown=(("ml.n_clusters", str(result.n_clusters)), ("ml.agreement", num(agreement, 3))),
    )
