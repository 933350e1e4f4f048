"""Traffic lab: signal control on SUMO (fixed plans, max-pressure, reinforcement learning) and
flow forecasting. Core in core/traffic/, page parts in app_pages/components/traffic/."""

from __future__ import annotations

import streamlit as st

from app_pages.components.session import require_actor, tr
from app_pages.components.traffic import TABS, forecast_tab, rl_tab, signals_tab

actor = require_actor()
st.title(tr("labs.traffic.title"))
st.caption(tr("traffic.intro"))
tabs = dict(zip(TABS, st.tabs([tr(f"traffic.tab.{t}") for t in TABS]), strict=True))
with tabs["signals"]:
    signals_tab.render(actor)
with tabs["rl"]:
    rl_tab.render(actor)
with tabs["forecast"]:
    forecast_tab.render(actor)
with tabs["about"]:
    st.markdown(tr("traffic.about"))
