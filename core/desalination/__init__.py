"""Desalination: physically grounded models of seven ways to make fresh water from salt water,
comparable on one feed. Public entry points: ``preset``, ``Feed``, ``simulate``,
``osmotic_pressure_bar`` and ``minimum_energy_kwh_m3``; every impossible input raises
``DesalInputError`` (a ``ValueError``) with a code the page translates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace
from typing import Any

from core.desalination.electrodialysis import Electrodialysis, simulate_electrodialysis
from core.desalination.errors import DesalInputError
from core.desalination.ion_exchange import IonExchange, simulate_ion_exchange
from core.desalination.nanofiltration import Nanofiltration, NfRo, simulate_nf, simulate_nf_ro
from core.desalination.result import Result
from core.desalination.reverse_osmosis import ReverseOsmosis, simulate_ro
from core.desalination.thermal import MED, MSF, simulate_distillation
from core.desalination.thermo import minimum_energy_kwh_m3, osmotic_pressure_bar
from core.desalination.water import IONS, PRESETS, Feed, preset

METHODS: tuple[str, ...] = (
    "ro",
    "nf",
    "nf_ro",
    "electrodialysis",
    "distillation_msf",
    "distillation_med",
    "ion_exchange",
)
_MODELS: dict[str, tuple[Any, Callable[[Feed, Any], Result]]] = {
    "ro": (ReverseOsmosis(), simulate_ro),
    "nf": (Nanofiltration(), simulate_nf),
    "nf_ro": (NfRo(), simulate_nf_ro),
    "electrodialysis": (Electrodialysis(), simulate_electrodialysis),
    "distillation_msf": (MSF, simulate_distillation),
    "distillation_med": (MED, simulate_distillation),
    "ion_exchange": (IonExchange(), simulate_ion_exchange),
}


def defaults(method: str) -> Any:
    """The method's settings dataclass with its default values."""
    if method not in _MODELS:
        raise DesalInputError("unknown_method", method=method)
    return _MODELS[method][0]


def parameter_names(method: str) -> tuple[str, ...]:
    return tuple(f.name for f in fields(defaults(method)) if f.name != "kind")


def simulate(method: str, feed: Feed, **params: Any) -> Result:
    """Run one method on one feed; ``params`` override the method's defaults by name."""
    settings = defaults(method)
    allowed = parameter_names(method)
    for name in params:
        if name not in allowed:
            raise DesalInputError("unknown_parameter", method=method, name=name)
    return _MODELS[method][1](feed, replace(settings, **params))


__all__ = [
    "IONS",
    "METHODS",
    "PRESETS",
    "DesalInputError",
    "Feed",
    "Result",
    "defaults",
    "minimum_energy_kwh_m3",
    "osmotic_pressure_bar",
    "parameter_names",
    "preset",
    "simulate",
]
