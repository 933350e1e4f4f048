"""Ion exchange softening: a strong-acid cation resin in the sodium form swaps each calcium and
magnesium ion for two sodium ions, until the resin is spent; brine (NaCl) then swaps them back.

Bed volumes to breakthrough = operating capacity / hardness (both in eq/L). The operating
capacity rises with the salt dose and saturates near the resin's total capacity; the curve
1.55·(1 − e^(−dose/95)) eq/L fits typical strong-acid-cation data (≈0.9 eq/L at 80 g NaCl/L,
1.3 at 160, 1.45 at 240; Dow/DuPont resin engineering data). Salt does not leave the water:
TDS even rises a little, since 2 Na⁺ (46 g) replace one Ca²⁺ (40 g)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.desalination.errors import DesalInputError
from core.desalination.result import Flow, Result, check_range, mg_l
from core.desalination.water import ION_INDEX, Feed, M

NACL_G_MOL = 58.44


def operating_capacity_eq_l(salt_dose_g_l: float) -> float:
    return float(1.55 * (1.0 - np.exp(-salt_dose_g_l / 95.0)))


@dataclass(frozen=True)
class IonExchange:
    salt_dose_g_l: float = 120.0  # g NaCl per litre of resin per regeneration
    leakage: float = 0.01  # hardness fraction slipping through
    waste_bed_volumes: float = 6.0  # backwash, brine and rinse water per cycle
    pumping_kwh_m3: float = 0.05
    min_bed_volumes: float = 20.0

    def validate(self) -> None:
        check_range("salt_dose_g_l", self.salt_dose_g_l, 40.0, 400.0)
        check_range("leakage", self.leakage, 0.0, 0.2)
        check_range("waste_bed_volumes", self.waste_bed_volumes, 1.0, 20.0)
        check_range("pumping_kwh_m3", self.pumping_kwh_m3, 0.0, 1.0)


def simulate_ion_exchange(feed: Feed, settings: IonExchange) -> Result:
    settings.validate()
    ca, mg, na = ION_INDEX["Ca"], ION_INDEX["Mg"], ION_INDEX["Na"]
    hardness_eq_l = float(feed.vector[ca] / M[ca] * 2 + feed.vector[mg] / M[mg] * 2) / 1000.0
    capacity = operating_capacity_eq_l(settings.salt_dose_g_l)
    bed_volumes = capacity / hardness_eq_l if hardness_eq_l > 0 else float("inf")
    if bed_volumes < settings.min_bed_volumes:
        raise DesalInputError("ion_exchange_exhausted", bed_volumes=bed_volumes)
    product = feed.vector.copy()
    removed = (1.0 - settings.leakage) * feed.vector[[ca, mg]]
    product[[ca, mg]] -= removed
    swapped_eq = float((removed / M[[ca, mg]] * 2).sum())  # eq/m³
    product[na] += swapped_eq * M[na]
    recovery = bed_volumes / (bed_volumes + settings.waste_bed_volumes)
    salt_kg_m3 = settings.salt_dose_g_l / bed_volumes  # kg NaCl per m³ treated
    # The spent regenerant carries the hardness taken up plus the salt the resin did not use.
    waste_water = settings.waste_bed_volumes / bed_volumes
    waste = np.zeros_like(feed.vector)
    waste[[ca, mg]] = removed / waste_water
    unused_na_eq = max(salt_kg_m3 * 1000.0 / NACL_G_MOL - swapped_eq, 0.0)
    waste[na] = unused_na_eq * M[na] / waste_water
    waste[ION_INDEX["Cl"]] = salt_kg_m3 * (1.0 - M[na] * 1000.0 / NACL_G_MOL) / waste_water
    salt_in = float(feed.vector.sum())
    product_salt = float(product.sum()) * recovery
    return Result(
        method="ion_exchange",
        feed=feed,
        recovery=recovery,
        sec_kwh_m3=settings.pumping_kwh_m3,
        electrical_kwh_m3=settings.pumping_kwh_m3,
        thermal_kwh_m3=0.0,
        permeate_mg_l=mg_l(product),
        brine_mg_l=mg_l(waste),
        energy_breakdown={"pumps": settings.pumping_kwh_m3},
        flows=(
            Flow("feed", "ion_exchange", 1.0, salt_in),
            Flow("regenerant", "ion_exchange", 0.0, salt_kg_m3 * recovery),
            Flow("ion_exchange", "product", recovery, product_salt),
            Flow("ion_exchange", "brine", 1.0 - recovery, float(waste.sum()) * (1.0 - recovery)),
        ),
        notes=("ix_not_desalination",),
        extra={
            "bed_volumes": bed_volumes,
            "salt_kg_m3": salt_kg_m3,
            "operating_capacity_eq_l": capacity,
            "hardness_removed": 1.0 - settings.leakage,
        },
    )
