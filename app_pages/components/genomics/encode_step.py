"""Step 2: the same sequence as a one-hot picture and as a k-mer count vector, and the question
of how wide the k-mer table gets."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app_pages.components.genomics import question
from app_pages.components.genomics.runs import Source, class_names, dataset, kmers
from app_pages.components.numbers import table
from app_pages.components.plots import plot
from app_pages.components.session import num, tr
from core.accounts import Actor
from core.genomics.encoding import BASES, K_RANGE, one_hot
from core.genomics.questions import column_values, columns_truth

SHOWN_POSITIONS = 40


def _one_hot_figure(seq: str) -> go.Figure:
    window = one_hot(seq[:SHOWN_POSITIONS]).T
    figure = go.Figure(
        go.Heatmap(
            z=window, x=list(range(1, len(window[0]) + 1)), y=list(BASES),
            colorscale=[[0, "#f4f4f4"], [1, "#1f6f8b"]], showscale=False, xgap=1, ygap=1,
            text=[list(seq[:SHOWN_POSITIONS])] * 4, texttemplate="%{text}",
        )
    )  # fmt: skip
    figure.update_layout(
        height=220, margin={"l": 10, "r": 10, "t": 30, "b": 10},
        title=tr("gen.enc.one_hot_title", shown=SHOWN_POSITIONS),
        xaxis_title=tr("gen.enc.position"),
    )  # fmt: skip
    figure.update_yaxes(autorange="reversed")
    return figure


def _kmer_figure(counts: np.ndarray, names: list[str]) -> go.Figure:
    order = np.argsort(-counts, kind="stable")[:20]
    figure = go.Figure(go.Bar(x=[names[i] for i in order], y=counts[order], marker_color="#1f6f8b"))
    figure.update_layout(
        height=260, margin={"l": 10, "r": 10, "t": 30, "b": 10},
        title=tr("gen.enc.kmer_title"), yaxis_title=tr("gen.enc.count"),
    )  # fmt: skip
    return figure


def _class_difference(source: Source, k: int) -> None:
    data = dataset(source)
    if data.labels is None:
        return
    x, names = kmers(source, k)
    negative, positive = (x[data.labels == c].mean(axis=0) for c in (0, 1))
    order = np.argsort(-np.abs(positive - negative), kind="stable")[:10]
    labels = class_names(data)
    frame = pd.DataFrame(
        {
            tr("gen.col.kmer"): [names[i] for i in order],
            tr("gen.col.mean_in", label=labels[1]): positive[order],
            tr("gen.col.mean_in", label=labels[0]): negative[order],
        }
    )
    st.markdown(f"**{tr('gen.enc.differ')}**")
    with st.container(key="gen_enc_differ"):
        table(frame, 2, hide_index=True, width="stretch")


def render(actor: Actor, source: Source) -> int:
    """Returns the chosen k, which the later steps use too."""
    k = st.slider(
        tr("gen.enc.k"), K_RANGE[0], K_RANGE[1], 4, key="gen_k", help=tr("gen.enc.k_help")
    )
    data = dataset(source)
    length = len(data.seqs[0])
    values = column_values(k, length)
    label = lambda o: tr(f"gen.q.columns.{o}", value=num(values[o]))  # noqa: E731
    if not question.predict(actor, "columns", label, k=k, length=length):
        return k
    x, names = kmers(source, k)
    row = st.selectbox(
        tr("gen.enc.sequence"),
        range(min(len(data), 50)),
        format_func=data.names.__getitem__,
        key="gen_enc_row",
    )
    seq = data.seqs[row]
    with st.container(key="gen_enc_onehot"):
        plot(_one_hot_figure(seq))
    with st.container(key="gen_enc_kmers"):
        plot(_kmer_figure(x[row], names))
    cols = st.columns(2)
    cols[0].metric(tr("gen.enc.one_hot_shape"), f"{num(length)} × 4 = {num(4 * length)}")
    cols[1].metric(tr("gen.enc.kmer_shape"), f"{num(len(data))} × {num(x.shape[1])}")
    columns, windows = num(x.shape[1]), num(length - k + 1)
    why = tr("gen.q.columns.why", k=k, columns=columns, windows=windows)
    question.check(actor, "columns", columns_truth(k, length, x.shape[1]), label, why)
    _class_difference(source, k)
    return k
