"""CSV formula injection (issue 20, item 6): a name such as `=HYPERLINK("http://x","y")` in a
downloaded CSV must open in a spreadsheet as text, not as a formula (OWASP CSV Injection)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import update
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from core.db.models import User
from core.db.session import get_engine
from core.exports import events_csv, neutralise_cell, safe_csv
from tests.app.conftest import Seed, app_as, assert_clean

FORMULA = '=HYPERLINK("http://x","y")'


def _rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the byte-order mark for Cyrillic"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_neutralised(start: str) -> None:
    cell = f"{start}cmd|' /C calc'!A0"
    assert neutralise_cell(cell) == "'" + cell
    rows = _rows(safe_csv(pd.DataFrame({"name": [cell, "Dana"]})))
    assert [r["name"] for r in rows] == ["'" + cell, "Dana"]


def test_numbers_stay_numbers_and_ordinary_text_is_untouched() -> None:
    frame = pd.DataFrame(
        {"name": ["Дана", "a=b", "-"], "delta": [-1.5, 2.0, -3.0], "n": [-1, 0, 3]}
    )
    rows = _rows(safe_csv(frame))
    assert [r["delta"] for r in rows] == ["-1.5", "2.0", "-3.0"]
    assert [r["n"] for r in rows] == ["-1", "0", "3"]
    assert [r["name"] for r in rows] == ["Дана", "a=b", "'-"]
    assert neutralise_cell(-4) == -4 and neutralise_cell(None) is None


def test_column_names_are_neutralised_too() -> None:
    assert list(_rows(safe_csv(pd.DataFrame({"=1+1": [1]})))[0]) == ["'=1+1"]


def test_my_data_export_keeps_payload_json_and_neutralises_text() -> None:
    events = pd.DataFrame(
        {"item_id": ["@SUM(A1)"], "payload": [{"choice": "=1"}], "decision_ms": [-5]}
    )
    text = events_csv(events).decode("utf-8-sig")
    assert '"\'@SUM(A1)"' in text and '"{""choice"": ""=1""}"' in text and ",-5" in text


def test_teacher_export_of_a_student_named_like_a_formula(
    seed: Seed, monkeypatch: pytest.MonkeyPatch
) -> None:
    with get_engine().begin() as conn:  # core accepts the name; set it whatever core refuses
        conn.execute(
            update(User).where(User.id == seed.student.user_id).values(display_name=FORMULA)
        )
    served: dict[str, bytes] = {}
    keep = MemoryMediaFileStorage.load_and_get_id

    def spy(self: MemoryMediaFileStorage, data: Any, mimetype: str, *args: Any) -> str:
        if mimetype == "text/csv":
            served[mimetype] = bytes(data)
        return keep(self, data, mimetype, *args)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    at = app_as(seed.teacher)
    at.switch_page("app_pages/teacher_dashboard.py").run()
    assert_clean(at)
    rows = _rows(served["text/csv"])
    assert {r["student"] for r in rows} == {"'" + FORMULA}
    assert all(0 <= float(r["p_mastery"]) <= 1 for r in rows)


def test_no_page_writes_a_csv_itself() -> None:
    """A new export cannot slip past the helper: no page calls a DataFrame's to_csv."""
    root = Path(__file__).resolve().parents[2] / "app_pages"
    offenders = [str(p) for p in root.rglob("*.py") if ".to_csv(" in p.read_text()]
    assert not offenders, offenders
