"""Cached calls into core.desalination. Feeds travel as hashable tuples so Streamlit's cache
can key on them; a result is recomputed only when the water or a setting changes."""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.desalination import Feed, Result, simulate
from core.desalination.errors import DesalInputError
from core.desalination.sweep import (
    CurvePoint,
    RecoveryLimit,
    minimum_energy_curve,
    recovery_limit,
    sec_curve,
)
from core.desalination.village import VILLAGES, VillageVerdict, judge_choice
from app_pages.components.session import tr

FeedKey = tuple[str, tuple[tuple[str, float], ...], float, float]
Params = tuple[tuple[str, Any], ...]
CURVE_RECOVERIES = [0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85]


def feed_key(feed: Feed) -> FeedKey:
    return (feed.name, tuple(sorted(feed.ions_mg_l.items())), feed.temp_c, feed.ph)


def feed_of(key: FeedKey) -> Feed:
    name, ions, temp_c, ph = key
    return Feed(name, dict(ions), temp_c, ph)


@st.cache_data(max_entries=256, show_spinner=False)
def run(method: str, key: FeedKey, params: Params) -> Result | DesalInputError:
    try:
        return simulate(method, feed_of(key), **dict(params))
    except DesalInputError as error:
        return error


@st.cache_data(max_entries=64, show_spinner=False)
def curve(method: str, key: FeedKey, params: Params) -> list[CurvePoint]:
    settings = {k: v for k, v in params if k not in {"recovery", "pressure_bar"}}
    return sec_curve(method, feed_of(key), CURVE_RECOVERIES, settings)


@st.cache_data(max_entries=64, show_spinner=False)
def floor(key: FeedKey) -> list[float]:
    return minimum_energy_curve(feed_of(key), [r / 100 for r in range(5, 96, 5)])


@st.cache_data(max_entries=64, show_spinner=False)
def limit(method: str, key: FeedKey, params: Params) -> RecoveryLimit | None:
    settings = {k: v for k, v in params if k not in {"recovery", "pressure_bar", "nf_recovery"}}
    return recovery_limit(method, feed_of(key), settings)


@st.cache_data(max_entries=64, show_spinner=False)
def verdict(village_id: str, choice: str) -> VillageVerdict:
    village = next(v for v in VILLAGES if v.id == village_id)
    return judge_choice(village, choice)


def error_text(error: DesalInputError) -> str:
    values = dict(error.values)
    if values.get("name") in PARAM_LABELS:
        values["name"] = tr(f"desal.param.{values['name']}")
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
    }
)
