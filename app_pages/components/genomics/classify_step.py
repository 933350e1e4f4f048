"""Step 4: k-mer models (random forest, XGBoost) against a CNN that reads positions, on the same
held-out quarter; ROC curves and confusion matrices."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.accounts import Actor
from core.genomics.classify import Scores
from core.genomics.cnn import CnnResult, CnnSettings, EpochLog, train_cnn
from core.genomics.encoding import one_hot_batch
from core.genomics.preprocess import augment_reverse_complement
from core.genomics.questions import cnn_truth
from core.jobs import JobContext, JobSnapshot
from app_pages.components.genomics import question
from app_pages.components.genomics.runs import Source, class_names, dataset, parts, trees
from app_pages.components.genomics.training import trained
from app_pages.components.session import tr

JOB = "gen_cnn"


def _settings() -> tuple[CnnSettings, bool]:
    cols = st.columns(4)
    epochs = cols[0].slider(tr("gen.cls.epochs"), 1, 40, 12, key="gen_cnn_epochs")
    filters = cols[1].select_slider(
        tr("gen.cls.filters"), [8, 16, 32, 64], 32, key="gen_cnn_filters"
    )
    width = cols[2].slider(tr("gen.cls.width"), 3, 25, 11, step=2, key="gen_cnn_width")
    both_strands = cols[3].checkbox(tr("gen.cls.rc"), key="gen_cnn_rc", help=tr("gen.cls.rc_help"))
    return CnnSettings(filters=filters, width=width, epochs=epochs), both_strands


def _job(source: Source, settings: CnnSettings, both_strands: bool) -> Any:
    data = dataset(source)
    assert data.labels is not None
    split = parts(source)
    train_seqs = [data.seqs[i] for i in split.train]
    train_labels = data.labels[split.train]
    if both_strands:
        train_seqs, train_labels = augment_reverse_complement(train_seqs, train_labels)
    x_test = one_hot_batch([data.seqs[i] for i in split.test])

    def run(ctx: JobContext) -> CnnResult:
        x_train = one_hot_batch(train_seqs)
        return train_cnn(
            x_train, train_labels, x_test, data.labels[split.test], settings, ctx.report
        )

    return run


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
            st.plotly_chart(curve_figure(history))


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
                x=s.fpr, y=s.tpr, mode="lines", name=f"{tr(f'gen.model.{name}')} (AUC {s.auc:.3f})"
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
            tr("gen.col.accuracy"): round(s.accuracy, 3),
            tr("gen.col.auc"): round(s.auc, 3),
            tr("gen.col.missed", label=names[1]): missed,
            tr("gen.col.false_alarms", label=names[1]): false_alarms,
        })  # fmt: skip
    with st.container(key="gen_cls_table"):
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def cnn_result(source: Source) -> CnnResult | None:
    """The CNN trained on this source in this session, if any (the explanation step uses it)."""
    result = st.session_state.get(f"{JOB}_result")
    if isinstance(result, tuple) and result[0] == source:
        return result[1]  # type: ignore[no-any-return]
    return None


def render(actor: Actor, source: Source, k: int) -> None:
    data = dataset(source)
    if data.labels is None:
        st.info(tr("gen.needs_labels"), icon=":material/label_off:")
        return
    label = lambda o: tr(f"gen.q.cnn_vs_kmers.{o}")  # noqa: E731
    if not question.predict(actor, "cnn_vs_kmers", label, k=k):
        return
    with st.spinner(tr("gen.cls.training_trees")):
        models = trees(source, k)
    scores = {name: m.scores for name, m in models.items()}
    st.caption(tr("gen.cls.trees_note", k=k, seconds=sum(m.fit_seconds for m in models.values())))
    st.markdown(f"**{tr('gen.cls.cnn_title')}**")
    st.caption(tr("gen.cls.cnn_note"))
    settings, both_strands = _settings()
    signature = (source, settings, both_strands)
    result = trained(
        JOB, signature, tr("gen.cls.train"), lambda: _job(source, settings, both_strands), _live
    )
    if isinstance(result, CnnResult) and result.scores is not None:
        st.session_state[f"{JOB}_result"] = (source, result)
        scores["cnn"] = result.scores
        with st.container(key="gen_cnn_final"):
            st.plotly_chart(curve_figure(list(result.history)))
    _table(scores, class_names(data))
    with st.container(key="gen_cls_roc"):
        st.plotly_chart(_roc(scores))
    if "cnn" in scores:
        best = max(scores["random_forest"].accuracy, scores["xgboost"].accuracy)
        why = tr("gen.q.cnn_vs_kmers.why", kmers=best, cnn=scores["cnn"].accuracy)
        question.check(actor, "cnn_vs_kmers", cnn_truth(best, scores["cnn"].accuracy), label, why)
    else:
        st.caption(tr("gen.cls.train_to_check"))
