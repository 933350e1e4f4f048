"""The one formatter for numbers, percentages, units, dates and times in the reader's language:
a Kazakh or Russian reader expects "2 000" and "1,05" (a space between thousands, a decimal
comma), "55,2 бар" and "г/л", and the time on their own clock, not "13:56 UTC".

Babel carries the Unicode CLDR data for kk, ru and en inside the package (offline). Pages call
these functions (through app_pages/components/session.py), and ``core.i18n.t`` formats every
number passed to a translated text with them, so ``"{seconds:.1f} s"`` in a catalogue becomes
"2,5 с" for a Russian reader.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_decimal, format_percent
from babel.units import format_compound_unit, format_unit

# English as used in a Kazakh school: decimal point, but day before month and a 24-hour clock.
BABEL_LOCALES: dict[str, str] = {"kk": "kk_KZ", "ru": "ru_RU", "en": "en_GB"}
DEFAULT_TIMEZONE = "Asia/Almaty"
SPEC = re.compile(r"^(?P<sign>\+)?(?P<comma>,)?(?:\.(?P<digits>\d+))?(?P<kind>[fdg%])?$")


@lru_cache(maxsize=8)
def babel_locale(lang: str) -> Locale:
    return Locale.parse(BABEL_LOCALES.get(lang, "en_GB"))


def _pattern(decimals: int | None) -> str:
    if decimals is None:
        return "#,##0.###"
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def number(value: float, lang: str, decimals: int | None = None) -> str:
    """``decimals`` fixed digits after the separator (None: as many as the value has, up to 3)."""
    if isinstance(value, float) and not math.isfinite(value):
        return "—"
    return str(format_decimal(value, format=_pattern(decimals), locale=babel_locale(lang)))


def exact(value: float, lang: str) -> str:
    """A value with exactly the digits it was written with: a setting such as 0.0001, 0.995 or
    1000.0 → "0,0001", "0,995", "1 000" (``number`` would round 0.0001 away)."""
    shown = round(float(value), 10)  # float noise (100 * 0.07) is not a digit anyone wrote
    if not math.isfinite(shown):
        return "—"
    exponent = Decimal(repr(shown)).normalize().as_tuple().exponent
    digits = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return number(shown, lang, digits)


def integer(value: float, lang: str) -> str:
    return number(round(value), lang, 0)


def percent(fraction: float, lang: str, decimals: int = 0) -> str:
    """0.456 → "46 %" (ru, kk: "46%")."""
    if not math.isfinite(fraction):
        return "—"
    loc = babel_locale(lang)
    pattern = str(loc.percent_formats[None].pattern).replace("#,##0", _pattern(decimals), 1)
    return str(format_percent(fraction, format=pattern, locale=loc))


@dataclass(frozen=True)
class Unit:
    cldr: str
    per: str | None = None  # the CLDR unit of a denominator ("g/L" = gram per litre)


# Our unit ids (as the models name them) → CLDR units, so names and symbols come translated.
UNITS: dict[str, Unit] = {
    "g/L": Unit("mass-gram", "volume-liter"),
    "mg/L": Unit("mass-milligram", "volume-liter"),
    "bar": Unit("pressure-bar"),
    "kWh/m3": Unit("energy-kilowatt-hour", "volume-cubic-meter"),
    "m3/day": Unit("volume-cubic-meter", "duration-day"),
    "m3": Unit("volume-cubic-meter"),
    "L": Unit("volume-liter"),
    "degC": Unit("temperature-celsius"),
    "s": Unit("duration-second"),
    "ms": Unit("duration-millisecond"),
    "min": Unit("duration-minute"),
    "h": Unit("duration-hour"),
    "MB": Unit("digital-megabyte"),
    "GB": Unit("digital-gigabyte"),
    "km": Unit("length-kilometer"),
    "kg": Unit("mass-kilogram"),
    "kWh": Unit("energy-kilowatt-hour"),
}


def quantity(value: float, unit: str, lang: str, decimals: int | None = None) -> str:
    """A number with its unit, both in the reader's language: 55.2 bar → "55,2 бар"."""
    if not math.isfinite(value):
        return "—"
    spec, loc, pattern = UNITS[unit], babel_locale(lang), _pattern(decimals)
    shown: str | None
    if spec.per is None:
        shown = format_unit(value, spec.cldr, length="short", format=pattern, locale=loc)
    else:
        shown = format_compound_unit(
            value, spec.cldr, denominator_unit=spec.per, length="short", format=pattern, locale=loc
        )
    return str(shown).replace("\u202f", " ")


