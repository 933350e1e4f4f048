"""Evaluating a classifier on breast-cancer diagnosis: accuracy hides what matters, so move the
decision threshold and watch recall (tumours caught) trade against precision (false alarms)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app_pages.components.lesson_frame import Submission
from app_pages.components.ml import charts
from app_pages.components.ml.cache import fit_and_evaluate
from app_pages.components.ml.model_controls import model_params, pick_kind
from app_pages.components.numbers import slider, table
from app_pages.components.session import num, tr
from core.accounts import Actor
from core.ml import evaluation
from core.ml.datasets import load
from core.ml.supervised import ModelKind

KEY = "mle"
KINDS: tuple[ModelKind, ...] = ("logistic", "forest", "mlp")
MALIGNANT = 0  # scikit-learn's breast cancer data: 0 = malignant, 1 = benign


def _operating_point(fpr: float, tpr: float, fig: go.Figure) -> None:
    fig.add_trace(
        go.Scatter(
            x=[fpr],
            y=[tpr],
            mode="markers",
            name=tr("ml.threshold_point"),
            marker={"size": 14, "color": "black", "symbol": "star"},
        )
    )


def render(actor: Actor) -> Submission | None:
    ds = load("breast_cancer")
    with st.container(border=True):
        st.caption(tr("ml.eval_data", rows=len(ds.X), malignant=int((ds.y == MALIGNANT).sum())))
        kind = pick_kind(f"{KEY}_kind", KINDS, default="logistic")
        params = model_params(f"{KEY}_{kind}", kind)
        threshold = slider(
            tr("ml.threshold"), 0.01, 0.99, 0.5, 0.01, key=f"{KEY}_threshold",
            help=tr("ml.threshold_help"),
        )  # fmt: skip
    result = fit_and_evaluate(ds, ds.features, params)
    assert result.scores_test is not None
    is_malignant = (result.y_test == MALIGNANT).astype(int)
    p_malignant = 1.0 - result.scores_test
    m = evaluation.threshold_metrics(is_malignant, p_malignant, float(threshold))
    cols = st.columns(4)
    cols[0].metric(tr("ml.accuracy"), num(m.accuracy, 3))
    cols[1].metric(tr("ml.recall_malignant"), num(m.recall, 3))
    cols[2].metric(tr("ml.precision_malignant"), num(m.precision, 3))
    cols[3].metric(tr("ml.missed_tumours"), str(m.fn))
    left, right = st.columns(2)
    with left:
        matrix = np.array([[m.tp, m.fn], [m.fp, m.tn]])
        labels = [tr("ml.malignant"), tr("ml.benign")]
        charts.show(
            charts.heatmap(matrix, labels, x=tr("ml.predicted"), y=tr("ml.actual")),
            f"{KEY}_confusion",
        )
    with right:
        thresholds, precision, recall = evaluation.threshold_sweep(is_malignant, p_malignant)
        fig = go.Figure()
        fig.add_trace(
            go.Scatter(x=thresholds, y=recall, name=tr("ml.recall"), line={"color": charts.TEST})
        )
        fig.add_trace(
            go.Scatter(
                x=thresholds, y=precision, name=tr("ml.precision"), line={"color": charts.TRAIN}
            )
        )
        fig.add_vline(x=float(threshold), line_dash="dash", line_color="black")
        charts.show(
            charts.layout(fig, x=tr("ml.threshold"), y=tr("ml.score"), height=360), f"{KEY}_sweep"
        )
    curve = result.roc[0]
    fpr = m.fp / (m.fp + m.tn) if m.fp + m.tn else 0.0
    # result.roc is for class 1 (benign); flipping both axes gives the malignant view.
    roc_fig = charts.roc(
        [(tr("ml.malignant"), 1 - curve.tpr[::-1], 1 - curve.fpr[::-1], curve.auc)]
    )
    _operating_point(fpr, m.recall, roc_fig)
    charts.show(roc_fig, f"{KEY}_roc")
    st.caption(tr("ml.roc_help"))
    with st.expander(tr("ml.metrics_table"), icon=":material/table:"):
        rows = {
            tr(f"ml.{name}"): getattr(m, name)
            for name in ("accuracy", "precision", "recall", "specificity", "f1")
        }
        table(pd.DataFrame({tr("ml.value"): rows}), 3, width="stretch")
    return Submission(
        setup={},
        measured={"recall": m.recall, "precision": m.precision, "accuracy": m.accuracy},
        shown=(("ml.recall", num(m.recall, 3)), ("ml.precision", num(m.precision, 3))),
    )
