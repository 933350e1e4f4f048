"""Curves and limits the page plots: specific energy against recovery for each method, the
thermodynamic floor under them, and the highest recovery a method reaches before its brine
scales or its membrane's pressure limit is hit.

Both sweeps set the recovery themselves, so the recovery a student chose is not an input of
either: ``curve_settings`` and ``limit_settings`` give the part of a method's settings each one
depends on, the key to cache them under."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from core.desalination import defaults, simulate
from core.desalination.errors import DesalInputError
from core.desalination.result import Result
from core.desalination.thermo import J_PER_KWH, minimum_energy_j_m3, separation_minimum_j_m3
from core.desalination.water import IONS, Feed

# Notes that make a design unacceptable, and so bound its recovery.
LIMIT_NOTES = frozenset(
    {
        "gypsum_scaling",
        "calcite_scaling",
        "nf_gypsum_scaling",
        "nf_calcite_scaling",
        "brine_too_salty",
    }
)
RECOVERY_SWEPT = frozenset(
    {"ro", "nf", "nf_ro", "distillation_msf", "distillation_med", "electrodialysis"}
)
# The stage recoveries the page's energy chart is drawn at.
CURVE_RECOVERIES: tuple[float, ...] = (0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85)
# Set by the sweeps themselves, whatever the student chose. A fixed pressure is left out too:
# curves and limits are designed at the flux, as plants are.
SWEPT_SETTINGS = frozenset({"recovery", "pressure_bar"})
# Settings that change a design's energy bill but never whether it works (its pressure, its
# brine's saturation and salinity, its product): the recovery limit does not depend on them.
_MEMBRANE_ENERGY = frozenset({"pump_efficiency", "erd_efficiency", "auxiliary_kwh_m3_feed"})
ENERGY_ONLY: dict[str, frozenset[str]] = {
    "ro": _MEMBRANE_ENERGY,
    "nf": _MEMBRANE_ENERGY,
    "nf_ro": _MEMBRANE_ENERGY,
    "electrodialysis": frozenset(
        {
            "current_density_a_m2",
            "current_efficiency",
            "permselectivity",
            "membrane_resistance_ohm_cm2",
            "channel_mm",
            "pumping_kwh_m3",
        }
    ),
    "distillation_msf": frozenset({"gor", "electrical_kwh_m3", "turbine_efficiency"}),
    "distillation_med": frozenset({"gor", "electrical_kwh_m3", "turbine_efficiency"}),
}
_UNSET = object()


def _without(method: str, params: Mapping[str, Any], dropped: frozenset[str]) -> dict[str, Any]:
    """``params`` minus ``dropped`` and minus the values equal to the method's defaults (they
    change nothing), so equal designs get equal keys. Unknown names stay, to be refused."""
    base = defaults(method)
    return {k: v for k, v in params.items() if k not in dropped and getattr(base, k, _UNSET) != v}


def curve_settings(method: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """What ``sec_curve`` of this method depends on: every setting but the recovery it sweeps
    (for NF→RO the NF stage's recovery stays: it moves the whole curve)."""
    return _without(method, params, SWEPT_SETTINGS)


def limit_settings(method: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """What the recovery and reason of ``recovery_limit`` depend on, for settings ``simulate``
    accepts: neither recovery (NF→RO runs its NF stage at NF's own limit) nor energy-only
    settings. Nothing for ion exchange, which has no limit."""
    if method not in RECOVERY_SWEPT:
        return {}
    dropped = SWEPT_SETTINGS | ENERGY_ONLY.get(method, frozenset())
    if method == "nf_ro":
        dropped |= {"nf_recovery"}
    return _without(method, params, dropped)


@dataclass(frozen=True)
class CurvePoint:
    recovery: float  # overall, product per feed
    sec_kwh_m3: float | None  # None: not feasible at this recovery
    reason: str  # "" when feasible, else an error or scaling code
    # The least work for the separation this design makes (its product may hold salt: NF).
    floor_kwh_m3: float | None = None


def overall(method: str, stage_recovery: float, params: dict[str, Any]) -> float:
    if method == "nf_ro":
        return stage_recovery * float(params.get("nf_recovery", 0.75))
    return stage_recovery


def _point(method: str, feed: Feed, recovery: float, params: dict[str, Any]) -> CurvePoint:
    try:
        result = simulate(method, feed, **{**params, "recovery": recovery})
    except DesalInputError as error:
        return CurvePoint(overall(method, recovery, params), None, error.code)
    return CurvePoint(
        result.recovery, result.sec_kwh_m3, limiting_note(result.notes), own_floor_kwh_m3(result)
    )


def own_floor_kwh_m3(result: Result) -> float:
    """The thermodynamic minimum for what this result makes: its product and its brine from
    its feed (``separation_minimum_j_m3``), per m³ of product."""
    feed = result.feed
    permeate = np.array([result.permeate_mg_l[i] for i in IONS]) / 1000.0
    brine = np.array([result.brine_mg_l[i] for i in IONS]) / 1000.0
    return (
        separation_minimum_j_m3(feed.vector, permeate, brine, result.recovery, feed.temp_c)
        / J_PER_KWH
    )


def limiting_note(notes: tuple[str, ...]) -> str:
    """The first note that makes a design unacceptable, or ""."""
    return min(LIMIT_NOTES.intersection(notes), default="")


def sec_curve(
    method: str, feed: Feed, recoveries: list[float], params: dict[str, Any] | None = None
) -> list[CurvePoint]:
    """SEC at each stage recovery (for NF→RO, the RO stage's; the point carries the overall)."""
    return [_point(method, feed, r, dict(params or {})) for r in recoveries]


def minimum_energy_curve(feed: Feed, recoveries: list[float]) -> list[float]:
    """kWh/m³, for the feed's own composition."""
    return [minimum_energy_j_m3(feed.vector, r, feed.temp_c) / J_PER_KWH for r in recoveries]


@dataclass(frozen=True)
class RecoveryLimit:
    recovery: float  # overall; 0 when even the lowest recovery fails
    reason: str  # what stops it just above: pressure_limit, gypsum_scaling, calcite_scaling…
    settings: dict[str, Any] = field(default_factory=dict)  # the parameters that reach it


def recovery_limit(
    method: str, feed: Feed, params: dict[str, Any] | None = None, *, tolerance: float = 0.01
) -> RecoveryLimit | None:
    """Bisection on (stage) recovery: pressure and saturation both rise with it, so the set of
    feasible recoveries is an interval from zero. None for ion exchange (no recovery knob)."""
    if method not in RECOVERY_SWEPT:
        return None
    settings = dict(params or {})
    if method == "nf_ro":
        # The NF brine scales on its own, whatever the RO stage does: run NF at its own limit.
        nf_settings = {k: v for k, v in settings.items() if not k.startswith("nf_")}
        nf = recovery_limit(
            "nf", feed, nf_settings | {"flux_lmh": settings.get("nf_flux_lmh", 20.0)}
        )
        if nf is None or nf.recovery <= 0:
            return nf
        settings["nf_recovery"] = nf.recovery
    low, high = 0.05, 0.98
    first = _point(method, feed, low, settings)
    if first.reason:
        return RecoveryLimit(0.0, first.reason, settings | {"recovery": low})
    top = _point(method, feed, high, settings)
    if not top.reason:
        return RecoveryLimit(top.recovery, "", settings | {"recovery": high})
    reason = top.reason
    while high - low > tolerance:
        middle = 0.5 * (low + high)
        point = _point(method, feed, middle, settings)
        if point.reason:
            high, reason = middle, point.reason
        else:
            low = middle
    return RecoveryLimit(overall(method, low, settings), reason, settings | {"recovery": low})
