"""Step 1: where the sequences come from (a generator with known truth, or your own FASTA and
labels CSV) and how they are cleaned. Returns the ``Source`` every later step reads."""

from __future__ import annotations

import itertools

import pandas as pd
import streamlit as st

from app_pages.components.genomics import question
from app_pages.components.genomics.runs import Source, class_names, error_text, prepared
from app_pages.components.numbers import slider, table
from app_pages.components.segments import segments
from app_pages.components.session import num, pct, tr
from app_pages.components.uploads import uploader
from core.accounts import Actor
from core.genomics.encoding import gc_content
from core.genomics.errors import GenomicsInputError
from core.genomics.fasta import MAX_MEGABYTES
from core.genomics.generators import LENGTH_RANGE, Dataset, Site
from core.genomics.preprocess import PreprocessReport, PreprocessSettings
from core.genomics.questions import gc_truth

KINDS = ("promoters", "tumour", "upload")
MOTIF_COLOURS = {"TATA": "orange", "GC_BOX": "blue", "CCAAT": "violet", "CRE": "green"}


def _source() -> Source:
    names = {k: tr(f"gen.data.kind.{k}") for k in KINDS}
    kind = segments(tr("gen.data.source"), KINDS, names.__getitem__, "promoters", "gen_kind")
    st.caption(tr(f"gen.data.about.{kind}"))
    settings = _settings(kind)
    if kind == "upload":
        fasta = uploader(
            tr("gen.data.fasta"), ("fa", "fasta", "fna", "txt"), "gen_fasta", MAX_MEGABYTES,
            help=tr("gen.data.fasta_help", limit=MAX_MEGABYTES),
        )  # fmt: skip
        labels = uploader(
            tr("gen.data.labels"), ("csv",), "gen_labels", MAX_MEGABYTES,
            help=tr("gen.data.labels_help"),
        )  # fmt: skip
        return Source(
            "upload",
            fasta=fasta.getvalue() if fasta is not None else None,
            labels_csv=labels.getvalue() if labels is not None else None,
            settings=settings,
        )
    left, middle, right = st.columns(3)
    n = slider(tr("gen.data.n"), 200, 5000, 2000, 100, key="gen_n", where=left)
    length = middle.slider(
        tr("gen.data.length"), LENGTH_RANGE[0], LENGTH_RANGE[1], 200, step=20, key="gen_length"
    )
    seed = right.number_input(tr("gen.data.seed"), 0, 9999, 0, key="gen_seed")
    return Source(kind, n, length, int(seed), settings=settings)


def _settings(kind: str) -> PreprocessSettings:
    with st.expander(tr("gen.data.cleaning"), icon=":material/cleaning_services:"):
        dedupe = st.checkbox(
            tr("gen.data.dedupe"), value=kind != "tumour", key=f"gen_dedupe_{kind}",
            help=tr("gen.data.dedupe_help"),
        )  # fmt: skip
        max_n = slider(tr("gen.data.max_n"), 0.0, 0.5, 0.1, 0.01, key="gen_max_n")
        target = st.number_input(
            tr("gen.data.target_length"), 0, 2000, 0, step=10, key="gen_target",
            help=tr("gen.data.target_help"),
        )  # fmt: skip
    return PreprocessSettings(dedupe, float(max_n), int(target) or None)


def _report(report: PreprocessReport) -> None:
    cols = st.columns(5)
    cols[0].metric(tr("gen.data.before"), num(report.before))
    cols[1].metric(tr("gen.data.duplicates"), num(report.duplicates_removed))
    cols[2].metric(tr("gen.data.n_heavy"), num(report.n_heavy_removed))
    cols[3].metric(tr("gen.data.resized"), f"{num(report.padded)} / {num(report.trimmed)}")
    cols[4].metric(tr("gen.data.after"), num(report.after))
    st.caption(tr("gen.data.length_note", length=report.target_length, gc=report.mean_gc))


def _preview(data: Dataset) -> None:
    rows = []
    for i in range(min(12, len(data))):
        rows.append(
            {
                tr("gen.col.name"): data.names[i],
                tr("gen.col.label"): ""
                if data.labels is None
                else class_names(data)[int(data.labels[i])],
                tr("gen.col.gc"): gc_content(data.seqs[i]),
                tr("gen.col.planted"): _planted(data, i),
                tr("gen.col.start"): data.seqs[i][:40] + "…",
            }
        )
    with st.container(key="gen_preview"):
        table(pd.DataFrame(rows), 3, hide_index=True, width="stretch")


def highlighted(seq: str, sites: tuple[Site, ...], width: int = 60) -> str:
    """The sequence as markdown, planted motifs on a coloured background, ``width`` bases a line."""
    colours = [""] * len(seq)
    for site in sites:
        colours[site.start : site.end] = [MOTIF_COLOURS.get(site.motif, "gray")] * (
            site.end - site.start
        )
    lines = []
    for start in range(0, len(seq), width):
        runs = []
        for colour, group in itertools.groupby(
            range(start, min(start + width, len(seq))), colours.__getitem__
        ):
            text = "".join(seq[i] for i in group)
            runs.append(f":{colour}-background[{text}]" if colour else text)
        lines.append(f"`{start + 1:>4}` " + "".join(runs))
    return "  \n".join(lines)


def _planted(data: Dataset, row: int) -> str:
    if data.sites:
        return ", ".join(f"{s.motif}@{s.start}" for s in data.sites[row])
    return ", ".join(data.mutations[row]) if data.mutations else ""


def render(actor: Actor) -> Source | None:
    source = _source()
    if source.kind == "upload" and source.fasta is None:
        st.info(tr("gen.data.upload_first"), icon=":material/upload_file:")
        return None
    result = prepared(source)
    if isinstance(result, GenomicsInputError):
        st.error(error_text(result), icon=":material/error:")
        return None
    data, report = result
    _report(report)
    _preview(data)
    if data.labels is None:
        st.info(tr("gen.data.no_labels"), icon=":material/label_off:")
        return source
    names = class_names(data)
    label = lambda o: tr(f"gen.q.gc.{o}", positive=names[1], negative=names[0])  # noqa: E731
    if question.predict(actor, "gc", label, positive=names[1], negative=names[0]):
        gc = report.gc_by_class
        st.metric(
            tr("gen.data.gc_gap", positive=names[1], negative=names[0]),
            f"{pct(gc[1], 1)} / {pct(gc[0], 1)}",
        )
        why = tr(f"gen.q.gc.why.{data.kind}", difference=gc[1] - gc[0])
        question.check(actor, "gc", gc_truth(gc[0], gc[1]), label, why)
    if data.sites:
        first = next(i for i, s in enumerate(data.sites) if s)
        st.markdown(f"**{tr('gen.data.example', name=data.names[first])}**")
        st.markdown(highlighted(data.seqs[first], data.sites[first]))
        st.caption(tr("gen.data.legend"))
    return source
