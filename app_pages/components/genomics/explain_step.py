"""Step 6: why the models decide. SHAP ranks the k-mers the XGBoost model relies on and splits
one prediction into contributions; the CNN's saliency and HiResCAM maps show which positions it
looked at. On generated promoters both should point at the planted motifs."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from app_pages.components.genomics import question
from app_pages.components.genomics.classify_step import cnn_result
from app_pages.components.genomics.data import MOTIF_COLOURS, highlighted
from app_pages.components.genomics.runs import Source, class_names, dataset, parts, shap_values
from app_pages.components.plots import plot
from app_pages.components.session import tr
from core.accounts import Actor
from core.genomics.cnn import position_maps
from core.genomics.encoding import one_hot_batch
from core.genomics.explain import motif_kmers
from core.genomics.generators import Site
from core.genomics.motifs import motif
from core.genomics.questions import top_kmer_options

SHOWN = 15


def _motif_of(kmer: str, k: int, keys: set[str]) -> str | None:
    return next((key for key in sorted(keys) if kmer in motif_kmers(motif(key).consensus, k)), None)


def _bars(
    pairs: list[tuple[str, float]], title: str, motifs: dict[str, str | None], key: str
) -> None:
    colours = [MOTIF_COLOURS.get(motifs.get(name) or "", "#9bb7c4") for name, _ in pairs]
    figure = go.Figure(
        go.Bar(
            x=[v for _, v in pairs][::-1],
            y=[n for n, _ in pairs][::-1],
            orientation="h",
            marker_color=colours[::-1],
        )
    )
    figure.update_layout(
        height=60 + 22 * len(pairs), margin={"l": 10, "r": 10, "t": 40, "b": 10}, title=title
    )
    with st.container(key=key):
        plot(figure)


def _saliency(source: Source, seq: str, sites: tuple[Site, ...]) -> None:
    result = cnn_result(source)
    if result is None:
        st.info(tr("gen.exp.train_cnn"), icon=":material/model_training:")
        return
    saliency, cam = position_maps(result, one_hot_batch([seq]))
    figure = go.Figure()
    positions = list(range(1, len(seq) + 1))
    figure.add_trace(
        go.Scatter(x=positions, y=saliency[0], name=tr("gen.exp.saliency"), mode="lines")
    )
    figure.add_trace(go.Scatter(x=positions, y=cam[0], name=tr("gen.exp.cam"), mode="lines"))
    for site in sites:
        figure.add_vrect(
            x0=site.start + 0.5,
            x1=site.end + 0.5,
            fillcolor=MOTIF_COLOURS.get(site.motif, "gray"),
            opacity=0.2,
            line_width=0,
            annotation_text=site.motif,
        )
    figure.update_layout(
        height=280,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        title=tr("gen.exp.map_title"),
        xaxis_title=tr("gen.enc.position"),
    )
    with st.container(key="gen_exp_map"):
        plot(figure)
    if not sites:
        return
    peak = int(np.argmax(saliency[0]))
    inside = next((s.motif for s in sites if s.start - 3 <= peak < s.end + 3), None)
    st.caption(
        tr("gen.exp.peak_inside", position=peak + 1, motif=inside)
        if inside
        else tr("gen.exp.peak_outside", position=peak + 1)
    )


def render(actor: Actor, source: Source, k: int) -> None:
    data = dataset(source)
    if data.labels is None:
        st.info(tr("gen.needs_labels"), icon=":material/label_off:")
        return
    with st.spinner(tr("gen.exp.working")):
        explanation = shap_values(source, k)
    ranked = [name for name, _ in explanation.top(len(explanation.names))]
    options = top_kmer_options(ranked)
    if not question.predict(actor, "top_kmer", str, options, k=k, label=class_names(data)[1]):
        return
    planted = {site.motif for sites in data.sites for site in sites}
    motifs = {name: _motif_of(name, k, planted) for name in ranked[:SHOWN]}
    _bars(explanation.top(SHOWN), tr("gen.exp.top_title", k=k), motifs, "gen_exp_top")
    if planted:
        hits = sum(m is not None for m in motifs.values())
        st.caption(tr("gen.exp.motif_share", hits=hits, shown=SHOWN))
    values = dict(zip(explanation.names, explanation.mean_abs, strict=True))
    best = max(options, key=values.__getitem__)
    why = tr(
        "gen.q.top_kmer.why",
        kmer=best,
        value=values[best],
        motif=_motif_of(best, k, planted) or "—",
    )
    question.check(actor, "top_kmer", (best,), str, why)
    test = parts(source).test
    shown = range(min(len(test), 100))
    first = next(
        (r for r in shown if data.labels[test[r]] == 1 and (not data.sites or data.sites[test[r]])),
        0,
    )
    names = class_names(data)
    rows = {r: f"{data.names[test[r]]} ({names[int(data.labels[test[r]])]})" for r in shown}
    row = st.selectbox(
        tr("gen.exp.sequence"), shown, index=first, format_func=rows.__getitem__, key="gen_exp_row"
    )
    contributions = explanation.for_sequence(row, 10)
    _bars(
        contributions,
        tr("gen.exp.one_title", name=data.names[test[row]], base=explanation.base_value),
        motifs,
        "gen_exp_one",
    )
    sites = data.sites[test[row]] if data.sites else ()
    _saliency(source, data.seqs[test[row]], sites)
    if sites:
        st.markdown(highlighted(data.seqs[test[row]], sites))
