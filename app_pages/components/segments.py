"""A segmented control that always holds one of its options."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st


def segments(
    label: str,
    options: Sequence[str],
    name: Callable[[str], str],
    default: str,
    key: str,
    where: Any = st,
) -> str:
    """Clicking the selected segment of ``st.segmented_control`` unselects it and returns None;
    a lab always needs a choice to show, so that click keeps ``default``. ``where`` is a column
    or container to place it in."""
    chosen = where.segmented_control(label, options, format_func=name, default=default, key=key)
    return default if chosen is None else str(chosen)
