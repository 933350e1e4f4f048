"""Plotly figures for the desalination lab: SEC against recovery over the thermodynamic floor,
ion rejection, the water and salt Sankey, and cost and CO₂. Drawing only."""

from __future__ import annotations

from collections.abc import Mapping

import plotly.graph_objects as go

from app_pages.components.ml.charts import PALETTE, layout
from app_pages.components.session import tr
from core.desalination import IONS, METHODS, Result
from core.desalination.economics import Cost
from core.desalination.sweep import CurvePoint

ION_LABELS = {
    "Na": "Na⁺",
    "K": "K⁺",
    "Ca": "Ca²⁺",
    "Mg": "Mg²⁺",
    "Cl": "Cl⁻",
    "SO4": "SO₄²⁻",
    "HCO3": "HCO₃⁻",
}


def colour(method: str) -> str:
    """One colour per method on every chart, whichever methods are shown."""
    return PALETTE[METHODS.index(method) % len(PALETTE)]


def sec_vs_recovery(
    curves: Mapping[str, list[CurvePoint]], floor_x: list[float], floor_y: list[float]
) -> go.Figure:
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[x * 100 for x in floor_x],
            y=floor_y,
            name=tr("desal.chart.minimum"),
            mode="lines",
            line={"color": "black", "dash": "dash"},
            fill="tozeroy",
            fillcolor="rgba(0,0,0,0.06)",
        )
    )
    for method, points in curves.items():
        ok = [p for p in points if p.sec_kwh_m3 is not None and not p.reason]
        line = colour(method)
        own = [p for p in points if p.floor_kwh_m3 is not None]
        if method == "nf" and own:
            # NF's product keeps most of its salt: its floor is its own, far below pure water's.
            fig.add_trace(
                go.Scatter(
                    x=[p.recovery * 100 for p in own],
                    y=[p.floor_kwh_m3 for p in own],
                    name=tr("desal.chart.own_minimum", method=tr(f"desal.method.{method}")),
                    mode="lines",
                    line={"color": line, "dash": "dot"},
                )
            )
        fig.add_trace(
            go.Scatter(
                x=[p.recovery * 100 for p in ok],
                y=[p.sec_kwh_m3 for p in ok],
                name=tr(f"desal.method.{method}"),
                mode="lines+markers",
                line={"color": line, "width": 3},
            )
        )
        for kind, symbol in (("scaling", "x"), ("too_salty", "triangle-up")):
            bad = [
                p
                for p in points
                if p.sec_kwh_m3 is not None and p.reason and _kind(p.reason) == kind
            ]
            if not bad:
                continue
            fig.add_trace(
                go.Scatter(
                    x=[p.recovery * 100 for p in bad],
                    y=[p.sec_kwh_m3 for p in bad],
                    name=tr(f"desal.chart.{kind}", method=tr(f"desal.method.{method}")),
                    mode="markers",
                    marker={"color": line, "symbol": symbol, "size": 11},
                )
            )
    fig.update_yaxes(type="log")
    return layout(fig, x=tr("desal.chart.recovery"), y=tr("desal.chart.sec"), height=460)


def _kind(reason: str) -> str:
    """A brine too salty for the plant is not a brine that scales: each gets its own legend."""
    return "too_salty" if reason == "brine_too_salty" else "scaling"


def rejection_bars(results: Mapping[str, Result]) -> go.Figure:
    fig = go.Figure()
    for method, result in results.items():
        rejection = result.ion_rejection
        fig.add_trace(
            go.Bar(
                x=[ION_LABELS[i] for i in IONS if i in rejection],
                y=[rejection[i] * 100 for i in IONS if i in rejection],
                name=tr(f"desal.method.{method}"),
                marker_color=colour(method),
            )
        )
    fig.update_layout(barmode="group")
    return layout(fig, x=tr("desal.chart.ion"), y=tr("desal.chart.rejection"), height=400)


def sankey(result: Result, capacity_m3_day: float) -> go.Figure:
    """Water per day through the plant for this capacity; hover shows the salt it carries."""
    scale = capacity_m3_day / result.recovery
    nodes: list[str] = []
    for flow in result.flows:
        for node in (flow.source, flow.target):
            if node not in nodes:
                nodes.append(node)
    index = {n: i for i, n in enumerate(nodes)}
    fig = go.Figure(
        go.Sankey(
            node={
                "label": [tr(f"desal.node.{n}") for n in nodes],
                "pad": 20,
                "thickness": 18,
                "color": "#4c78a8",
            },
            link={
                "source": [index[f.source] for f in result.flows],
                "target": [index[f.target] for f in result.flows],
                "value": [max(f.water_m3 * scale, 1e-6) for f in result.flows],
                "customdata": [f.salt_kg * scale / 1000.0 for f in result.flows],
                "hovertemplate": f"%{{value:,.0f}} {tr('desal.chart.water_unit')}<br>"
                f"%{{customdata:,.2f}} {tr('desal.chart.salt_unit')}<extra></extra>",
            },
        )
    )
    return layout(fig, height=360)


def cost_bars(costs: Mapping[str, Cost]) -> go.Figure:
    methods = [tr(f"desal.method.{m}") for m in costs]
    parts = (
        ("capital_usd_m3", "desal.cost.capital"),
        ("om_usd_m3", "desal.cost.om"),
        ("energy_usd_m3", "desal.cost.energy"),
        ("chemicals_usd_m3", "desal.cost.chemicals"),
    )
    fig = go.Figure()
    for n, (field, key) in enumerate(parts):
        fig.add_trace(
            go.Bar(
                x=methods,
                y=[getattr(c, field) for c in costs.values()],
                name=tr(key),
                marker_color=PALETTE[n],
            )
        )
    fig.add_trace(
        go.Scatter(
            x=methods,
            y=[c.co2_kg_m3 for c in costs.values()],
            name=tr("desal.cost.co2"),
            yaxis="y2",
            mode="markers",
            marker={"color": "black", "size": 12, "symbol": "diamond"},
        )
    )
    fig.update_layout(
        barmode="stack",
        yaxis2={
            "overlaying": "y",
            "side": "right",
            "title": tr("desal.cost.co2_axis"),
            "rangemode": "tozero",
        },
    )
    return layout(fig, y=tr("desal.cost.axis"), height=420)
