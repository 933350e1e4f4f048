"""The few settings per method a student tunes; everything else keeps the model's defaults,
listed in the docs. Each widget's range is the physically sensible one.

Number inputs (a pressure, a price) show what is typed the way Streamlit writes numbers, with a
decimal point: an input cannot follow the reader's language; sliders do (numbers.slider)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from app_pages.components.desal.runs import param_label
from app_pages.components.numbers import percent_format, slider
from app_pages.components.session import tr
from core.desalination.economics import Economics
from core.desalination.membranes import LMH, MEMBRANES

RO_MEMBRANES = ("auto", *(kind for kind in MEMBRANES if kind != "nf"))


def _pct(label: str, key: str, default: float, low: int, high: int) -> float:
    shown = percent_format()
    return st.slider(tr(label), low, high, round(default * 100), format=shown, key=key) / 100


def method_settings(method: str) -> dict[str, Any]:
    k = f"desal_{method}"
    if method == "ro":
        p: dict[str, Any] = {
            "recovery": _pct("desal.param.recovery", f"{k}_recovery", 0.45, 10, 90),
            "flux_lmh": st.slider(tr("desal.param.flux_lmh"), 5, 40, 14, key=f"{k}_flux"),
            "erd_efficiency": _pct("desal.param.erd_efficiency", f"{k}_erd", 0.95, 0, 98),
            "passes": st.radio(
                tr("desal.param.passes"), [1, 2], horizontal=True, key=f"{k}_passes"
            ),
        }
        if st.toggle(tr("desal.param.set_pressure"), key=f"{k}_by_pressure"):
            p["pressure_bar"] = st.number_input(
                param_label("pressure_bar"), 1.0, 120.0, 60.0, 1.0, key=f"{k}_pressure"
            )
        return p | membrane_settings(k)
    if method == "nf":
        return {
            "recovery": _pct("desal.param.recovery", f"{k}_recovery", 0.75, 10, 95),
            "flux_lmh": st.slider(tr("desal.param.flux_lmh"), 5, 40, 20, key=f"{k}_flux"),
        }
    if method == "nf_ro":
        return {
            "nf_recovery": _pct("desal.param.nf_recovery", f"{k}_nf_recovery", 0.75, 10, 95),
            "recovery": _pct("desal.param.ro_recovery", f"{k}_recovery", 0.65, 10, 95),
            "erd_efficiency": _pct("desal.param.erd_efficiency", f"{k}_erd", 0.95, 0, 98),
        }
    if method == "electrodialysis":
        return {
            "product_tds_mg_l": st.number_input(
                param_label("product_tds_mg_l"), 10.0, 5000.0, 500.0, 50.0, key=f"{k}_product"
            ),
            "recovery": _pct("desal.param.recovery", f"{k}_recovery", 0.85, 10, 95),
            "current_density_a_m2": st.slider(
                tr("desal.param.current_density_a_m2"), 5, 500, 50, key=f"{k}_current"
            ),
        }
    if method in ("distillation_msf", "distillation_med"):
        msf = method == "distillation_msf"
        return {
            "gor": slider(
                tr("desal.param.gor"), 2.0, 18.0, 8.0 if msf else 10.0, 0.5, key=f"{k}_gor"
            ),
            "top_brine_temp_c": st.slider(
                tr("desal.param.top_brine_temp_c"),
                90 if msf else 50,
                120 if msf else 75,
                110 if msf else 70,
                key=f"{k}_tbt",
            ),
            "recovery": _pct("desal.param.recovery", f"{k}_recovery", 0.35 if msf else 0.4, 10, 60),
        }
    return {
        "salt_dose_g_l": st.slider(
            tr("desal.param.salt_dose_g_l"), 40, 400, 120, 10, key=f"{k}_salt"
        ),
    }


def membrane_settings(k: str) -> dict[str, Any]:
    """A catalogue membrane, or its constants set by hand as in WAVE or WaterTAP: water
    permeability A, one salt permeability B for every ion, and the feed channel's
    mass-transfer coefficient k (polarisation), in L/(m²·h) like the datasheets."""
    labels = {m: tr(f"desal.membrane.{m}") for m in RO_MEMBRANES}
    p: dict[str, Any] = {
        "membrane": st.selectbox(
            tr("desal.param.membrane"),
            RO_MEMBRANES,
            format_func=labels.__getitem__,
            key=f"{k}_membrane",
        )
    }
    if not st.toggle(tr("desal.param.own_constants"), key=f"{k}_own"):
        return p
    p["a_lmh_bar"] = slider(tr("desal.param.a_lmh_bar"), 0.5, 8.0, 1.0, 0.1, key=f"{k}_a")
    p["b_lmh"] = slider(tr("desal.param.b_lmh"), 0.01, 1.0, 0.05, 0.01, key=f"{k}_b")
    k_lmh = slider(tr("desal.param.k_lmh"), 20, 300, 80, 10, key=f"{k}_k")
    p["mass_transfer_m_s"] = k_lmh * LMH
    return p


def economics_settings() -> Economics:
    base = Economics()
    with st.expander(tr("desal.economics.title"), icon=":material/payments:"):
        c1, c2, c3 = st.columns(3)
        return Economics(
            capacity_m3_day=c1.number_input(
                tr("desal.economics.capacity"),
                10.0,
                1e6,
                base.capacity_m3_day,
                100.0,
                key="desal_capacity",
            ),
            electricity_usd_kwh=c2.number_input(
                tr("desal.economics.electricity"),
                0.0,
                1.0,
                base.electricity_usd_kwh,
                0.01,
                key="desal_price",
            ),
            grid_kg_co2_kwh=c3.number_input(
                tr("desal.economics.grid"), 0.0, 1.5, base.grid_kg_co2_kwh, 0.01, key="desal_grid"
            ),
            heat_usd_kwh=c1.number_input(
                tr("desal.economics.heat"),
                0.0,
                0.5,
                base.heat_usd_kwh,
                0.005,
                format="%.3f",
                key="desal_heat",
            ),
            interest=c2.number_input(
                tr("desal.economics.interest"), 0.0, 0.3, base.interest, 0.01, key="desal_interest"
            ),
            years=int(
                c3.number_input(
                    tr("desal.economics.years"), 5, 50, base.years, 1, key="desal_years"
                )
            ),
        )
