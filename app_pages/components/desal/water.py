"""Pick a water: a preset, or your own analysis in mg/l with its charge balance checked."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.components.desal.runs import error_text
from app_pages.components.numbers import parse_number
from app_pages.components.session import lang, num, qty, tr, unit
from core.desalination import IONS, PRESETS, Feed, preset
from core.desalination.errors import DesalInputError
from core.desalination.thermo import PA_PER_BAR, osmotic_pressure_pa

CHOICES = (*PRESETS, "custom")


def _custom(temp_c: float) -> Feed | None:
    # Concentrations are typed as text and read the reader's way ("12,5" in kk and ru): a number
    # column of whole numbers drops a typed decimal point (12.5 became 125, a silent 10× error)
    # and does not take the decimal comma.
    start = pd.DataFrame(
        {"ion": list(IONS), "mg_l": [num(float(PRESETS["brackish"][0][i])) for i in IONS]}
    ).set_index("ion")
    table = st.data_editor(
        start,
        key="desal_custom_ions",
        column_config={
            "mg_l": st.column_config.TextColumn(unit("mg/L")),
        },
        disabled=["ion"],
        width="content",
    )
    ph = st.number_input("pH", 4.0, 10.5, 7.5, 0.1, key="desal_custom_ph")
    values: dict[str, float] = {}
    for ion, text in table["mg_l"].items():
        if text is None or (isinstance(text, float) and pd.isna(text)) or not str(text).strip():
            continue
        try:
            values[str(ion)] = parse_number(str(text), lang())
        except ValueError:
            st.error(
                tr("desal.water.bad_number", ion=str(ion), text=str(text)), icon=":material/error:"
            )
            return None
    try:
        feed = Feed("custom", values, temp_c, ph)
    except DesalInputError as error:
        st.error(error_text(error), icon=":material/error:")
        return None
    balance = feed.charge_balance()
    text = tr(
        "desal.water.balance",
        cations=balance.cations_meq_l,
        anions=balance.anions_meq_l,
        error=balance.error,
    )
    if balance.ok:
        st.caption(text)
    else:
        st.warning(text + " " + tr("desal.water.balance_bad"), icon=":material/warning:")
    return feed


def pick_water() -> Feed | None:
    """The water widgets and a short summary; None when the custom analysis is invalid."""
    labels = {c: tr(f"desal.water.{c}") for c in CHOICES}
    left, right = st.columns([3, 2])
    choice = left.selectbox(
        tr("desal.water.label"), CHOICES, format_func=labels.__getitem__, key="desal_water"
    )
    temp_c = right.slider(tr("desal.water.temperature"), 1, 45, 25, key="desal_temp")
    if choice == "custom":
        feed = _custom(float(temp_c))
    else:
        feed = preset(choice, float(temp_c))
        st.caption(tr(f"desal.water.{choice}_about"))
    if feed is not None:
        cols = st.columns(4)
        cols[0].metric(tr("desal.metric.tds"), qty(feed.tds_g_l, "g/L", 2))
        osmotic = osmotic_pressure_pa(feed.vector, feed.temp_c) / PA_PER_BAR
        cols[1].metric(tr("desal.metric.osmotic"), qty(osmotic, "bar", 1))
        cols[2].metric(tr("desal.metric.hardness"), qty(feed.hardness_mg_l_caco3, "mg/L", 0))
        cols[3].metric("pH", num(feed.ph, 1))
    return feed
