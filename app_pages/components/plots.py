"""Every chart goes through ``plot``: its numbers (axis ticks, hover values) are written the
reader's way — "1 200,5" in Kazakh and Russian, "1,200.5" in English — through Plotly's
``separators`` (core/locale.py holds the rule)."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st

from app_pages.components.session import lang
from core.locale import plotly_separators


def plot(figure: go.Figure, key: str | None = None, **options: Any) -> None:
    figure.update_layout(separators=plotly_separators(lang()))
    st.plotly_chart(figure, key=key, **options)
