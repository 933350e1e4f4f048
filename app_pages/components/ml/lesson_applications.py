"""Where ML is used: one short worked example each for medicine, finance, energy and marketing,
each beside the naive baseline it has to beat."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app_pages.components.lesson_frame import Submission
from app_pages.components.ml import charts
from app_pages.components.ml.cache import cached
from app_pages.components.numbers import table
from app_pages.components.session import num, tr
from core.accounts import Actor
from core.ml import applications
from core.ml.applications import DOMAINS, WorkedExample

KEY = "mla"
example_of = cached(applications.worked_example)


def _number(value: float) -> str:
    return num(value, 3 if abs(value) < 10 else 0)


def _metrics(example: WorkedExample) -> None:
    """Each metric on its own scale (a score, megawatts, a percentage): each row its own digits."""
    model = tr("ml.app.model_column")
    baseline = tr("ml.app.baseline_column", name=tr(f"ml.app.baseline.{example.baseline}"))
    rows = [
        {
            tr("ml.app.metric_column"): tr(f"ml.app.metric.{m.code}"),
            model: _number(m.value),
            baseline: "—" if m.baseline is None else _number(m.baseline),
        }
        for m in example.metrics
    ]
    right = {name: st.column_config.TextColumn(alignment="right") for name in (model, baseline)}
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", column_config=right)


def _translated(domain: str, frame: pd.DataFrame) -> pd.DataFrame:
    if domain == "finance" and "feature" in frame:
        frame = frame.assign(feature=[tr(f"ml.app.feature.{v}") for v in frame["feature"]])
    return frame.rename(columns={c: tr(f"ml.app.column.{c}") for c in frame.columns})


def _series(domain: str, series: pd.DataFrame) -> None:
    x = series.columns[0]
    fig = go.Figure()
    for i, column in enumerate(series.columns[1:]):
        fig.add_trace(
            go.Scatter(
                x=series[x],
                y=series[column],
                mode="lines",
                name=tr(f"ml.app.column.{column}"),
                line={"color": charts.PALETTE[i]},
            )
        )
    charts.show(
        charts.layout(fig, x=tr(f"ml.app.column.{x}"), height=360), f"{KEY}_{domain}_series"
    )


def render(actor: Actor) -> Submission | None:
    tabs = st.tabs([tr(f"ml.app.{domain}.title") for domain in DOMAINS])
    for domain, tab in zip(DOMAINS, tabs, strict=True):
        with tab:
            example = example_of(domain)
            st.markdown(tr(f"ml.app.{domain}.story"))
            st.caption(tr("ml.app.model_caption", model=example.model))
            _metrics(example)
            if example.series is not None:
                _series(domain, example.series)
            table(_translated(domain, example.table), None, hide_index=True, width="stretch")
            st.caption(tr(f"ml.app.{domain}.lesson"))
    return None
