"""What every process model returns, so the page compares methods in one table and one set
of charts. Energies are per m³ of product water; flows are per m³ of feed water."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

from core.desalination.errors import DesalInputError
from core.desalination.scaling import Saturation
from core.desalination.water import IONS, Feed, Vector, hardness_mg_l_caco3

P = TypeVar("P")


@dataclass(frozen=True)
class Flow:
    """One arrow of the Sankey: water (m³) and salt (kg) per m³ of feed."""

    source: str
    target: str
    water_m3: float
    salt_kg: float


@dataclass(frozen=True)
class Result:
    method: str
    feed: Feed
    recovery: float
    sec_kwh_m3: float  # electricity plus heat converted to equivalent electricity
    electrical_kwh_m3: float
    thermal_kwh_m3: float
    permeate_mg_l: dict[str, float]
    brine_mg_l: dict[str, float]
    energy_breakdown: dict[str, float]
    flows: tuple[Flow, ...]
    brine_saturation: Saturation | None = None
    pressure_bar: float | None = None
    notes: tuple[str, ...] = ()  # codes the page explains, e.g. "gypsum_supersaturated"
    extra: dict[str, float] = field(default_factory=dict)  # method-specific figures

    @property
    def permeate_tds_mg_l(self) -> float:
        return float(sum(self.permeate_mg_l.values()))

    @property
    def permeate_hardness_mg_l(self) -> float:
        """As CaCO₃."""
        return hardness_mg_l_caco3(np.array([self.permeate_mg_l[i] for i in IONS]) / 1000.0)

    @property
    def brine_tds_g_l(self) -> float:
        return float(sum(self.brine_mg_l.values())) / 1000.0

    @property
    def ion_rejection(self) -> dict[str, float]:
        """1 − c_product/c_feed per ion; negative when the process adds the ion (ion exchange
        swaps hardness for sodium)."""
        return {
            ion: 1.0 - self.permeate_mg_l[ion] / value
            for ion, value in self.feed.ions_mg_l.items()
            if value > 0
        }

    @property
    def salt_rejection(self) -> float:
        return 1.0 - self.permeate_tds_mg_l / self.feed.tds_mg_l


def mg_l(conc_kg_m3: Vector) -> dict[str, float]:
    return {ion: float(c) * 1000.0 for ion, c in zip(IONS, conc_kg_m3, strict=True)}


def check_range(name: str, value: float, low: float, high: float) -> None:
    if not np.isfinite(value) or not low <= value <= high:
        raise DesalInputError("parameter_range", name=name, low=low, high=high, value=value)


def water_flows(feed: Vector, recovery: float, permeate: Vector, process: str) -> tuple[Flow, ...]:
    brine_water = 1.0 - recovery
    feed_salt = float(feed.sum())
    product_salt = float(permeate.sum()) * recovery
    return (
        Flow("feed", process, 1.0, feed_salt),
        Flow(process, "product", recovery, product_salt),
        Flow(process, "brine", brine_water, feed_salt - product_salt),
    )
