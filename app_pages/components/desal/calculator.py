"""Compare methods on one water: settings per method, a table, the result in words, and the
charts (SEC against recovery over the thermodynamic floor, ions, flows, cost and CO₂)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from app_pages.components.desal import charts
from app_pages.components.desal.explain import explain
from app_pages.components.desal.runs import (
    FLOOR_RECOVERIES,
    Params,
    column,
    curve,
    error_text,
    feed_key,
    floor,
    limit,
    run,
)
from app_pages.components.desal.settings import economics_settings, method_settings
from app_pages.components.desal.water import pick_water
from app_pages.components.ml.charts import show
from app_pages.components.numbers import signed_pct, table
from app_pages.components.session import pct, tr
from core.desalination import METHODS, Feed, Result
from core.desalination.economics import Cost, cost
from core.desalination.errors import DesalInputError
from core.desalination.sweep import CURVE_RECOVERIES

DEFAULT_METHODS = ["ro", "nf_ro", "electrodialysis", "distillation_med"]


def _pick_methods() -> list[str]:
    labels = {m: tr(f"desal.method.{m}") for m in METHODS}
    chosen = st.multiselect(
        tr("desal.methods"),
        METHODS,
        default=DEFAULT_METHODS,
        format_func=labels.__getitem__,
        key="desal_methods",
    )
    return list(chosen)


def _settings(methods: list[str]) -> dict[str, Params]:
    out: dict[str, Params] = {}
    columns = st.columns(min(3, max(1, len(methods))))
    for n, method in enumerate(methods):
        with columns[n % len(columns)], st.expander(tr(f"desal.method.{method}")):
            out[method] = tuple(sorted(method_settings(method).items()))
    return out


# Digits after the separator per column (cost and CO₂: two); the recovery is a percentage.
DECIMALS = {"recovery": 0, "pressure": 1, "sec": 2, "heat": 1, "product": 0, "brine": 1}


def _row(method: str, result: Result, price: Cost, limit_text: str) -> dict[str, Any]:
    return {
        "method": tr(f"desal.method.{method}"),
        "recovery": result.recovery,
        "limit": limit_text,
        "pressure": np.nan if result.pressure_bar is None else result.pressure_bar,
        "sec": result.sec_kwh_m3,
        "heat": result.thermal_kwh_m3,
        "product": result.permeate_tds_mg_l,
        "brine": result.brine_tds_g_l,
        "lcow": price.lcow_usd_m3,
        "co2": price.co2_kg_m3,
    }


def _limit_text(method: str, feed: Feed, params: Params) -> str:
    found = limit(method, feed, params)
    if found is None:
        return "—"
    reason = tr(f"desal.limit.{found.reason or 'none'}")
    return f"{pct(found.recovery)} ({reason})"


def render() -> None:
    feed = pick_water()
    # The method widgets are drawn even while the custom water is invalid: a widget that is
    # not drawn in a run loses its value, and fixing a typo must not reset every setting.
    methods = _pick_methods()
    if not methods:
        st.info(tr("desal.pick_method"), icon=":material/touch_app:")
        return
    settings = _settings(methods)
    economics = economics_settings()
    if feed is None:
        return
    key = feed_key(feed)
    results: dict[str, Result] = {}
    for method in methods:
        outcome = run(method, key, settings[method])
        if isinstance(outcome, DesalInputError):
            st.error(
                f"**{tr(f'desal.method.{method}')}:** {error_text(outcome)}",
                icon=":material/block:",
            )
        else:
            results[method] = outcome
    if not results:
        return
    costs = {m: cost(r, economics) for m, r in results.items()}
    with st.spinner(tr("desal.computing_limits")):
        rows = [_row(m, r, costs[m], _limit_text(m, feed, settings[m])) for m, r in results.items()]
    st.subheader(tr("desal.table.title"), anchor=False)
    names = {name: column(name) for name in rows[0]}
    decimals = {names[n]: d for n, d in DECIMALS.items()}
    frame = pd.DataFrame(rows).rename(columns=names)
    with st.container(key="desal_table"):
        table(frame, decimals, percent=[names["recovery"]], hide_index=True)
    st.caption(tr("desal.table.caption"))
    with st.container(key="desal_explanations"):
        for method, result in results.items():
            st.markdown(f"**{tr(f'desal.method.{method}')}.** {explain(result)}")
    if "ro" in results and "nf_ro" in results:
        _hybrid(feed, results["ro"], results["nf_ro"], settings)
    _charts(feed, results, costs, settings, economics.capacity_m3_day)


def _hybrid(feed: Feed, ro: Result, hybrid: Result, settings: dict[str, Params]) -> None:
    """Does the NF → RO hybrid save energy on this water? Say what the numbers say: it pays
    for a second pump and the water NF discards, and what it buys is recovery on a water whose
    RO brine would scale, not energy per m³."""
    ro_limit = limit("ro", feed, settings["ro"])
    hybrid_limit = limit("nf_ro", feed, settings["nf_ro"])
    change = hybrid.sec_kwh_m3 / ro.sec_kwh_m3 - 1.0
    values = {
        "hybrid": hybrid.sec_kwh_m3,
        "ro": ro.sec_kwh_m3,
        "change": signed_pct(change),
        "ro_limit": 0.0 if ro_limit is None else ro_limit.recovery,
        "hybrid_limit": 0.0 if hybrid_limit is None else hybrid_limit.recovery,
    }
    key = "desal.hybrid.saves" if change < 0 else "desal.hybrid.costs"
    text = tr(key, **values)
    reaches_further = (
        ro_limit is not None
        and hybrid_limit is not None
        and hybrid_limit.recovery > ro_limit.recovery + 0.02
    )
    text += " " + tr(
        "desal.hybrid.further" if reaches_further else "desal.hybrid.not_further", **values
    )
    with st.container(key="desal_hybrid_verdict"):
        st.info(text, icon=":material/compare_arrows:")


def _charts(
    feed: Feed,
    results: dict[str, Result],
    costs: dict[str, Cost],
    settings: dict[str, Params],
    capacity: float,
) -> None:
    energy, ions, flows, money = st.tabs(
        [
            tr("desal.chart.tab_energy"),
            tr("desal.chart.tab_ions"),
            tr("desal.chart.tab_flows"),
            tr("desal.chart.tab_cost"),
        ]
    )
    with energy:
        swept = [m for m in results if m != "ion_exchange"]
        with st.spinner(tr("desal.computing_curves")):
            curves = {m: curve(m, feed, settings[m]) for m in swept}
        with st.container(key="desal_sec_chart"):
            figure = charts.sec_vs_recovery(curves, FLOOR_RECOVERIES, floor(feed))
            show(figure, "desal_sec_chart_plot")
        st.caption(tr("desal.chart.sec_caption", points=len(CURVE_RECOVERIES)))
        if "nf" in curves:
            st.caption(tr("desal.chart.nf_floor_caption"))
    with ions, st.container(key="desal_ion_chart"):
        show(charts.rejection_bars(results), "desal_ion_chart_plot")
    with flows:
        labels = {m: tr(f"desal.method.{m}") for m in results}
        chosen = st.selectbox(
            tr("desal.chart.flow_method"),
            list(results),
            format_func=labels.__getitem__,
            key="desal_sankey_method",
        )
        with st.container(key="desal_sankey"):
            show(charts.sankey(results[chosen], capacity), "desal_sankey_plot")
        st.caption(tr("desal.chart.sankey_caption", capacity=capacity))
    with money:
        with st.container(key="desal_cost_chart"):
            show(charts.cost_bars(costs), "desal_cost_chart_plot")
        st.caption(tr("desal.cost.caption"))
