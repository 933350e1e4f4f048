"""The desalination page: it renders in every language, compares methods on each water with a
table, explanations and charts; impossible settings give a translated message, not a
traceback; the village exercise records one event per answer on the village's skill."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from app_pages.components.desal import runs
from core.accounts import Actor
from core.config import LANGUAGES
from core.desalination import default_sweeps, simulate
from core.desalination.village import VILLAGES, judge_choice
from core.telemetry import load_events
from tests.app.conftest import Seed, app_as, assert_clean, visible_texts

PAGE = "app_pages/desalination.py"


def _open(actor: Actor, lang: str = "en") -> AppTest:
    at = app_as(actor, lang)
    at.switch_page(PAGE).run()
    assert_clean(at)
    return at


def _events(actor: Actor) -> pd.DataFrame:
    events = load_events(actor, [actor.user_id])
    return events[events["activity"] == "desal"].reset_index(drop=True)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_page_compares_the_default_methods_in_every_language(seed: Seed, lang: str) -> None:
    at = _open(seed.student, lang)
    assert len(at.dataframe) >= 1
    assert len(at.get("plotly_chart")) >= 4
    assert not at.error


def test_seawater_table_ro_against_the_hybrid(seed: Seed) -> None:
    at = _open(seed.student)
    at.multiselect(key="desal_methods").set_value(["ro", "nf_ro"]).run()
    assert_clean(at)
    table = at.dataframe[0].value  # for reading: numbers written out as text
    assert list(table["Method"]) == ["Reverse osmosis", "NF → RO hybrid"]
    ro, hybrid = table.iloc[0], table.iloc[1]
    assert 2.5 <= float(ro["Energy, kWh/m³"]) <= 4.0
    assert float(ro["Product, mg/l"]) < 500 and float(hybrid["Product, mg/l"]) < 500
    assert "%" in ro["Recovery limit"] and ro["Recovery"].endswith("%")
    words = " ".join(m.value for m in at.markdown)
    assert "bar" in words and "thermodynamic minimum" in words


@pytest.mark.parametrize("water", ["caspian", "aral", "brackish"])
def test_every_preset_renders_without_a_traceback(seed: Seed, water: str) -> None:
    at = _open(seed.student)
    at.selectbox(key="desal_water").set_value(water).run()
    assert_clean(at)
    if water == "aral":  # RO cannot reach 45 % on an 86 g/L brine: a message, not a crash
        assert any("membrane's limit" in e.value for e in at.error)


def test_the_recovery_slider_reruns_the_method_not_its_curve_or_limit(
    seed: Seed, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: Counter[tuple[str, str]] = Counter()

    def counting(name: str, original: Any) -> Any:
        def call(method: str, *args: Any, **kwargs: Any) -> Any:
            calls[name, method] += 1
            return original(method, *args, **kwargs)

        return call

    for name in ("energy_curve", "limit"):
        monkeypatch.setattr(default_sweeps, name, counting(name, getattr(default_sweeps, name)))
    monkeypatch.setattr(runs, "simulate", counting("run", simulate))
    st.cache_data.clear()
    at = _open(seed.student)
    at.multiselect(key="desal_methods").set_value(["ro", "nf_ro"]).run()
    assert_clean(at)
    opened = calls.copy()
    assert all(opened[n, m] == 1 for n in ("run", "energy_curve", "limit") for m in ("ro", "nf_ro"))
    for value in (40, 50, 55):
        at.slider(key="desal_ro_recovery").set_value(value).run()
        at.slider(key="desal_nf_ro_recovery").set_value(value).run()
    assert_clean(at)
    assert calls - opened == {("run", "ro"): 3, ("run", "nf_ro"): 3}
    at.slider(key="desal_ro_erd").set_value(90).run()  # energy only: the limit stays
    assert calls - opened == {("run", "ro"): 4, ("run", "nf_ro"): 3, ("energy_curve", "ro"): 1}


def test_pressure_below_osmotic_is_explained(seed: Seed) -> None:
    at = _open(seed.student)
    at.toggle(key="desal_ro_by_pressure").set_value(True).run()
    at.number_input(key="desal_ro_pressure").set_value(20.0).run()
    assert_clean(at)
    assert any("below this water's osmotic pressure" in e.value for e in at.error)


def test_a_custom_water_with_a_bad_charge_balance_warns(seed: Seed) -> None:
    at = _open(seed.student)
    at.selectbox(key="desal_water").set_value("custom").run()
    assert_clean(at)
    assert not any("Above ±5%" in w.value for w in at.warning)
    at.multiselect(key="desal_methods").set_value(["ro", "ion_exchange"]).run()
    assert_clean(at)
    assert len(at.dataframe) >= 2  # the ion editor and the comparison


def test_the_village_exercise_records_the_answer_and_its_misconception(seed: Seed) -> None:
    village = VILLAGES[0]
    verdict = judge_choice(village, "ro")
    wrong = next(o.method for o in verdict.options if o.method not in verdict.acceptable)
    right = verdict.acceptable[0]
    at = _open(seed.student)
    at.radio(key=f"desal_village_choice_{village.id}").set_value(wrong)
    at.button(key=f"desal_village_submit_{village.id}").click().run()
    assert_clean(at)
    assert any("Not this time" in w.value for w in at.warning)
    at.radio(key=f"desal_village_choice_{village.id}").set_value(right)
    at.button(key=f"desal_village_submit_{village.id}").click().run()
    assert_clean(at)
    assert any("Right:" in s.value for s in at.success)
    events = _events(seed.student)
    assert events["item_id"].tolist() == [f"village_{village.id}"] * 2
    assert events["skill"].tolist() == [village.skill] * 2
    assert events["correct"].tolist() == [False, True]
    assert events["error_type"].iloc[0] and pd.isna(events["error_type"].iloc[1])
    assert events["attempt"].tolist() == [1, 2]


NBSP = "\u00a0"


def test_russian_numbers_and_units_are_written_the_russian_way(seed: Seed) -> None:
    """Seawater in Russian: a decimal comma, a space between thousands, units in Russian, in
    the metrics, the comparison table and its headers."""
    at = _open(seed.student, "ru")
    at.selectbox(key="desal_water").set_value("seawater").run()
    assert_clean(at)
    shown: dict[str, str] = {}
    for m in at.metric:  # the comparison's water first, then the village's
        shown.setdefault(m.label, m.value)
    tds, osmotic = shown["Солёность (TDS)"], shown["Осмотическое давление"]
    assert re.fullmatch(r"3\d,\d\d г/л", tds), tds
    assert re.fullmatch(r"\d\d,\d бар", osmotic), osmotic
    hardness = shown["Жёсткость в пересчёте на CaCO₃"]
    assert re.fullmatch(rf"\d{NBSP}\d\d\d мг/л", hardness), hardness  # about 6 600 mg/l
    table = at.dataframe[0].value
    assert {"Давление (избыточное), бар", "Рассол, г/л", "Продукт, мг/л"} <= set(table.columns)
    assert all(re.fullmatch(r"\d+,\d\d", value) for value in table["Энергия, кВт⋅ч/м³"])
    assert all(value.endswith(f"{NBSP}%") for value in table["Степень извлечения"])
    assert not [text for text in visible_texts(at) if re.search(r"\d\.\d", text)]
    assert not any(unit in text for text in visible_texts(at) for unit in ("g/L", "mg/L", " bar"))


def test_the_village_brief_reads_in_russian(seed: Seed) -> None:
    at = _open(seed.student, "ru")
    at.segmented_control(key="desal_village").set_value("aktau").run()
    assert_clean(at)
    shown = {m.label: m.value for m in at.metric}
    assert shown["Нужно воды"] == f"20{NBSP}000 м³/д"


def test_submitting_without_a_choice_asks_for_one(seed: Seed) -> None:
    at = _open(seed.student)
    at.button(key=f"desal_village_submit_{VILLAGES[0].id}").click().run()
    assert_clean(at)
    assert _events(seed.student).empty
