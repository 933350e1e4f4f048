"""What the desalination page says must be true (issue 22, items 8–10): nanofiltration's own
thermodynamic floor, whether the NF → RO hybrid saves energy, the words for electrodialysis on
salty water, a brine without calcium, the legend of a brine that is only too salty, and the
methods a student chose surviving an invalid custom water."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from app_pages.components.desal import charts
from app_pages.components.desal.explain import explain
from app_pages.components.numbers import parse_number
from app_pages.components.session import LANG
from core.desalination import Feed, preset, simulate
from core.desalination.sweep import CurvePoint, sec_curve
from core.desalination.thermo import J_PER_KWH, minimum_energy_j_m3
from core.i18n import t
from tests.app.conftest import Seed, app_as, assert_clean

PAGE = "app_pages/desalination.py"


@pytest.fixture
def english() -> Iterator[None]:
    """tr() outside a running page reads the language from session state."""
    st.session_state[LANG] = "en"
    yield
    del st.session_state[LANG]


def test_nf_has_its_own_floor_below_its_energy() -> None:
    """NF's product keeps most of its sodium: its least work is far below pure water's, and its
    energy never drops under its own floor, while it may under pure water's."""
    seawater = preset("seawater")
    points = sec_curve("nf", seawater, [0.75, 0.85])
    for point in points:
        assert point.sec_kwh_m3 is not None and point.floor_kwh_m3 is not None
        pure = minimum_energy_j_m3(seawater.vector, point.recovery, 25.0) / J_PER_KWH
        assert 0 < point.floor_kwh_m3 < point.sec_kwh_m3
        assert point.floor_kwh_m3 < 0.5 * pure
    assert any(p.sec_kwh_m3 is not None and p.sec_kwh_m3 < 1.3 for p in points)


@pytest.mark.parametrize("water", ["seawater", "brackish", "caspian"])
@pytest.mark.parametrize("method", ["ro", "nf", "nf_ro", "electrodialysis", "distillation_med"])
def test_no_method_beats_the_floor_of_its_own_separation(water: str, method: str) -> None:
    (point,) = sec_curve(method, preset(water), [0.35])
    assert point.sec_kwh_m3 is not None and point.floor_kwh_m3 is not None
    assert point.sec_kwh_m3 > point.floor_kwh_m3


def test_the_nf_explanation_quotes_its_own_floor(english: None) -> None:
    text = explain(simulate("nf", preset("seawater")))
    assert "The least work for this separation is only 0.1" in text


def test_electrodialysis_on_seawater_does_not_talk_of_seawater_as_elsewhere(english: None) -> None:
    text = explain(simulate("electrodialysis", preset("seawater")))
    assert "at seawater salinity the same stack" not in text
    assert "far saltier than the brackish water" in text
    brackish = explain(simulate("electrodialysis", preset("brackish")))
    assert "at seawater salinity the same stack" in brackish


def test_a_brine_without_calcium_says_so(english: None) -> None:
    water = Feed("custom", {"Na": 1000.0, "Cl": 1542.0}, 25.0, 7.0)
    text = explain(simulate("ro", water))
    assert "not defined (no calcium)" in text
    assert "-56" not in text and "−56" not in text


def test_a_brine_that_is_only_too_salty_is_not_called_scaling(english: None) -> None:
    points = [
        CurvePoint(0.45, 9.0, ""),
        CurvePoint(0.55, 9.0, "brine_too_salty"),
        CurvePoint(0.65, 9.0, "calcite_scaling"),
    ]
    figure = charts.sec_vs_recovery({"distillation_med": points}, [0.5], [1.0])
    names = {trace.name: [round(x) for x in trace.x] for trace in figure.data}
    scaled = t("desal.chart.scaling", "en", method="Distillation (MED)")
    salty = t("desal.chart.too_salty", "en", method="Distillation (MED)")
    assert names[scaled] == [65]
    assert names[salty] == [55]


def test_the_page_says_whether_the_hybrid_saves_energy(seed: Seed) -> None:
    at = app_as(seed.student, "en")
    at.switch_page(PAGE).run()
    at.selectbox(key="desal_water").set_value("seawater").run()
    at.multiselect(key="desal_methods").set_value(["ro", "nf_ro"]).run()
    assert_clean(at)
    verdicts = [i.value for i in at.info if "Does the hybrid save energy here?" in i.value]
    assert len(verdicts) == 1, [i.value for i in at.info]
    assert verdicts[0].startswith("Does the hybrid save energy here? No:")
    assert "+5" in verdicts[0] or "+4" in verdicts[0]  # about +50 % on ocean water


def test_membrane_constants_can_be_set_on_the_page(seed: Seed) -> None:
    at = app_as(seed.student, "en")
    at.switch_page(PAGE).run()
    at.selectbox(key="desal_water").set_value("seawater").run()
    at.multiselect(key="desal_methods").set_value(["ro"]).run()
    before = at.dataframe[0].value.iloc[0].to_dict()
    at.selectbox(key="desal_ro_membrane").set_value("seawater_ro_low_energy").run()
    assert_clean(at)
    after = at.dataframe[0].value.iloc[0].to_dict()
    pressure = next(c for c in before if c.startswith("Pressure (gauge)"))
    assert float(after[pressure]) < float(before[pressure])
    at.toggle(key="desal_ro_own").set_value(True).run()
    assert_clean(at)
    assert at.select_slider(key="desal_ro_a").value == pytest.approx(1.0)
    assert np.isfinite(float(at.dataframe[0].value.iloc[0][pressure]))


def _ties_script() -> None:
    import streamlit as st

    from app_pages.components.desal.village import _ties
    from app_pages.components.session import LANG
    from core.desalination import METHODS
    from core.desalination.economics import Cost
    from core.desalination.village import VILLAGES, Option, judge_choice

    st.session_state[LANG] = "en"
    prices = {"ro": 0.61, "electrodialysis": 0.66}
    table = [
        Option(m, None, Cost(prices[m], 0, 0, 0, 0), "")
        if m in prices
        else Option(m, None, None, "too_salty")
        for m in METHODS
    ]
    _ties(judge_choice(VILLAGES[0], "electrodialysis", table))


def test_a_tie_within_the_tolerance_is_explained() -> None:
    at = AppTest.from_function(_ties_script, default_timeout=30).run()
    assert not at.exception
    (box,) = at.info
    assert box.value.startswith("Reverse osmosis is the cheapest at 0.61 USD/m³;")
    assert "within 10% of it: Electrodialysis (0.66 USD/m³)." in box.value


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("12.5", "ru", 12.5),
        ("12,5", "ru", 12.5),
        ("12,5", "kk", 12.5),
        ("21 686,7", "ru", 21686.7),
        ("21\u00a0686,7", "kk", 21686.7),
        ("21686.7", "en", 21686.7),
        ("21,686.7", "en", 21686.7),
        ("1,500", "en", 1500.0),
        ("12,5", "en", 12.5),
    ],
)
def test_a_typed_number_is_read_the_readers_way(text: str, lang: str, value: float) -> None:
    assert parse_number(text, lang) == pytest.approx(value)


@pytest.mark.parametrize("text", ["abc", "1,2,3", "", "1.2.3", "nan", "inf"])
def test_a_typed_non_number_is_refused_not_guessed(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text, "ru")
