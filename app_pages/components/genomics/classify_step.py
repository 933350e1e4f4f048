"""Step 4: k-mer models (random forest, XGBoost) against a CNN that reads positions, on the same
held-out quarter; ROC curves and confusion matrices."""

from __future__ import annotations

import pandas as pd
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
from app_pages.components.genomics.training import automatic, trained
from app_pages.components.jobs import JobWork, current_job
from app_pages.components.numbers import table
from app_pages.components.plots import plot
from app_pages.components.session import num, tr
from core.accounts import Actor
from core.genomics import classify, cnn
from core.genomics.classify import Comparison, Scores
from core.genomics.cnn import CnnResult, CnnSettings, EpochLog
from core.genomics.questions import cnn_truth
from core.jobs import JobSnapshot

JOB = "gen_cnn"
TREES_JOB = "gen_trees"


def _settings() -> tuple[CnnSettings, bool]:
    cols = st.columns(4)
    epochs = cols[0].slider(tr("gen.cls.epochs"), 1, 40, 12, key="gen_cnn_epochs")
    filters = cols[1].select_slider(
        tr("gen.cls.filters"), [8, 16, 32, 64], 32, key="gen_cnn_filters"
    )
    width = cols[2].slider(tr("gen.cls.width"), 3, 25, 11, step=2, key="gen_cnn_width")
    both_strands = cols[3].checkbox(tr("gen.cls.rc"), key="gen_cnn_rc", help=tr("gen.cls.rc_help"))
    return CnnSettings(filters=filters, width=width, epochs=epochs), both_strands


def _job(source: Source, settings: CnnSettings, both_strands: bool) -> JobWork:
    data = dataset(source)
    assert data.labels is not None
    split = parts(source)
    return cnn.train_job, {
        "train_seqs": [data.seqs[i] for i in split.train],
        "train_labels": data.labels[split.train],
        "test_seqs": [data.seqs[i] for i in split.test],
        "test_labels": data.labels[split.test],
        "settings": settings,
        "both_strands": both_strands,
    }


def _trees(source: Source, k: int) -> Comparison | None:
    """The k-mer models, trained by themselves once the prediction is locked."""
    data = dataset(source)
    args = {
        "seqs": data.seqs, "labels": data.labels, "parts": parts(source), "k": k,
        "seed": source.seed,
    }  # fmt: skip
    compared = automatic(TREES_JOB, (fingerprint(source), k), lambda: (classify.compare_job, args))
    return compared if isinstance(compared, Comparison) else None


def curve_figure(history: list[EpochLog]) -> go.Figure:
    figure = go.Figure()
    epochs = [h.epoch for h in history]
    figure.add_trace(go.Scatter(x=epochs, y=[h.loss for h in history], name=tr("gen.cls.loss")))
    figure.add_trace(
        go.Scatter(
            x=epochs,
            y=[h.test_accuracy for h in history],
            name=tr("gen.cls.test_accuracy"),
            yaxis="y2",
        )
    )
    figure.update_layout(
        height=280, margin={"l": 10, "r": 10, "t": 30, "b": 10}, xaxis_title=tr("gen.cls.epoch"),
        yaxis={"title": tr("gen.cls.loss")},
        yaxis2={
            "title": tr("gen.cls.test_accuracy"), "overlaying": "y", "side": "right",
            "range": [0.4, 1],
        },
    )  # fmt: skip
    return figure


def _live(snap: JobSnapshot) -> None:
    history = [u for u in snap.updates if isinstance(u, EpochLog)]
    if history:
        with st.container(key="gen_cnn_live"):
            plot(curve_figure(history))


def _roc(scores: dict[str, Scores]) -> go.Figure:
    figure = go.Figure(
        go.Scatter(
            x=[0, 1],
            y=[0, 1],
            mode="lines",
            line={"dash": "dot", "color": "gray"},
            showlegend=False,
        )
    )
    for name, s in scores.items():
        figure.add_trace(
            go.Scatter(
                x=s.fpr,
                y=s.tpr,
                mode="lines",
                name=f"{tr(f'gen.model.{name}')} (AUC {num(s.auc, 3)})",
            )
        )
    figure.update_layout(
        height=360, margin={"l": 10, "r": 10, "t": 30, "b": 10}, title=tr("gen.cls.roc"),
        xaxis_title=tr("gen.cls.fpr"), yaxis_title=tr("gen.cls.tpr"),
    )  # fmt: skip
    return figure


def _table(scores: dict[str, Scores], names: tuple[str, str]) -> None:
    rows = []
    for name, s in scores.items():
        (_, false_alarms), (missed, _) = s.confusion
        rows.append({
            tr("gen.col.model"): tr(f"gen.model.{name}"),
            tr("gen.col.accuracy"): s.accuracy,
            tr("gen.col.auc"): s.auc,
            tr("gen.col.missed", label=names[1]): missed,
            tr("gen.col.false_alarms", label=names[1]): false_alarms,
        })  # fmt: skip
    with st.container(key="gen_cls_table"):
        table(pd.DataFrame(rows), 3, hide_index=True, width="stretch")


def cnn_result(source: Source) -> CnnResult | None:
    """The learner's CNN trained on this source, whatever its settings, if it finished at least
    one epoch (the explanation step maps its attention)."""
    snap = current_job(JOB)
    if snap is None or not isinstance(snap.result, CnnResult) or snap.result.scores is None:
        return None
    meta = snap.meta
    return snap.result if isinstance(meta, tuple) and meta[0] == fingerprint(source) else None


def render(actor: Actor, source: Source, k: int) -> None:
    data = dataset(source)
    if data.labels is None:
        st.info(tr("gen.needs_labels"), icon=":material/label_off:")
        return
    label = lambda o: tr(f"gen.q.cnn_vs_kmers.{o}")  # noqa: E731
    if not question.predict(actor, "cnn_vs_kmers", label, k=k):
        return
    compared = _trees(source, k)
    scores = {} if compared is None else dict(compared.scores)
    if compared is not None:
        seconds = sum(compared.fit_seconds.values())
        st.caption(tr("gen.cls.trees_note", k=k, seconds=seconds))
    st.markdown(f"**{tr('gen.cls.cnn_title')}**")
    st.caption(tr("gen.cls.cnn_note"))
    settings, both_strands = _settings()
    signature = (fingerprint(source), settings, both_strands)
    result = trained(
        JOB, signature, tr("gen.cls.train"), lambda: _job(source, settings, both_strands), _live
    )
    if isinstance(result, CnnResult) and result.scores is not None:
        scores["cnn"] = result.scores
        with st.container(key="gen_cnn_final"):
            plot(curve_figure(list(result.history)))
    if scores:
        _table(scores, class_names(data))
        with st.container(key="gen_cls_roc"):
            plot(_roc(scores))
    if "cnn" not in scores:
        st.caption(tr("gen.cls.train_to_check"))
    elif compared is not None:
        best = max(scores["random_forest"].accuracy, scores["xgboost"].accuracy)
        why = tr("gen.q.cnn_vs_kmers.why", kmers=best, cnn=scores["cnn"].accuracy)
        question.check(actor, "cnn_vs_kmers", cnn_truth(best, scores["cnn"].accuracy), label, why)
