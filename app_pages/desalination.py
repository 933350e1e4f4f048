"""Desalination lab: compare seven ways of making fresh water on a real water (seawater, the
Caspian, the Aral, brackish groundwater or your own analysis), then choose a method for a
village. Physics in core/desalination/, page parts in app_pages/components/desal/."""

from __future__ import annotations

import streamlit as st

from app_pages.components.desal import calculator, village
from app_pages.components.session import require_actor, tr

actor = require_actor()
st.title(tr("labs.desalination.title"))
st.caption(tr("desal.intro"))
compare, exercise = st.tabs([tr("desal.tab.compare"), tr("desal.tab.village")])
with compare:
    calculator.render()
with exercise:
    village.render(actor)
