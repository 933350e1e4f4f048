"""Levelised cost of water and CO₂ per m³.

LCOW = (CAPEX·CRF + O&M) / annual output + energy + chemicals, with the capital recovery factor
CRF = i(1+i)ⁿ/((1+i)ⁿ − 1). The default capital costs per m³/day of capacity are mid-range
figures for small plants from the literature (Ghaffour, Missimer & Amy 2013; Al-Karaghouli &
Kazmerski 2013); every one is editable, because prices differ by country and year.

RO and NF pay for their membrane area on top: a lower design flux needs more elements and
pressure vessels for the same water (installed, ~50 USD/m²: elements at ~25 USD/m² plus vessels
and racks, as WaterTAP's costing and vendors' price lists put them). The per-m³/day figures
below are the rest of the plant: with the area of the default flux (RO 14, NF 20 L/m²h) they
add up to the literature's 1 500 (RO), 800 (NF) and 1 900 (NF→RO) USD per m³/day."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.desalination.result import Result, check_range

DEFAULT_CAPEX_USD_PER_M3_DAY: dict[str, float] = {
    "ro": 1350.0,  # + 3.0 m² per m³/day at 14 L/m²h
    "nf": 700.0,  # + 2.1 m² per m³/day at 20 L/m²h
    "nf_ro": 1600.0,  # + 6.2 m² per m³/day (RO at 14, NF at 20 L/m²h, 65 % RO recovery)
    "electrodialysis": 600.0,  # plus the stack, priced per m² of membrane below
    "distillation_msf": 2500.0,
    "distillation_med": 2000.0,
    "ion_exchange": 300.0,
}


@dataclass(frozen=True)
class Economics:
    capacity_m3_day: float = 1000.0
    capex_usd_per_m3_day: dict[str, float] = field(
        default_factory=lambda: dict(DEFAULT_CAPEX_USD_PER_M3_DAY)
    )
    om_fraction: float = 0.03  # yearly O&M (staff, membranes, parts) as a share of CAPEX
    interest: float = 0.08
    years: int = 20
    availability: float = 0.92
    electricity_usd_kwh: float = 0.05  # Kazakhstan industrial tariff, about 25 ₸/kWh
    heat_usd_kwh: float = 0.02
    salt_usd_kg: float = 0.10
    # ED's stack grows with the salt it must remove (Faraday), so its capital cost does too.
    ed_usd_per_m2: float = 150.0
    # RO and NF membrane area, installed (elements, pressure vessels, racks).
    membrane_usd_per_m2: float = 50.0
    # Kazakhstan's grid: about two thirds coal; ≈0.64 kg CO₂/kWh (Ember, 2023). Editable.
    grid_kg_co2_kwh: float = 0.64
    heat_kg_co2_kwh: float = 0.20  # natural-gas boiler heat; 0 for waste heat

    def validate(self) -> None:
        check_range("capacity_m3_day", self.capacity_m3_day, 1.0, 1e6)
        check_range("om_fraction", self.om_fraction, 0.0, 0.5)
        check_range("interest", self.interest, 0.0, 0.5)
        check_range("years", self.years, 1, 100)
        check_range("availability", self.availability, 0.1, 1.0)
        check_range("ed_usd_per_m2", self.ed_usd_per_m2, 0.0, 5000.0)
        check_range("membrane_usd_per_m2", self.membrane_usd_per_m2, 0.0, 5000.0)
        for name in ("electricity_usd_kwh", "heat_usd_kwh", "salt_usd_kg"):
            check_range(name, getattr(self, name), 0.0, 10.0)
        check_range("grid_kg_co2_kwh", self.grid_kg_co2_kwh, 0.0, 2.0)
        check_range("heat_kg_co2_kwh", self.heat_kg_co2_kwh, 0.0, 1.0)
        for method, value in self.capex_usd_per_m3_day.items():
            check_range(f"capex {method}", value, 0.0, 1e5)


@dataclass(frozen=True)
class Cost:
    capital_usd_m3: float
    om_usd_m3: float
    energy_usd_m3: float
    chemicals_usd_m3: float
    co2_kg_m3: float

    @property
    def lcow_usd_m3(self) -> float:
        return self.capital_usd_m3 + self.om_usd_m3 + self.energy_usd_m3 + self.chemicals_usd_m3


def capital_recovery_factor(interest: float, years: int) -> float:
    if interest == 0:
        return 1.0 / years
    grow = (1.0 + interest) ** years
    return interest * grow / (grow - 1.0)


def cost(result: Result, economics: Economics) -> Cost:
    economics.validate()
    per_m3_day = economics.capex_usd_per_m3_day.get(
        result.method, DEFAULT_CAPEX_USD_PER_M3_DAY[result.method]
    )
    per_m3_day += economics.ed_usd_per_m2 * result.extra.get("stack_m2_per_m3_day", 0.0)
    per_m3_day += economics.membrane_usd_per_m2 * result.extra.get("membrane_m2_per_m3_day", 0.0)
    capex = per_m3_day * economics.capacity_m3_day
    yearly_m3 = economics.capacity_m3_day * 365.0 * economics.availability
    salt = result.extra.get("salt_kg_m3", 0.0)
    return Cost(
        capital_usd_m3=capex
        * capital_recovery_factor(economics.interest, economics.years)
        / yearly_m3,
        om_usd_m3=capex * economics.om_fraction / yearly_m3,
        energy_usd_m3=result.electrical_kwh_m3 * economics.electricity_usd_kwh
        + result.thermal_kwh_m3 * economics.heat_usd_kwh,
        chemicals_usd_m3=salt * economics.salt_usd_kg,
        co2_kg_m3=result.electrical_kwh_m3 * economics.grid_kg_co2_kwh
        + result.thermal_kwh_m3 * economics.heat_kg_co2_kwh,
    )
