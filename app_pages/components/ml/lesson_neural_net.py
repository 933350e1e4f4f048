"""A neural network trained epoch by epoch in the background: the loss and accuracy curves grow
live, Stop keeps what was learnt so far, and 2-D data shows the boundary the network drew."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import streamlit as st

from app_pages.components.jobs import job_panel, start_job
from app_pages.components.lesson_frame import Submission
from app_pages.components.ml import charts
from app_pages.components.ml.cache import dataset_key
from app_pages.components.ml.data_picker import pick_dataset, recipe
from app_pages.components.ml.lesson_classification import boundary_figure, metrics_row
from app_pages.components.numbers import choice_labels
from app_pages.components.session import exact, num, tr
from core.accounts import Actor
from core.jobs import JobSnapshot
from core.ml import neural_net
from core.ml.datasets import BUILTIN, TWO_D, Dataset
from core.ml.neural_net import EpochStats, MlpParams, MlpResult

KEY = "mln"
JOB = f"{KEY}_train"
LEARNING_RATES = (0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)


def _params() -> MlpParams:
    left, mid, right = st.columns(3)
    layers = left.slider(tr("ml.layers"), 1, 3, 1, key=f"{KEY}_layers")
    units = mid.slider(tr("ml.units_per_layer"), 1, 64, 8, key=f"{KEY}_units")
    activation = right.selectbox(
        tr("ml.activation"), ("relu", "tanh", "logistic"), key=f"{KEY}_act"
    )
    left, right = st.columns(2)
    rate = left.select_slider(
        tr("ml.learning_rate"),
        LEARNING_RATES,
        value=0.01,
        format_func=choice_labels(LEARNING_RATES, exact),
        key=f"{KEY}_lr",
        help=tr("ml.learning_rate_help"),
    )
    epochs = right.slider(tr("ml.epochs"), 10, 500, 150, step=10, key=f"{KEY}_epochs")
    return MlpParams(
        hidden_layers=(int(units),) * int(layers),
        activation=activation,
        learning_rate=float(rate),
        epochs=int(epochs),
    )


def _curves(epochs: Sequence[EpochStats], key: str) -> None:
    if not epochs:
        return
    x = np.array([e.epoch for e in epochs], dtype=float)
    left, right = st.columns(2)
    with left:
        loss = charts.train_test_lines(
            x,
            np.array([e.loss for e in epochs]),
            np.array([np.nan] * len(epochs)),
            x_title=tr("ml.epoch"),
            y_title=tr("ml.loss"),
            markers=False,
        )
        loss.data = loss.data[:1]
        charts.show(loss, f"{key}_loss")
    with right:
        scores = charts.train_test_lines(
            x,
            np.array([e.train_score for e in epochs]),
            np.array([e.test_score for e in epochs]),
            x_title=tr("ml.epoch"),
            y_title=tr("ml.score"),
            markers=False,
        )
        charts.show(scores, f"{key}_scores")


def _live(snap: JobSnapshot) -> None:
    _curves([u for u in snap.updates if isinstance(u, EpochStats)], f"{KEY}_live")


def _result(ds: Dataset, params: MlpParams, result: MlpResult, seed: int) -> Submission:
    _curves(result.epochs, f"{KEY}_final")
    if result.diverged:
        st.error(tr("ml.diverged"), icon=":material/trending_up:")
    metrics_row(result.final)
    st.caption(tr("ml.n_parameters", n=num(result.n_parameters)))
    if ds.name in TWO_D:
        plane = neural_net.surface(result, ds)
        charts.show(boundary_figure(ds, plane, seed), f"{KEY}_boundary")
    units = sum(params.hidden_layers)
    return Submission(
        setup={"dataset": ds.name},
        measured={
            "hidden_units": float(units),
            "train_score": result.final.train_score,
            "test_score": result.final.test_score,
        },
        shown=(
            ("ml.hidden_total", str(units)),
            ("ml.test_accuracy", num(result.final.test_score, 3)),
        ),
    )


def render(actor: Actor) -> Submission | None:
    with st.container(border=True):
        ds = pick_dataset(KEY, (*sorted(TWO_D), *BUILTIN), default="circles", default_noise=0.1)
        params = _params()
    assert ds is not None
    seed = int(recipe(KEY)["seed"])
    signature = (dataset_key(ds), seed, params)
    if st.button(
        tr("ml.train_network"), key=f"{KEY}_go", type="primary", icon=":material/play_arrow:"
    ):
        args = {"ds": ds, "params": params, "seed": seed}
        start_job(JOB, neural_net.train_job, args, label="ml-mlp", meta=signature)
    snap = job_panel(JOB, _live)
    if snap is None:
        st.caption(tr("ml.train_first"))
        return None
    if not isinstance(snap.result, MlpResult):  # stopped before the first epoch, or failed
        return None
    if snap.meta != signature:
        st.info(tr("ml.settings_changed"), icon=":material/tune:")
        return None
    return _result(ds, params, snap.result, seed)
