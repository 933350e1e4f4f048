"""Cached calls into core.desalination, each keyed on exactly what its result depends on, so a
widget recomputes only what it changes: the recovery slider reruns the method (`run`), not its
energy curve or recovery limit, which sweep the recovery themselves (core.desalination.sweep's
curve_settings and limit_settings); an energy-only setting does not rerun the limit either.
Feeds travel as hashable tuples so Streamlit's cache can key on them."""

from __future__ import annotations

from typing import Any

import streamlit as st

from app_pages.components.numbers import params
from app_pages.components.session import pct, tr, unit
from core.desalination import Feed, Result, default_sweeps, simulate
from core.desalination.errors import DesalInputError
from core.desalination.sweep import (
    CurvePoint,
    RecoveryLimit,
    curve_settings,
    limit_settings,
    minimum_energy_curve,
)
from core.desalination.village import VILLAGES, Option, VillageVerdict, judge_choice, options

FeedKey = tuple[str, tuple[tuple[str, float], ...], float, float]
WaterKey = tuple[tuple[tuple[str, float], ...], float, float]  # a feed without its name
Params = tuple[tuple[str, Any], ...]
FLOOR_RECOVERIES = [r / 100 for r in range(5, 96, 5)]


def feed_key(feed: Feed) -> FeedKey:
    return (feed.name, tuple(sorted(feed.ions_mg_l.items())), feed.temp_c, feed.ph)


def feed_of(key: FeedKey) -> Feed:
    name, ions, temp_c, ph = key
    return Feed(name, dict(ions), temp_c, ph)


def _water(feed: Feed) -> WaterKey:
    return (tuple(sorted(feed.ions_mg_l.items())), feed.temp_c, feed.ph)


def _feed(water: WaterKey) -> Feed:
    ions, temp_c, ph = water
    return Feed("custom", dict(ions), temp_c, ph)


def _params(settings: dict[str, Any]) -> Params:
    return tuple(sorted(settings.items()))


@st.cache_data(max_entries=256, show_spinner=False)
def run(method: str, key: FeedKey, params: Params) -> Result | DesalInputError:
    try:
        return simulate(method, feed_of(key), **dict(params))
    except DesalInputError as error:
        return error


def curve(method: str, feed: Feed, params: Params) -> list[CurvePoint]:
    """SEC over CURVE_RECOVERIES; ``params``, a method's page settings, may hold a recovery."""
    return _curve(method, _water(feed), _params(curve_settings(method, dict(params))))


@st.cache_data(max_entries=64, show_spinner=False)
def _curve(method: str, water: WaterKey, settings: Params) -> list[CurvePoint]:
    return default_sweeps.energy_curve(method, _feed(water), dict(settings))


def limit(method: str, feed: Feed, params: Params) -> RecoveryLimit | None:
    """The highest recovery the method reaches on this water; ``params`` as for ``curve``."""
    return _limit(method, _water(feed), _params(limit_settings(method, dict(params))))


@st.cache_data(max_entries=64, show_spinner=False)
def _limit(method: str, water: WaterKey, settings: Params) -> RecoveryLimit | None:
    return default_sweeps.limit(method, _feed(water), dict(settings))


def floor(feed: Feed) -> list[float]:
    """The thermodynamic minimum over FLOOR_RECOVERIES: the salt and temperature only."""
    return _floor(_water(feed)[0], feed.temp_c)


@st.cache_data(max_entries=64, show_spinner=False)
def _floor(ions: tuple[tuple[str, float], ...], temp_c: float) -> list[float]:
    return minimum_energy_curve(Feed("custom", dict(ions), temp_c), FLOOR_RECOVERIES)


def verdict(village_id: str, choice: str) -> VillageVerdict:
    """Judging a choice is cheap; designing every method for the village is not, and does not
    depend on the choice: that is cached, once per village."""
    village = next(v for v in VILLAGES if v.id == village_id)
    return judge_choice(village, choice, _options(village_id))


@st.cache_data(max_entries=16, show_spinner=False)
def _options(village_id: str) -> tuple[Option, ...]:
    return tuple(options(next(v for v in VILLAGES if v.id == village_id)))


# The unit a label names, written in the reader's language (unit ids of core.locale.UNITS).
UNITS = {
    "pressure_bar": "bar", "product_tds_mg_l": "mg/L",  # settings
    "pressure": "bar", "sec": "kWh/m3", "heat": "kWh/m3", "product": "mg/L", "brine": "g/L",
}  # fmt: skip
FRACTIONS = frozenset({"recovery", "nf_recovery", "erd_efficiency"})  # shown as percentages


def param_label(name: str) -> str:
    """A method setting's label, with its unit."""
    return tr(f"desal.param.{name}", **({"unit": unit(UNITS[name])} if name in UNITS else {}))


def column(name: str) -> str:
    """A comparison table's column name, with its unit."""
    return tr(f"desal.table.{name}", **({"unit": unit(UNITS[name])} if name in UNITS else {}))


def error_text(error: DesalInputError) -> str:
    """The error in the reader's language, a recovery or an efficiency as a percentage."""
    values = dict(error.values)
    fractions = {"recovery"}
    if error.code == "recovery_range" or values.get("name") in FRACTIONS:
        fractions |= {"low", "high", "value"}
    for key in fractions & values.keys():
        if isinstance(values[key], int | float):
            values[key] = pct(float(values[key]))
    values = params(values)
    if values.get("name") in PARAM_LABELS:
        values["name"] = param_label(str(values["name"]))
    return tr(f"desal.error.{error.code}", **values)


PARAM_LABELS = frozenset(
    {
        "recovery",
        "flux_lmh",
        "pressure_bar",
        "erd_efficiency",
        "passes",
        "nf_recovery",
        "product_tds_mg_l",
        "current_density_a_m2",
        "gor",
        "top_brine_temp_c",
        "salt_dose_g_l",
        "membrane",
        "a_lmh_bar",
        "b_lmh",
    }
)
