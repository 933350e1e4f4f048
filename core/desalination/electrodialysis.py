"""Electrodialysis: an electric field pulls ions through alternating cation- and anion-exchange
membranes, so the energy is paid per ion removed, not per litre of water: cheap for brackish
water, ruinous for seawater.

Charge per m³ of product: q = F·Σ|zᵢ|·Δcᵢ/(Mᵢ·ξ) (Faraday's law with current efficiency ξ).
Each cell pair needs V = V_Donnan + i·r: the membrane potential 2·t·(RT/F)·ln(c_conc/c_dil)
plus the ohmic drop through two membranes and the two solution channels (Strathmann 2010,
"Ion-exchange membrane processes"). Energy = q·V plus pumping."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.desalination.errors import DesalInputError
from core.desalination.result import Result, check_range, mg_l, water_flows
from core.desalination.scaling import ScalingLimits, brine_check
from core.desalination.thermo import J_PER_KWH, KELVIN, R, check_recovery
from core.desalination.water import Feed, M, Z

FARADAY = 96485.33212


def conductivity_s_m(tds_kg_m3: float) -> float:
    """Electrical conductivity from salinity, EC ≈ TDS/0.64 (µS/cm per mg/L) for brackish
    water, with the sub-linear rise of strong brines (seawater 5.3 S/m at 35 g/L)."""
    tds_mg_l = tds_kg_m3 * 1000.0
    linear = tds_mg_l / 0.64 * 1e-4
    return float(linear / (1.0 + 0.0075 * tds_kg_m3))


@dataclass(frozen=True)
class Electrodialysis(ScalingLimits):
    product_tds_mg_l: float = 500.0
    recovery: float = 0.85
    current_density_a_m2: float = 50.0
    current_efficiency: float = 0.90
    permselectivity: float = 0.90
    membrane_resistance_ohm_cm2: float = 3.0  # per membrane
    channel_mm: float = 0.5
    pumping_kwh_m3: float = 0.3
    max_brine_tds_g_l: float = 150.0  # concentrate beyond this back-diffuses and scales

    def validate(self) -> None:
        check_recovery(self.recovery)
        check_range("product_tds_mg_l", self.product_tds_mg_l, 10.0, 5000.0)
        check_range("current_density_a_m2", self.current_density_a_m2, 1.0, 1000.0)
        check_range("current_efficiency", self.current_efficiency, 0.3, 1.0)
        check_range("permselectivity", self.permselectivity, 0.5, 1.0)
        check_range("membrane_resistance_ohm_cm2", self.membrane_resistance_ohm_cm2, 0.5, 20.0)
        check_range("channel_mm", self.channel_mm, 0.1, 3.0)
        check_range("pumping_kwh_m3", self.pumping_kwh_m3, 0.0, 2.0)


def simulate_electrodialysis(feed: Feed, settings: Electrodialysis) -> Result:
    settings.validate()
    if settings.product_tds_mg_l >= feed.tds_mg_l:
        raise DesalInputError(
            "product_not_cleaner", target=settings.product_tds_mg_l, feed=feed.tds_mg_l
        )
    r = settings.recovery
    if feed.tds_g_l / (1.0 - r) > 2.0 * settings.max_brine_tds_g_l:
        raise DesalInputError(
            "parameter_range", name="recovery", low=0, high=1 - feed.tds_g_l / 300.0, value=r
        )
    kept = settings.product_tds_mg_l / feed.tds_mg_l  # standard membranes: little selectivity
    product = feed.vector * kept
    brine = (feed.vector - r * product) / (1.0 - r)
    removed_eq = float(((feed.vector - product) / M * np.abs(Z)).sum()) / 2.0  # eq/m³, one side
    charge = FARADAY * removed_eq / settings.current_efficiency  # C per m³ of product
    t = feed.temp_c + KELVIN
    dil_mean = float((feed.vector.sum() - product.sum()) / np.log(1.0 / kept))  # log-mean
    donnan = 2.0 * settings.permselectivity * R * t / FARADAY * np.log(brine.sum() / dil_mean)
    gap = settings.channel_mm / 1000.0
    area_resistance = (
        2.0 * settings.membrane_resistance_ohm_cm2 * 1e-4
        + gap / conductivity_s_m(dil_mean)
        + gap / conductivity_s_m(float(brine.sum()))
    )
    cell_volts = float(donnan + settings.current_density_a_m2 * area_resistance)
    stack = charge * cell_volts / J_PER_KWH
    sat, notes = brine_check(feed, feed.vector, brine, settings)
    if float(brine.sum()) > settings.max_brine_tds_g_l:
        notes = ("brine_too_salty", *notes)
    if feed.tds_g_l > 10.0:
        notes = ("ed_high_salinity", *notes)
    return Result(
        method="electrodialysis",
        feed=feed,
        recovery=r,
        sec_kwh_m3=stack + settings.pumping_kwh_m3,
        electrical_kwh_m3=stack + settings.pumping_kwh_m3,
        thermal_kwh_m3=0.0,
        permeate_mg_l=mg_l(product),
        brine_mg_l=mg_l(brine),
        energy_breakdown={"stack": stack, "pumps": settings.pumping_kwh_m3},
        flows=water_flows(feed.vector, r, product, "electrodialysis"),
        brine_saturation=sat,
        notes=notes,
        extra={
            "cell_pair_volts": cell_volts,
            "charge_kah_m3": charge / 3.6e6,
            "stack_m2_per_m3_day": charge / 86400.0 / settings.current_density_a_m2,
        },
    )
