"""Over- and underfitting: one slider makes a model simpler or more complex; the train score keeps
rising while the score on unseen data peaks and falls. Curves over the whole range are computed in
the background (many fits), the current point at once."""

from __future__ import annotations

import numpy as np
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from app_pages.components.jobs import job_panel, start_job
from app_pages.components.lesson_frame import Submission
from app_pages.components.ml import charts
from app_pages.components.ml.cache import dataset_key, fit_and_evaluate
from app_pages.components.ml.data_picker import pick_dataset, recipe
from app_pages.components.ml.lesson_classification import metrics_row
from app_pages.components.ml.model_controls import C_VALUES, model_params, pick_kind
from app_pages.components.session import exact, num, tr
from core.accounts import Actor
from core.ml import evaluation
from core.ml.datasets import BUILTIN, Dataset
from core.ml.evaluation import ComplexityParam, Curve, CurveKind
from core.ml.supervised import ModelKind, ModelParams

KEY = "mlo"
KINDS: tuple[ModelKind, ...] = ("tree", "svm", "mlp", "forest")
SWEEPS: dict[str, tuple[ComplexityParam, tuple[float, ...]]] = {
    "tree": ("max_depth", tuple(float(d) for d in range(1, 21))),
    "forest": ("max_depth", tuple(float(d) for d in range(1, 16))),
    "svm": ("C", C_VALUES),
    "mlp": ("hidden_units", (1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0)),
}


def _current(params: ModelParams, param: str) -> float | None:
    value = {"max_depth": params.max_depth, "C": params.C, "hidden_units": params.hidden_units[0]}
    current = value[param]
    return None if current is None else float(current)


def _show_curve(curve: Curve, current: float | None, *, learning: bool) -> None:
    x_title = tr("ml.train_size") if learning else tr(f"ml.param.{curve.param}")
    fig = charts.train_test_lines(
        np.asarray(curve.values, dtype=float),
        curve.train_mean,
        curve.test_mean,
        train_std=curve.train_std,
        test_std=curve.test_std,
        x_title=x_title,
        y_title=tr("ml.score"),
        test_name=tr("ml.cv_score"),
        log_x=curve.param == "C",
    )
    if current is not None and not learning:
        fig.add_vline(x=current, line_dash="dash", line_color="black")
    charts.show(fig, f"{KEY}_{'learning' if learning else 'complexity'}")
    if not curve.complete:
        st.caption(tr("ml.curve_partial"))
    elif not learning:
        st.caption(tr("ml.best_value", value=exact(evaluation.best_value(curve))))


def _curves(ds: Dataset, params: ModelParams, kind: ModelKind, seed: int) -> None:
    param, values = SWEEPS[kind]
    signature = (dataset_key(ds), kind, params, seed)
    left, right = st.columns(2)
    columns: tuple[tuple[CurveKind, DeltaGenerator], ...] = (
        ("complexity", left),
        ("learning", right),
    )
    for what, column in columns:
        job_key = f"{KEY}_{what}"
        if column.button(
            tr(f"ml.draw_{what}"), key=f"{job_key}_start", icon=":material/show_chart:"
        ):
            args = {
                "ds": ds, "params": params, "what": what, "param": param, "values": values,
                "seed": seed,
            }  # fmt: skip
            start_job(
                job_key, evaluation.curve_job, args, label=f"ml-{what}", short=True, meta=signature
            )
        snap = job_panel(job_key, lambda _snap: None)
        if snap is None or not isinstance(snap.result, Curve):
            continue
        if snap.meta != signature:
            st.caption(tr("ml.curve_stale"))
        _show_curve(snap.result, _current(params, param), learning=what == "learning")


def render(actor: Actor) -> Submission | None:
    with st.container(border=True):
        ds = pick_dataset(
            KEY, ("moons", "circles", *BUILTIN), default="moons", default_noise=0.35, default_n=200
        )
        kind = pick_kind(f"{KEY}_kind", KINDS, default="tree")
        params = model_params(f"{KEY}_{kind}", kind)
    assert ds is not None
    seed = int(recipe(KEY)["seed"])
    result = fit_and_evaluate(ds, ds.features, params, seed=seed)
    metrics_row(result)
    _curves(ds, params, kind, seed)
    return Submission(
        setup={"dataset": ds.name, "noise": recipe(KEY)["noise"]},
        measured={"train_score": result.train_score, "test_score": result.test_score},
        shown=(
            ("ml.train_accuracy", num(result.train_score, 3)),
            ("ml.test_accuracy", num(result.test_score, 3)),
        ),
    )
