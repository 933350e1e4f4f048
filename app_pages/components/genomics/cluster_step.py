"""Step 3: clustering without labels, and whether the clusters it finds are the classes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app_pages.components.genomics import question
from app_pages.components.genomics.runs import Source, class_names, dataset, fingerprint
from app_pages.components.genomics.training import automatic
from app_pages.components.numbers import table
from app_pages.components.plots import plot
from app_pages.components.session import num, pct, tr
from core.accounts import Actor
from core.genomics import clustering
from core.genomics.clustering import (
    CLUSTER_RANGE,
    METHODS,
    PROJECTIONS,
    Dendrogram,
    Grouping,
    Projection,
)
from core.genomics.encoding import gc_content
from core.genomics.generators import Dataset
from core.genomics.questions import clusters_truth

SYMBOLS = ("circle", "x")
CLUSTERS_JOB = "gen_clu"
MAP_JOB = "gen_map"


def _scatter(
    points: np.ndarray,
    groups: np.ndarray,
    labels: np.ndarray | None,
    names: tuple[str, str],
    title: str,
) -> go.Figure:
    figure = go.Figure()
    for group in sorted(set(groups.tolist())):
        mask = groups == group
        symbols = None if labels is None else [SYMBOLS[int(v)] for v in labels[mask]]
        text = None if labels is None else [names[int(v)] for v in labels[mask]]
        figure.add_trace(
            go.Scattergl(
                x=points[mask, 0], y=points[mask, 1], mode="markers", text=text,
                name=tr("gen.clu.cluster", number=group + 1),
                marker={"size": 5, "opacity": 0.6, "symbol": symbols},
            )
        )  # fmt: skip
    figure.update_layout(height=420, margin={"l": 10, "r": 10, "t": 40, "b": 10}, title=title)
    return figure


def _dendrogram_figure(
    tree: Dendrogram, labels: np.ndarray | None, names: tuple[str, str]
) -> go.Figure:
    figure = go.Figure()
    for xs, ys in zip(tree.xs, tree.ys, strict=True):
        figure.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={"color": "#1f6f8b", "width": 1},
                showlegend=False,
                hoverinfo="skip",
            )
        )
    ticks = [5 + 10 * i for i in range(len(tree.leaves))]
    text = [names[int(labels[i])][0].upper() if labels is not None else "" for i in tree.leaves]
    figure.update_layout(
        height=300, margin={"l": 10, "r": 10, "t": 40, "b": 10}, title=tr("gen.clu.dendrogram"),
        xaxis={"tickvals": ticks, "ticktext": text}, yaxis_title=tr("gen.clu.distance"),
    )  # fmt: skip
    return figure


def _texts(codes: tuple[str, ...]) -> dict[str, str]:
    return {code: tr(f"gen.clu.{code}") for code in codes}


def _grouping(
    source: Source, data: Dataset, k: int, method: str, n_clusters: int
) -> Grouping | None:
    args = {
        "seqs": data.seqs, "labels": data.labels, "k": k, "method": method,
        "n_clusters": n_clusters, "seed": source.seed,
    }  # fmt: skip
    signature = (fingerprint(source), k, method, n_clusters)
    found = automatic(CLUSTERS_JOB, signature, lambda: (clustering.clusters_job, args))
    return found if isinstance(found, Grouping) else None


def _map(source: Source, data: Dataset, k: int, view: str) -> Projection | None:
    """t-SNE takes seconds to minutes: it is the long job here (PCA, milliseconds, is short)."""
    args = {"seqs": data.seqs, "k": k, "method": view, "seed": source.seed}
    signature = (fingerprint(source), k, view)
    work = lambda: (clustering.projection_job, args)  # noqa: E731
    shown = automatic(MAP_JOB, signature, work, short=view != "tsne")
    return shown if isinstance(shown, Projection) else None


def render(actor: Actor, source: Source, k: int) -> None:
    data = dataset(source)
    left, middle, right = st.columns(3)
    method = left.radio(
        tr("gen.clu.method"),
        METHODS,
        format_func=_texts(METHODS).__getitem__,
        key="gen_clu_method",
        horizontal=True,
    )
    n_clusters = middle.slider(
        tr("gen.clu.n"), CLUSTER_RANGE[0], CLUSTER_RANGE[1], 2, key="gen_clu_n"
    )
    view = right.radio(
        tr("gen.clu.projection"),
        PROJECTIONS,
        format_func=_texts(PROJECTIONS).__getitem__,
        key="gen_clu_view",
        horizontal=True,
    )
    labelled = data.labels is not None
    names = class_names(data)
    label = lambda o: tr(f"gen.q.clusters.{o}")  # noqa: E731
    if labelled and not question.predict(
        actor, "clusters", label, positive=names[1], negative=names[0]
    ):
        return
    grouping = _grouping(source, data, k, method, n_clusters)
    shown = _map(source, data, k, view)
    if grouping is None:
        return
    found = grouping.found
    cols = st.columns(3)
    cols[0].metric(
        tr("gen.clu.silhouette"), num(found.silhouette, 3), help=tr("gen.clu.silhouette_help")
    )
    if found.rand_index is not None:
        cols[1].metric(tr("gen.clu.rand"), num(found.rand_index, 3), help=tr("gen.clu.rand_help"))
    if shown is not None and shown.explained is not None:
        cols[2].metric(tr("gen.clu.explained"), pct(sum(shown.explained)))
    if shown is not None:
        title = tr("gen.clu.map_title", method=tr(f"gen.clu.{view}"))
        plot(_scatter(shown.points, found.clusters, data.labels, names, title), key="gen_clu_map")
    gc = np.array([gc_content(s) for s in data.seqs])
    by_sequence = pd.DataFrame({"cluster": found.clusters + 1, "gc": gc})
    summary = by_sequence.groupby("cluster").agg(size=("gc", "size"), gc=("gc", "mean"))
    if labelled:
        summary["share"] = pd.Series(data.labels).groupby(found.clusters + 1).mean()
    summary = summary.reset_index().rename(
        columns={
            "cluster": tr("gen.col.cluster"),
            "size": tr("gen.col.size"),
            "gc": tr("gen.col.gc"),
            "share": tr("gen.col.share", label=names[1]),
        }
    )
    with st.container(key="gen_clu_table"):
        table(summary, 3, hide_index=True, width="stretch")
    if grouping.tree is not None:
        plot(_dendrogram_figure(grouping.tree, data.labels, names), key="gen_clu_tree")
    if labelled and found.rand_index is not None:
        why = tr(
            "gen.q.clusters.why",
            rand=found.rand_index,
            silhouette=found.silhouette,
            gc_spread=float(summary[tr("gen.col.gc")].max() - summary[tr("gen.col.gc")].min()),
        )
        question.check(actor, "clusters", clusters_truth(found.rand_index), label, why)
