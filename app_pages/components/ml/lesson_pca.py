"""PCA: how much of the data's spread each new axis keeps, the data seen through the first two
axes, and what those axes are made of. Standardising decides which features can dominate."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app_pages.components.lesson_frame import Submission
from app_pages.components.ml import charts
from app_pages.components.ml.cache import cached
from app_pages.components.ml.data_picker import pick_dataset
from app_pages.components.numbers import table
from app_pages.components.session import pct, tr
from core.accounts import Actor
from core.ml import pca as pca_lesson

KEY = "mlp"
SHARE = 0.9
analyse = cached(pca_lesson.pca)


def _variance_figure(ratio: np.ndarray, cumulative: np.ndarray, keep: int) -> go.Figure:
    x = np.arange(1, len(ratio) + 1)
    colours = [charts.PALETTE[0] if i < keep else "#c7d7ea" for i in range(len(ratio))]
    fig = go.Figure(go.Bar(x=x, y=ratio, name=tr("ml.explained"), marker_color=colours))
    fig.add_trace(
        go.Scatter(
            x=x,
            y=cumulative,
            name=tr("ml.cumulative"),
            mode="lines+markers",
            line={"color": charts.TEST},
        )
    )
    fig.add_hline(y=SHARE, line_dash="dot", line_color="black", annotation_text=pct(SHARE))
    return charts.layout(fig, x=tr("ml.component"), y=tr("ml.variance_share"), height=380)


def render(actor: Actor) -> Submission | None:
    with st.container(border=True):
        ds = pick_dataset(KEY, ("wine", "digits", "breast_cancer", "iris"), default="wine")
        assert ds is not None
        left, right = st.columns(2)
        standardise = left.checkbox(
            tr("ml.standardise"), value=False, key=f"{KEY}_scale", help=tr("ml.standardise_help")
        )
        keep = right.slider(
            tr("ml.keep_components"),
            1,
            len(ds.features),
            min(2, len(ds.features)),
            key=f"{KEY}_keep_{ds.name}",
        )
    result = analyse(ds.X, standardise=standardise)
    kept = float(result.cumulative[keep - 1])
    cols = st.columns(3)
    cols[0].metric(tr("ml.pc1_share"), pct(result.explained_ratio[0], 1))
    cols[1].metric(tr("ml.kept_share", n=keep), pct(kept, 1))
    cols[2].metric(tr("ml.features_count"), str(len(ds.features)))
    charts.show(
        _variance_figure(result.explained_ratio, result.cumulative, keep), f"{KEY}_variance"
    )
    left, right = st.columns([3, 2])
    with left:
        fig = go.Figure(charts.scatter_classes(result.projection, ds.y.to_numpy(), ds.class_names))
        charts.show(charts.layout(fig, x="PC1", y="PC2", height=420), f"{KEY}_projection")
    with right:
        for i, loading in enumerate(result.loadings, start=1):
            st.markdown(f"**{tr('ml.loadings', n=i)}**")
            weights = pd.DataFrame(loading, columns=[tr("ml.feature"), tr("ml.weight")])
            table(weights, 3, hide_index=True, width="stretch")
    return Submission(
        setup={"dataset": ds.name},
        measured={
            "n_components": float(keep),
            "cumulative": kept,
            "fewest": float(pca_lesson.components_for(result, SHARE)),
        },
        shown=(("ml.keep_components", str(keep)), ("ml.cumulative", pct(kept, 1))),
    )
