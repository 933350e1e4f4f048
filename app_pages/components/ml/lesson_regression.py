"""Linear regression: fit a line (then a polynomial) to noisy points and watch R² on the points
the model never saw."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from app_pages.components.lesson_frame import Submission
from app_pages.components.ml import charts
from app_pages.components.ml.cache import cached
from app_pages.components.ml.data_picker import pick_dataset, recipe
from app_pages.components.ml.lesson_classification import metrics_row
from app_pages.components.ml.model_controls import model_params
from app_pages.components.session import num, tr
from core.accounts import Actor
from core.ml import snippets, supervised
from core.ml.datasets import split

KEY = "mlr"
line = cached(supervised.regression_line)


def render(actor: Actor) -> Submission | None:
    with st.container(border=True):
        ds = pick_dataset(KEY, ("noisy_line",), default_noise=0.3, default_n=40)
        params = model_params(f"{KEY}_linear", "linear")
    assert ds is not None
    seed = recipe(KEY)["seed"]
    curve, result = line(ds, params, seed=seed)
    metrics_row(result)
    if result.mae_test is not None:
        st.caption(tr("ml.mae", mae=num(result.mae_test, 2)))
    parts = split(ds, seed=seed)
    fig = go.Figure()
    for X, y, name, col in (
        (parts.X_train, parts.y_train, tr("ml.train"), charts.TRAIN),
        (parts.X_test, parts.y_test, tr("ml.test"), charts.TEST),
    ):
        fig.add_trace(go.Scatter(x=X["x"], y=y, mode="markers", name=name, marker={"color": col}))
    fig.add_trace(
        go.Scatter(
            x=curve.x,
            y=curve.y,
            mode="lines",
            name=tr("ml.model_fit"),
            line={"color": "black", "width": 3},
        )
    )
    lo, hi = float(ds.y.min()), float(ds.y.max())
    fig.update_yaxes(range=[lo - 0.2 * (hi - lo), hi + 0.2 * (hi - lo)])
    charts.show(charts.layout(fig, x="x", y="y", height=440), f"{KEY}_fit")
    with st.expander(tr("ml.tab.code"), icon=":material/code:"):
        snippet = snippets.code_snippet(params, "regression", dataset=ds.name, **recipe(KEY))
        st.code(snippet, language="python")
    return Submission(
        setup={"dataset": ds.name, "n_samples": len(ds.X), "noise": recipe(KEY)["noise"]},
        measured={
            "degree": float(params.degree),
            "train_score": result.train_score,
            "test_score": result.test_score,
        },
        shown=(("ml.degree", str(params.degree)), ("ml.test_r2", num(result.test_score, 3))),
    )
