"""Classifiers compared: pick data (shipped, generated or your own CSV), features and a model, and
see its decision boundary, train/test accuracy, confusion matrix, ROC and the code."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from app_pages.components.jobs import current_job, job_panel, start_job
from app_pages.components.lesson_frame import Submission
from app_pages.components.ml import charts
from app_pages.components.ml.cache import cached, dataset_key, fit_and_evaluate
from app_pages.components.ml.data_picker import pick_axes, pick_dataset, pick_features, recipe
from app_pages.components.ml.model_controls import model_params, pick_kind
from app_pages.components.session import num, qty, tr
from core.accounts import Actor
from core.ml import snippets, supervised
from core.ml.datasets import BUILTIN, TWO_D, Dataset, split
from core.ml.supervised import (
    CLASSIFIERS,
    REGRESSORS,
    FitResult,
    ModelParams,
    Surface,
    Trained,
)

KEY = "mlc"
JOB = f"{KEY}_fit"
BACKGROUND_ROWS = 3000
Axes = tuple[str, str] | None
surface = cached(supervised.decision_surface)


def metrics_row(result: FitResult) -> None:
    cols = st.columns(4)
    metric = tr(f"ml.metric.{result.metric}")
    cols[0].metric(tr("ml.train_score", metric=metric), num(result.train_score, 3))
    cols[1].metric(tr("ml.test_score", metric=metric), num(result.test_score, 3))
    cols[2].metric(tr("ml.rows_split"), f"{num(result.n_train)} / {num(result.n_test)}")
    cols[3].metric(tr("ml.fit_time"), qty(1000 * result.fit_seconds, "ms", 0))
    if result.train_score - result.test_score > 0.1:
        st.caption(tr("ml.gap_warning"))


def boundary_figure(ds: Dataset, plane: Surface, seed: int) -> go.Figure:
    fx, fy = plane.features
    fig = go.Figure()
    if plane.kind == "probability":
        fig.add_trace(
            go.Contour(
                x=plane.x,
                y=plane.y,
                z=plane.z,
                colorscale=charts.PROBABILITY_SCALE,
                opacity=0.45,
                zmin=0,
                zmax=1,
                contours={"start": 0, "end": 1, "size": 0.1},
                colorbar={"title": tr("ml.probability"), "len": 0.7},
                hoverinfo="skip",
            )
        )
    else:
        n = max(int(plane.z.max()) + 1, 2)
        scale = [[i / (n - 1), charts.colour(i)] for i in range(n)]
        fig.add_trace(
            go.Heatmap(
                x=plane.x,
                y=plane.y,
                z=plane.z,
                colorscale=scale,
                opacity=0.3,
                showscale=False,
                hoverinfo="skip",
                zmin=0,
                zmax=n - 1,
            )
        )
    parts = split(ds, [fx, fy], seed=seed)
    names = list(ds.class_names)
    for X, y, symbol, suffix in (
        (parts.X_train, parts.y_train, "circle", tr("ml.train")),
        (parts.X_test, parts.y_test, "x", tr("ml.test")),
    ):
        for trace in charts.scatter_classes(X.to_numpy(), y.to_numpy(), names, symbol=symbol):
            trace.name = f"{trace.name} · {suffix}"
            fig.add_trace(trace)
    return charts.layout(fig, x=fx, y=fy, height=480)


def _details(result: FitResult, ds: Dataset, params: supervised.ModelParams) -> None:
    tabs = st.tabs([tr("ml.tab.confusion"), tr("ml.tab.roc"), tr("ml.tab.code")])
    with tabs[0]:
        if result.confusion is not None:
            fig = charts.heatmap(
                result.confusion, result.class_names, x=tr("ml.predicted"), y=tr("ml.actual")
            )
            charts.show(fig, f"{KEY}_confusion")
            st.caption(tr("ml.confusion_help"))
    with tabs[1]:
        if result.roc:
            curves = [(c.label, c.fpr, c.tpr, c.auc) for c in result.roc]
            charts.show(charts.roc(curves), f"{KEY}_roc")
            st.caption(tr("ml.roc_help"))
        else:
            st.caption(tr("ml.roc_none"))
    with tabs[2]:
        snippet = snippets.code_snippet(
            params, ds.task, dataset=ds.name, features=result.features, **recipe(KEY)
        )
        st.code(snippet, language="python")


def _trained(
    ds: Dataset, features: tuple[str, ...], params: ModelParams, axes: Axes, seed: int
) -> Trained | None:
    """Shipped data trains in well under a second, at once and cached; a learner's file of
    thousands of rows can take seconds, so it trains in the background (restarted when a setting
    changes) while the page stays responsive."""
    if len(ds.X) <= BACKGROUND_ROWS:
        return fit_and_evaluate(ds, features, params, seed=seed), (
            None if axes is None else surface(ds, axes, params, seed=seed)
        )
    signature = (dataset_key(ds), features, params, axes, seed)
    known = current_job(JOB)
    if known is None or known.meta != signature:
        args = {"ds": ds, "features": features, "params": params, "axes": axes, "seed": seed}
        start_job(JOB, supervised.fit_job, args, label="ml-fit", short=True, meta=signature)
    snap = job_panel(JOB, lambda _snap: None)
    if snap is None or snap.status != "done" or snap.meta != signature:
        return None
    trained: Trained = snap.result
    return trained


def render(actor: Actor) -> Submission | None:
    with st.container(border=True):
        ds = pick_dataset(KEY, (*BUILTIN, *sorted(TWO_D)), default="moons", upload=True)
        if ds is None:
            return None
        features = pick_features(f"{KEY}_features", ds)
        kinds = CLASSIFIERS if ds.task == "classification" else REGRESSORS
        kind = pick_kind(f"{KEY}_kind", kinds, default="tree")
        params = model_params(f"{KEY}_{kind}", kind)
    if not features:
        return None
    seed = int(recipe(KEY)["seed"])
    axes = pick_axes(f"{KEY}_axes", ds, features) if ds.task == "classification" else None
    trained = _trained(ds, tuple(features), params, axes, seed)
    if trained is None:
        return None
    result, plane = trained
    metrics_row(result)
    if plane is not None:
        charts.show(boundary_figure(ds, plane[0], seed), f"{KEY}_boundary")
        if len(features) > 2:
            st.caption(tr("ml.boundary_two_features", score=num(plane[1].test_score, 3)))
    _details(result, ds, params)
    return Submission(
        setup={"dataset": ds.name},
        measured={
            "n_features": float(len(features)),
            "train_score": result.train_score,
            "test_score": result.test_score,
        },
        shown=(
            ("ml.n_features", str(len(features))),
            ("ml.test_accuracy", num(result.test_score, 3)),
        ),
    )
