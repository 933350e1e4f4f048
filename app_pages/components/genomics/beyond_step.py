"""Step 7: beyond one dataset in one place. Multimodal: sequence and clinical record together.
Federated: three hospitals train one model without sending a single sequence."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app_pages.components.genomics import question
from app_pages.components.genomics.runs import Source, class_names, dataset, fedavg, modalities
from app_pages.components.numbers import table
from app_pages.components.plots import plot
from app_pages.components.session import num, tr
from core.accounts import Actor
from core.genomics.multimodal import MODALITIES
from core.genomics.questions import federated_truth, multimodal_truth


def _multimodal(actor: Actor, source: Source, k: int) -> None:
    st.subheader(tr("gen.mm.title"), anchor=False)
    st.caption(tr("gen.mm.about"))
    data = dataset(source)
    if data.clinical is None or data.labels is None:
        st.info(tr("gen.mm.needs_clinical"), icon=":material/clinical_notes:")
        return
    label = lambda o: tr(f"gen.q.multimodal.{o}")  # noqa: E731
    if not question.predict(actor, "multimodal", label):
        return
    with st.spinner(tr("gen.mm.working")):
        result = modalities(source, k)
    figure = go.Figure(
        go.Bar(
            x=[tr(f"gen.mm.{m}") for m in MODALITIES],
            y=[result.scores[m].auc for m in MODALITIES],
            text=[num(result.scores[m].auc, 3) for m in MODALITIES],
            marker_color=["#9bb7c4", "#9bb7c4", "#1f6f8b"],
        )
    )
    figure.update_layout(
        height=280,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        title=tr("gen.mm.chart"),
        yaxis={"range": [0.5, 1], "title": "AUC"},
    )
    with st.container(key="gen_mm_chart"):
        plot(figure)
    st.caption(tr("gen.mm.columns", columns=", ".join(data.clinical.columns)))
    why = tr(
        "gen.q.multimodal.why",
        gain=result.auc_gain,
        best=tr(f"gen.mm.{result.best_single}"),
        points=result.accuracy_gain_points,
    )
    question.check(actor, "multimodal", multimodal_truth(result.auc_gain), label, why)


def _federated(actor: Actor, source: Source, k: int) -> None:
    st.subheader(tr("gen.fed.title"), anchor=False)
    st.caption(tr("gen.fed.about"))
    data = dataset(source)
    if data.institution is None or data.labels is None:
        st.info(tr("gen.fed.needs_sites"), icon=":material/domain:")
        return
    label = lambda o: tr(f"gen.q.federated.{o}")  # noqa: E731
    if not question.predict(actor, "federated", label):
        return
    rounds = st.slider(tr("gen.fed.rounds"), 1, 100, 30, key="gen_fed_rounds")
    result = fedavg(source, k, rounds)
    rows = [
        (tr("gen.fed.central"), result.centralised.accuracy),
        (tr("gen.fed.federated"), result.federated.accuracy),
    ]
    rows += [(tr("gen.fed.local", site=i + 1), s.accuracy) for i, s in enumerate(result.local)]
    figure = go.Figure(
        go.Bar(
            x=[r[0] for r in rows],
            y=[r[1] for r in rows],
            text=[num(r[1], 3) for r in rows],
            marker_color=["#9bb7c4", "#1f6f8b"] + ["#d9a441"] * len(result.local),
        )
    )
    figure.update_layout(
        height=300,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        title=tr("gen.fed.chart"),
        yaxis={"range": [0.4, 1], "title": tr("gen.col.accuracy")},
    )
    with st.container(key="gen_fed_chart"):
        plot(figure)
    sites = pd.DataFrame({
        tr("gen.col.site"): [tr("gen.fed.local", site=i + 1) for i in range(len(result.sizes))],
        tr("gen.col.size"): result.sizes,
        tr("gen.col.share", label=class_names(data)[1]): list(result.positives),
    })  # fmt: skip
    with st.container(key="gen_fed_sites"):
        table(sites, 2, hide_index=True, width="stretch")
    cols = st.columns(2)
    cols[0].metric(tr("gen.fed.shared"), num(result.numbers_shared))
    cols[1].metric(tr("gen.fed.kept"), num(result.bases_kept))
    local_mean = sum(s.accuracy for s in result.local) / len(result.local)
    why = tr(
        "gen.q.federated.why",
        central=result.centralised.accuracy,
        federated=result.federated.accuracy,
        local=local_mean,
    )
    question.check(
        actor,
        "federated",
        federated_truth(result.centralised.accuracy, result.federated.accuracy, local_mean),
        label,
        why,
    )


def render(actor: Actor, source: Source, k: int) -> None:
    _multimodal(actor, source, k)
    st.divider()
    _federated(actor, source, k)