def unit_symbol(unit: str, lang: str) -> str:
    """The unit alone, for an axis title or a column header: "г/л", "кВт⋅ч/м³"."""
    return quantity(1, unit, lang).replace(number(1, lang), "", 1).strip()


def zone(name: str | None) -> ZoneInfo:
    """The reader's time zone (the browser's), or the school's when unknown."""
    try:
        return ZoneInfo(name or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def moment(when: datetime, lang: str, timezone: str | None = None) -> str:
    """A date and time on the reader's clock: "07.12.2026, 18:56"."""
    aware = when if when.tzinfo else when.replace(tzinfo=ZoneInfo("UTC"))
    return str(
        format_datetime(aware, "short", tzinfo=zone(timezone), locale=babel_locale(lang))
    ).replace("\u202f", " ")


def day(when: date | datetime, lang: str, timezone: str | None = None) -> str:
    """A date alone: "7 дек. 2026 г."."""
    if isinstance(when, datetime):
        aware = when if when.tzinfo else when.replace(tzinfo=ZoneInfo("UTC"))
        when = aware.astimezone(zone(timezone)).date()
    return str(format_date(when, "medium", locale=babel_locale(lang)))


def clock(when: datetime, lang: str, timezone: str | None = None) -> str:
    aware = when if when.tzinfo else when.replace(tzinfo=ZoneInfo("UTC"))
    return str(format_time(aware, "short", tzinfo=zone(timezone), locale=babel_locale(lang)))


def plotly_separators(lang: str) -> str:
    """Plotly's decimal and thousands characters for the reader's language."""
    symbols = babel_locale(lang).number_symbols["latn"]
    return f"{symbols['decimal']}{symbols['group']}"


def date_input_format(lang: str) -> str:
    """The format Streamlit's date picker shows (it knows only YYYY, MM, DD and separators)."""
    return "YYYY/MM/DD" if lang == "en" else "DD.MM.YYYY"


def format_spec(value: float, spec: str, lang: str) -> str | None:
    """A Python format spec applied the reader's way (``.1f``, ``,.0f``, ``d``, ``.0%``, and
    with a sign, ``+.2f``), or None when the spec is not a plain number spec (then Python's own
    formatting applies)."""
    match = SPEC.match(spec)
    if match is None or isinstance(value, bool):
        return None
    if match["sign"]:
        shown = format_spec(value, spec[1:], lang)
        if shown is None or shown.startswith("-") or shown == "—":
            return shown
        return "+" + shown
    digits = match["digits"]
    kind = match["kind"]
    if kind == "%":
        return percent(value, lang, int(digits or 0))
    if kind == "d":
        return integer(value, lang)
    if kind == "f":
        return number(value, lang, int(digits) if digits is not None else 6)
    if kind is None and not match["comma"] and digits is None and not isinstance(value, float):
        return None  # "{count}" with a whole number: as it is (years, seeds, ids)
    return number(value, lang, None if kind == "g" else (int(digits) if digits else None))


# Plural forms for counted texts ("1 zero", "2 zeros"; Russian "1 нулём, 2 нулями, 5 нулями"). A
# counted text is a catalogue table with one entry per CLDR plural category; every language carries
# all four (one, few, many, other) so the catalogues keep the same keys, and CLDR's rules pick the
# category for a count in the reader's language.
PluralCategory = Literal["one", "few", "many", "other"]
PLURAL_CATEGORIES: tuple[PluralCategory, ...] = ("one", "few", "many", "other")


def plural_category(count: float, lang: str) -> PluralCategory:
    """CLDR's plural category of `count` in `lang` (zero and two fall back to other)."""
    found = str(babel_locale(lang).plural_form(count))
    return found if found in PLURAL_CATEGORIES else "other"


def plural_key(key: str, count: float, lang: str) -> str:
    """The catalogue key of the form of `key` that fits `count`: `<key>.<category>`."""
    return f"{key}.{plural_category(count, lang)}"
