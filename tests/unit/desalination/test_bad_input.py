"""Physically impossible inputs raise DesalInputError (a ValueError) with the code the page
translates, and a plain English message carrying the numbers."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from core.desalination import (
    PRESETS,
    DesalInputError,
    Feed,
    minimum_energy_kwh_m3,
    osmotic_pressure_bar,
    preset,
    simulate,
)

SEAWATER = preset("seawater")
BRACKISH = preset("brackish")


def _raises(code: str, call: Callable[[], Any]) -> DesalInputError:
    with pytest.raises(ValueError) as info:
        call()
    error = info.value
    assert isinstance(error, DesalInputError)
    assert error.code == code, str(error)
    return error


def _is_sentence(text: str) -> bool:
    return bool(text) and text[0].isupper() and text.rstrip().endswith(".") and "{" not in text


CASES: list[tuple[str, Callable[[], Any], tuple[str, ...]]] = [
    ("tds_negative", lambda: osmotic_pressure_bar(-1.0), ("-1",)),
    ("tds_negative", lambda: minimum_energy_kwh_m3(-1.0, 0.5), ("-1",)),
    ("recovery_range", lambda: minimum_energy_kwh_m3(35.0, 1.0), ("1.0",)),
    ("recovery_range", lambda: minimum_energy_kwh_m3(35.0, 1.2), ("1.2",)),
    ("recovery_range", lambda: minimum_energy_kwh_m3(35.0, 0.0), ("0.0",)),
    ("recovery_range", lambda: simulate("ro", SEAWATER, recovery=1.0), ("1.0",)),
    ("recovery_range", lambda: simulate("ro", SEAWATER, recovery=1.2), ("1.2",)),
    ("recovery_range", lambda: simulate("ro", SEAWATER, recovery=0.0), ("0.0",)),
    ("temperature_range", lambda: osmotic_pressure_bar(35.0, -5.0), ("-5",)),
    ("temperature_range", lambda: osmotic_pressure_bar(35.0, 120.0), ("120",)),
    ("temperature_range", lambda: Feed("custom", {"Na": 100, "Cl": 154}, temp_c=120), ("120",)),
    ("temperature_range", lambda: Feed("custom", {"Na": 100, "Cl": 154}, temp_c=-5), ("-5",)),
    ("temperature_range", lambda: preset("seawater", temp_c=120), ("120",)),
    ("pressure_below_osmotic", lambda: simulate("ro", SEAWATER, pressure_bar=20), ("20", "25")),
    (
        "pressure_too_low_for_recovery",
        lambda: simulate("ro", SEAWATER, recovery=0.7, pressure_bar=60),
        ("60", "0.7"),
    ),
    ("unknown_method", lambda: simulate("boiling", SEAWATER), ("boiling",)),
    ("unknown_parameter", lambda: simulate("ro", SEAWATER, voltage=3.0), ("voltage", "ro")),
    ("negative_concentration", lambda: Feed("custom", {"Na": -5, "Cl": 100}), ("Na", "-5")),
    ("unknown_ion", lambda: Feed("custom", {"Na": 100, "Li": 5}), ("Li",)),
    ("ion_exchange_exhausted", lambda: simulate("ion_exchange", SEAWATER), ("bed volumes",)),
    (
        "product_not_cleaner",
        lambda: simulate("electrodialysis", BRACKISH, product_tds_mg_l=4000),
        ("4000", "3230"),
    ),
]


@pytest.mark.parametrize(
    ("code", "call", "numbers"), CASES, ids=[f"{n}-{c[0]}" for n, c in enumerate(CASES)]
)
def test_bad_input_raises_with_code_and_sentence(
    code: str, call: Callable[[], Any], numbers: tuple[str, ...]
) -> None:
    error = _raises(code, call)
    message = str(error)
    assert _is_sentence(message), message
    for number in numbers:
        assert number in message, (number, message)


def test_pressure_below_osmotic_reports_the_feed_osmotic_pressure() -> None:
    error = _raises("pressure_below_osmotic", lambda: simulate("ro", SEAWATER, pressure_bar=20))
    assert error.values["pressure"] == 20
    assert 24.5 <= float(error.values["osmotic"]) <= 26.5  # seawater's own π, ~25.4 bar
    assert re.search(r"\b25\.\d\b", str(error))


def test_ion_exchange_exhausted_reports_bed_volumes() -> None:
    error = _raises("ion_exchange_exhausted", lambda: simulate("ion_exchange", SEAWATER))
    bed_volumes = error.values["bed_volumes"]
    assert isinstance(bed_volumes, float)
    assert 0 < bed_volumes < 20  # a softener must run at least 20 bed volumes per regeneration
    assert str(bed_volumes) in str(error)


def test_error_is_a_value_error() -> None:
    assert issubclass(DesalInputError, ValueError)


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_preset_waters_are_charge_balanced(name: str) -> None:
    balance = preset(name).charge_balance()
    assert abs(balance.error) < 0.05
    assert balance.ok


def test_sodium_only_water_fails_the_charge_balance() -> None:
    balance = Feed("custom", {"Na": 500}).charge_balance()
    assert balance.anions_meq_l == 0.0
    assert balance.error == pytest.approx(1.0)
    assert balance.ok is False
