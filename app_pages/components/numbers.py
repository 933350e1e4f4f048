"""Numbers on widgets, in tables and in messages, written the reader's way through the one
formatter (core/locale.py, by way of session.num and session.pct).

Streamlit writes a slider's value with a printf format ("%0.2f", "%d"): a decimal point and no
thousands separator, whatever the language. ``slider`` offers the same values as a select slider
whose labels come from the formatter ("0,25", "20 000"). A table for reading gets its numbers
as text written the same way and right-aligned (``table``); a table to edit keeps numbers."""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st
from pandas.api.types import is_bool_dtype, is_integer_dtype, is_numeric_dtype
from streamlit.delta_generator import DeltaGenerator

from app_pages.components.session import num, pct


def decimals_of(step: float) -> int:
    """How many digits after the separator a step has: 0.05 → 2, 0.5 → 1, 10 → 0."""
    exponent = Decimal(repr(round(float(step), 10))).normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def values_between(low: float, high: float, step: float) -> list[Any]:
    """Every value from ``low`` to ``high`` by ``step``, without float noise (0.1 + 0.2)."""
    count = round((high - low) / step)
    if all(isinstance(v, int) for v in (low, high, step)):
        return [int(low + i * step) for i in range(count + 1)]
    digits = max(decimals_of(step), decimals_of(low))
    return [round(low + i * step, digits) for i in range(count + 1)]


def slider(
    label: str,
    low: float,
    high: float,
    value: float,
    step: float,
    *,
    key: str,
    where: DeltaGenerator | None = None,
    decimals: int | None = None,
    **options: Any,
) -> Any:
    """A slider from ``low`` to ``high`` by ``step`` whose numbers read the reader's way (whole
    numbers when the three are ints), starting at the value nearest ``value``; returns the
    chosen value."""
    choices = values_between(low, high, step)
    digits = decimals if decimals is not None else decimals_of(step)
    # Labels are made now, not in format_func: it may run later, outside this script run.
    labels = {choice: num(choice, digits) for choice in choices}
    start = min(choices, key=lambda choice: abs(choice - value))
    target: Any = where if where is not None else st
    return target.select_slider(
        label, choices, value=start, format_func=labels.__getitem__, key=key, **options
    )


def choice_labels(
    choices: Sequence[float], shown: Callable[[Any], str] = num
) -> Callable[[Any], str]:
    """``format_func`` for a select slider or select box of numbers: each written by ``shown``
    (num, exact, pct), looked up from labels made now."""
    labels = {choice: shown(choice) for choice in choices}
    return labels.__getitem__


def percent_format() -> str:
    """The printf format of a slider of whole percentages: "%d%%", or "%d %%" in Russian."""
    return pct(0.01).replace("%", "%%").replace("1", "%d", 1)


def signed(value: float, decimals: int | None) -> str:
    """A change, with its sign: "+0,012", "-0,003" (for st.metric's delta)."""
    shown = num(value, decimals)
    return "+" + shown if value > 0 and not shown.startswith("-") else shown


def signed_pct(fraction: float, decimals: int = 0) -> str:
    shown = pct(fraction, decimals)
    return "+" + shown if fraction > 0 and not shown.startswith("-") else shown


_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009'")
_EN_GROUPS = re.compile(r"[-+]?\d{1,3}(,\d{3})+(\.\d*)?")


def parse_number(text: str, lang: str) -> float:
    """A number typed into a text cell, the way the reader writes it: "12,5" and "21 686,7"
    (kk, ru: a decimal comma, spaces between thousands) or "21,686.7" (en), and a decimal point
    in any language. Raises ValueError rather than guess (a dropped separator is a 10× error)."""
    cleaned = str(text).strip().translate(_SPACES)
    if "," in cleaned and "." in cleaned:
        decimal = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        cleaned = cleaned.replace("." if decimal == "," else ",", "").replace(",", ".")
    elif "," in cleaned:
        if lang == "en" and _EN_GROUPS.fullmatch(cleaned):
            cleaned = cleaned.replace(",", "")
        elif cleaned.count(",") == 1:
            cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", cleaned):
        raise ValueError(text)
    value = float(cleaned)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def params(values: Mapping[str, object]) -> dict[str, object]:
    """Values for a translated message with whole numbers grouped ("5 000"): a text's plain
    ``{count}`` would print them as they are, as it does years and ids."""
    return {
        name: num(value)
        if isinstance(value, numbers.Integral) and not isinstance(value, bool)
        else value
        for name, value in values.items()
    }


def readable(
    frame: pd.DataFrame,
    decimals: int | Mapping[str, int | None] | None = 2,
    *,
    percent: Collection[str] = (),
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The frame with its numeric columns as text the reader's way (whole-number columns
    grouped, others with ``decimals`` digits, None: the digits they have, up to 3; ``percent``
    columns as percentages of a fraction), and a column config that right-aligns them."""
    shown, config = frame.copy(), {}
    for column in frame.columns:
        series = frame[column]
        if is_bool_dtype(series) or not is_numeric_dtype(series):
            continue
        digits = decimals.get(column, 2) if isinstance(decimals, Mapping) else decimals
        if column in percent:
            texts = ["—" if pd.isna(v) else pct(float(v), digits or 0) for v in series]
        elif is_integer_dtype(series):
            texts = [num(int(v)) for v in series]
        else:
            texts = ["—" if pd.isna(v) else num(float(v), digits) for v in series]
        shown[column] = texts
        config[column] = st.column_config.TextColumn(alignment="right")
    return shown, config


def table(
    frame: pd.DataFrame,
    decimals: int | Mapping[str, int | None] | None = 2,
    *,
    percent: Collection[str] = (),
    **options: Any,
) -> None:
    """st.dataframe for a table meant for reading (a few rows, not for sorting): its numbers
    written the reader's way."""
    shown, config = readable(frame, decimals, percent=percent)
    st.dataframe(shown, column_config=config, **options)
