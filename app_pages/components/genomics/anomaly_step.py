"""Step 5: find the rare mutants without labels. An autoencoder learns normal sequences and
ranks by reconstruction error; IsolationForest is the baseline; precision@k judges both."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from app_pages.components.genomics import question
from app_pages.components.genomics.runs import (
    Source,
    class_names,
    dataset,
    fingerprint,
    parts,
)
from app_pages.components.genomics.training import trained
from app_pages.components.jobs import JobWork
from app_pages.components.plots import plot
from app_pages.components.session import num, pct, tr
from core.accounts import Actor
from core.genomics import anomaly
from core.genomics.anomaly import AutoencoderSettings, Detection, Screening, precision_at_k
from core.genomics.questions import anomaly_truth
from core.jobs import JobSnapshot

JOB = "gen_ae"


def _screen(source: Source) -> Screening:
    data = dataset(source)
    assert data.labels is not None
    split = parts(source)
    return anomaly.screening(data.labels, data.rare, split.train, split.test, source.seed)


def _job(source: Source, settings: AutoencoderSettings) -> JobWork:
    data = dataset(source)
    screen = _screen(source)
    return anomaly.detect_job, {
        "normal_seqs": [data.seqs[i] for i in screen.normal_train],
        "scored_seqs": [data.seqs[i] for i in screen.scored],
        "settings": settings,
    }


def _live(snap: JobSnapshot) -> None:
    losses = [u for u in snap.updates if isinstance(u, float)]
    if losses:
        figure = go.Figure(go.Scatter(y=losses, mode="lines"))
        figure.update_layout(
            height=220, margin={"l": 10, "r": 10, "t": 30, "b": 10}, title=tr("gen.ano.loss")
        )
        with st.container(key="gen_ae_live"):
            plot(figure)


def _ranking(scores: np.ndarray, truth: np.ndarray, title: str, key: str) -> None:
    order = np.argsort(-scores, kind="stable")
    rank = np.arange(1, len(scores) + 1)
    figure = go.Figure()
    for flag, name, colour in (
        (False, tr("gen.ano.normal"), "#9bb7c4"),
        (True, tr("gen.ano.planted"), "#d1495b"),
    ):
        mask = truth[order] == flag
        figure.add_trace(
            go.Bar(x=rank[mask], y=scores[order][mask], name=name, marker_color=colour)
        )
    k = int(truth.sum())
    figure.add_vline(x=k + 0.5, line_dash="dot", annotation_text=f"k = {k}")
    figure.update_layout(
        height=260, margin={"l": 10, "r": 10, "t": 40, "b": 10}, title=title, bargap=0,
        xaxis_title=tr("gen.ano.rank"), yaxis_title=tr("gen.ano.score"),
    )  # fmt: skip
    with st.container(key=key):
        plot(figure)


def render(actor: Actor, source: Source) -> None:
    data = dataset(source)
    if data.labels is None:
        st.info(tr("gen.needs_labels"), icon=":material/label_off:")
        return
    label = lambda o: tr(f"gen.q.anomaly.{o}")  # noqa: E731
    if not question.predict(actor, "anomaly", label):
        return
    screen = _screen(source)
    what = "rare" if data.rare is not None and data.rare.any() else "class"
    st.caption(
        tr(
            f"gen.ano.setup_{what}",
            normals=num(len(screen.normal_train)),
            scored=num(len(screen.scored)),
            anomalies=num(int(screen.truth.sum())),
            label=class_names(data)[1],
        )
    )
    cols = st.columns(2)
    bottleneck = cols[0].select_slider(
        tr("gen.ano.bottleneck"), [4, 8, 16, 32, 64], 16, key="gen_ae_bottleneck"
    )
    epochs = cols[1].slider(tr("gen.cls.epochs"), 5, 100, 40, step=5, key="gen_ae_epochs")
    settings = AutoencoderSettings(bottleneck=bottleneck, epochs=epochs, seed=source.seed)
    signature = (fingerprint(source), settings)
    result = trained(JOB, signature, tr("gen.ano.train"), lambda: _job(source, settings), _live)
    if not isinstance(result, Detection):
        st.caption(tr("gen.ano.train_to_check"))
        return
    k = int(screen.truth.sum())
    auto = precision_at_k(result.autoencoder.scores, screen.truth, k)
    forest = precision_at_k(result.forest, screen.truth, k)
    cols = st.columns(2)
    cols[0].metric(tr("gen.ano.precision", model=tr("gen.model.autoencoder"), k=k), pct(auto))
    forest_label = tr("gen.ano.precision", model=tr("gen.model.isolation_forest"), k=k)
    cols[1].metric(forest_label, pct(forest))
    _ranking(
        result.autoencoder.scores,
        screen.truth,
        tr("gen.ano.ranked", model=tr("gen.model.autoencoder")),
        "gen_ano_ae",
    )
    _ranking(
        result.forest,
        screen.truth,
        tr("gen.ano.ranked", model=tr("gen.model.isolation_forest")),
        "gen_ano_if",
    )
    why = tr("gen.q.anomaly.why", autoencoder=auto, forest=forest, k=k)
    question.check(actor, "anomaly", anomaly_truth(auto, forest), label, why)
