"""Numbers, units and times are written the reader's way, through the one formatter
(core/locale.py) and through every translated text (core.i18n.t)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core import locale
from core.i18n import t

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("lang", "expected"), [("kk", f"2{NBSP}000,5"), ("ru", f"2{NBSP}000,5"), ("en", "2,000.5")]
)
def test_thousands_and_decimals(lang: str, expected: str) -> None:
    assert locale.number(2000.5, lang, 1) == expected


def test_fixed_decimals_percentages_and_missing_values() -> None:
    assert locale.number(1.0, "ru", 2) == "1,00"
    assert locale.integer(1999.6, "kk") == f"2{NBSP}000"
    assert locale.percent(0.456, "en") == "46%"
    assert locale.percent(0.4567, "kk", 1) == "45,7%"
    assert locale.number(float("nan"), "ru") == "—"


def test_units_come_translated() -> None:
    assert locale.quantity(55.21, "bar", "ru", 1) == "55,2 бар"
    assert locale.quantity(35, "g/L", "kk") == "35 г/л"
    assert locale.quantity(3.2, "kWh/m3", "ru", 2) == "3,20 кВт⋅ч/м³"
    assert locale.unit_symbol("mg/L", "ru") == "мг/л"
    assert locale.quantity(1200, "m3/day", "en", 0) == "1,200 m³/d"


def test_times_are_on_the_readers_clock() -> None:
    noon_utc = datetime(2026, 12, 7, 13, 56, tzinfo=UTC)
    assert locale.moment(noon_utc, "ru", "Asia/Almaty") == "07.12.2026, 18:56"
    assert locale.moment(noon_utc, "en", "Europe/London") == "07/12/2026, 13:56"
    assert locale.moment(noon_utc, "kk", "Not/AZone").endswith("18:56")  # the school's zone
    assert locale.clock(noon_utc.replace(tzinfo=None), "kk", "Asia/Almaty") == "18:56"
    assert "2026" in locale.day(date(2026, 12, 7), "kk")
    assert locale.date_input_format("ru") == "DD.MM.YYYY"


def test_translated_texts_write_their_numbers_the_readers_way() -> None:
    ru = t("jobs.running", "ru", percent=7, seconds=12.44)
    assert ru.endswith("12 с") and "Выполняется" in ru
    assert locale.format_spec(2.5, ".1f", "kk") == "2,5"
    assert locale.format_spec(12000, ",", "ru") == f"12{NBSP}000"
    assert locale.format_spec(0.25, ".0%", "ru") == f"25{NBSP}%"
    assert locale.format_spec(2026, "", "ru") is None  # a year or an id stays as it is
    assert locale.format_spec(3, "d", "en") == "3"


def test_a_sign_and_a_setting_as_written() -> None:
    assert locale.format_spec(1.44, "+.2f", "ru") == "+1,44"
    assert locale.format_spec(-0.37, "+.2f", "kk") == "-0,37"
    assert locale.format_spec(0.052, "+.1%", "en") == "+5.2%"
    hot = t("desal.explain.hot_brine", "ru", temp=70.0, calcite=1.44)
    assert "70 °C" in hot and "+1,44" in hot
    balance = t("desal.water.balance", "ru", cations=1.5, anions=1.5, error=-0.0037)
    assert "-0,4\u00a0%" in balance  # CLDR puts a no-break space before the percent sign
    assert locale.exact(0.0001, "ru") == "0,0001"  # ``number`` would show 0
    assert locale.exact(0.995, "kk") == "0,995"
    assert locale.exact(100 * 0.07, "en") == "7"  # float noise is not a digit
    assert locale.exact(60000.0, "ru") == f"60{NBSP}000"
