"""Semi-supervised learning: only a few points carry labels; can the unlabelled rest still help?
The same kind of model is trained with and without them and tested on the same held-out points."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from app_pages.components.lesson_frame import Submission
from app_pages.components.ml import charts
from app_pages.components.ml.cache import cached
from app_pages.components.ml.data_picker import dataset_label
from app_pages.components.numbers import choice_labels, signed
from app_pages.components.session import num, pct, tr
from core.accounts import Actor
from core.ml import semi_supervised
from core.ml.semi_supervised import DATASETS, METHODS

KEY = "mls"
FRACTIONS = (0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0)
compare = cached(semi_supervised.compare)
sweep = cached(semi_supervised.sweep)


def _training_view(result: semi_supervised.SemiResult, reveal: bool) -> go.Figure:
    X, mask = result.X_train, result.labelled_mask
    labels = result.y_train_inferred if reveal else np.full(len(X), -1)
    fig = go.Figure()
    for trace in charts.scatter_classes(X[~mask], labels[~mask], None, legend=False, size=6):
        trace.marker.opacity = 0.55
        fig.add_trace(trace)
    for trace in charts.scatter_classes(
        X[mask], result.y_train[mask], None, size=15, symbol="star"
    ):
        trace.name = tr("ml.labelled_class", label=trace.name)
        fig.add_trace(trace)
    return charts.layout(fig, x="x1", y="x2", height=440)


def render(actor: Actor) -> Submission | None:
    with st.container(border=True):
        left, right = st.columns(2)
        dataset = left.selectbox(
            tr("ml.dataset_label"),
            DATASETS,
            index=DATASETS.index("moons"),
            key=f"{KEY}_dataset",
            format_func={d: dataset_label(d) for d in DATASETS}.__getitem__,
        )
        method = right.selectbox(
            tr("ml.method_label"),
            METHODS,
            key=f"{KEY}_method",
            format_func={m: tr(f"ml.method.{m}") for m in METHODS}.__getitem__,
        )
        fraction = st.select_slider(
            tr("ml.labelled_share"),
            FRACTIONS,
            value=0.1,
            key=f"{KEY}_share",
            format_func=choice_labels(FRACTIONS, pct),
        )
        reveal = st.toggle(tr("ml.reveal_inferred"), key=f"{KEY}_reveal")
    result = compare(dataset, float(fraction), 0, method=method)
    cols = st.columns(3)
    cols[0].metric(tr("ml.labelled_points"), f"{num(result.n_labelled)} / {num(result.n_train)}")
    gain = round(result.semi_supervised_accuracy - result.supervised_only_accuracy, 3)
    cols[1].metric(
        tr("ml.semi_accuracy"),
        num(result.semi_supervised_accuracy, 3),
        delta=signed(gain, 3) if gain else None,
        help=tr("ml.semi_gain_help"),
    )
    cols[2].metric(tr("ml.supervised_only_accuracy"), num(result.supervised_only_accuracy, 3))
    charts.show(_training_view(result, reveal), f"{KEY}_points")
    st.caption(tr("ml.semi_points_help"))
    points = sweep(dataset, FRACTIONS, 0, method=method)
    x = np.array([p[0] for p in points])
    fig = charts.train_test_lines(
        x,
        np.array([p[1] for p in points]),
        np.array([p[2] for p in points]),
        x_title=tr("ml.labelled_share"),
        y_title=tr("ml.test_accuracy"),
        log_x=True,
        test_name=tr("ml.supervised_only_accuracy"),
    )
    fig.data[0].name = tr("ml.semi_accuracy")
    fig.add_vline(x=float(fraction), line_dash="dash", line_color="black")
    charts.show(fig, f"{KEY}_sweep")
    return Submission(
        setup={"dataset": dataset},
        measured={
            "labelled_fraction": float(fraction),
            "semi_accuracy": result.semi_supervised_accuracy,
        },
        shown=(
            ("ml.labelled_share", pct(fraction)),
            ("ml.semi_accuracy", num(result.semi_supervised_accuracy, 3)),
        ),
    )
