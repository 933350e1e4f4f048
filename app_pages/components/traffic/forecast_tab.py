"""The forecast tab: a synthetic city's detector counts (two weeks, four detectors), a model
that predicts the flow 15 minutes ahead, and the naive guesses it must beat."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app_pages.components.numbers import signed_pct, slider, table
from app_pages.components.plots import plot
from app_pages.components.session import lang, num, tr
from app_pages.components.traffic import question, views
from core.accounts import Actor
from core.traffic import questions
from core.traffic.errors import TrafficInputError
from core.traffic.forecast import (
    MODELS,
    CityDaySettings,
    ForecastResult,
    ForecastSettings,
    city_day,
    train_forecast,
)

BASELINES = ("persistence", "yesterday")


@st.cache_data(show_spinner=False, max_entries=8)
def _forecast(
    city: CityDaySettings, settings: ForecastSettings
) -> ForecastResult | TrafficInputError:
    try:
        return train_forecast(city_day(city), settings)
    except TrafficInputError as error:
        return error


def _series(result: ForecastResult) -> None:
    s = result.series
    figure = go.Figure()
    for label, values, style in (
        ("actual", s.actual, {"color": "#222"}),
        ("model", s.predicted, {"color": "#2bb673"}),
        ("persistence", s.persistence, {"color": "#f28e2b", "dash": "dot"}),
    ):
        figure.add_trace(
            go.Scatter(
                x=s.times, y=values, mode="lines", line=style, name=tr(f"traffic.fc.line.{label}")
            )
        )
    figure.update_layout(
        height=320, margin={"t": 20, "b": 10}, yaxis_title=tr("traffic.fc.vehicles")
    )
    # Day and month in digits, in the reader's order: Plotly's own month names are English.
    day = "%d/%m" if lang() == "en" else "%d.%m"
    figure.update_xaxes(tickformat=f"%H:%M\n{day}", hoverformat=f"{day} %H:%M")
    with st.container(key="traffic_fc_series"):
        plot(figure, width="stretch")


def _hours(result: ForecastResult) -> None:
    figure = go.Figure()
    for key in ("model", "persistence"):
        figure.add_trace(
            go.Bar(x=list(range(24)), y=result.per_hour_mae[key], name=tr(f"traffic.fc.line.{key}"))
        )
    figure.update_layout(
        barmode="group",
        height=280,
        margin={"t": 20, "b": 10},
        xaxis_title=tr("traffic.fc.hour"),
        yaxis_title="MAE",
    )
    with st.container(key="traffic_fc_hours"):
        plot(figure, width="stretch")


def render(actor: Actor) -> None:
    st.caption(tr("traffic.fc.intro"))
    with st.expander(tr("traffic.fc.sources"), icon=":material/sensors:"):
        st.markdown(tr("traffic.fc.sources_body"))
    a, b, c = st.columns(3)
    days = a.slider(tr("traffic.fc.days"), 7, 42, 14, 7, key="traffic_fc_days")
    incidents = slider(
        tr("traffic.fc.incidents"), 0.0, 3.0, 0.5, 0.5, key="traffic_fc_incidents", where=b
    )
    names = {m: tr(f"traffic.fc.model.{m}") for m in MODELS}
    model = c.selectbox(
        tr("traffic.fc.model_label"), MODELS, format_func=names.__getitem__, key="traffic_fc_model"
    )
    city = CityDaySettings(days=days, incident_rate=incidents)
    settings = ForecastSettings(model=model)
    texts = {
        o: tr(f"traffic.q.forecast_vs_naive.{o}")
        for o in questions.QUESTIONS["forecast_vs_naive"].options
    }
    if not question.predict(actor, "forecast_vs_naive", texts.__getitem__):
        return
    result = _forecast(city, settings)
    if isinstance(result, TrafficInputError):
        views.explain(result)
        return
    cols = st.columns(3)
    model_mae = result.scores["model"].mae
    cols[0].metric(tr("traffic.fc.mae_model"), num(model_mae, 1))
    for column, key in zip(cols[1:], BASELINES, strict=True):
        baseline = result.scores[key].mae
        column.metric(
            tr(f"traffic.fc.mae_{key}"),
            num(baseline, 1),
            delta=signed_pct((model_mae - baseline) / baseline),
            delta_color="inverse",
        )
    st.caption(tr("traffic.fc.mae_help"))
    question.check(
        actor,
        "forecast_vs_naive",
        questions.compare_truth(model_mae, result.scores["persistence"].mae),
        texts.__getitem__,
        tr("traffic.q.forecast_vs_naive.why"),
    )
    _series(result)
    hours = {
        o: tr(f"traffic.q.forecast_hours.{o}")
        for o in questions.QUESTIONS["forecast_hours"].options
    }
    if question.predict(actor, "forecast_hours", hours.__getitem__):
        _hours(result)
        truth = questions.hours_truth(
            list(np.asarray(result.per_hour_mae["model"])),
            list(np.asarray(result.per_hour_mae["persistence"])),
        )
        question.check(
            actor, "forecast_hours", truth, hours.__getitem__, tr("traffic.q.forecast_hours.why")
        )
    scores = pd.DataFrame(
        {
            tr("traffic.fc.method"): [tr(f"traffic.fc.line.{k}") for k in ("model", *BASELINES)],
            "MAE": [result.scores[k].mae for k in ("model", *BASELINES)],
            "MAPE, %": [result.scores[k].mape for k in ("model", *BASELINES)],
        }
    )
    table(scores, {"MAE": 2, "MAPE, %": 1}, hide_index=True)
