"""The solution–diffusion membrane, one pressure stage at a time, for RO and NF alike.

Water flux J = A·(ΔP − Δπ) and each ion's flux Jᵢ = Bᵢ·(c_m,i − c_p,i) (Wijmans & Baker 1995);
the film model puts the membrane wall at c_m = c_p + (c_b − c_p)·exp(J/k) (concentration
polarisation). A stage is marched from feed to brine in steps of recovery, so the brine grows
saltier, the flux falls and the permeate gets worse towards the tail, as in WaterTAP's 1-D RO
model. NF uses the same equations with ion-specific Bᵢ (high for Na⁺ and Cl⁻, low for the
divalent ions) and keeps its permeate electrically neutral, as Donnan exclusion forces it to.

Internally SI: m/s, Pa, kg/m³. Membrane constants are quoted in the units datasheets use,
L/(m²·h·bar) for A and L/(m²·h) for B."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
from scipy.optimize import brentq

from core.desalination.errors import DesalInputError
from core.desalination.thermo import KELVIN, PA_PER_BAR, R, osmotic_coefficient
from core.desalination.water import (
    ANIONS,
    CATIONS,
    DIVALENT,
    IONS,
    M,
    Vector,
    Z,
    molalities,
    water_density_kg_m3,
    water_mass_fraction,
)

LMH = 1e-3 / 3600.0  # 1 L/(m²·h) in m/s
STEPS = 30
DEAD_FLUX = 0.5 * LMH  # below this the tail of the stage makes no useful water


@dataclass(frozen=True)
class Membrane:
    kind: str  # "seawater_ro", "brackish_ro", "nf"
    a_lmh_bar: float
    b_lmh: dict[str, float]
    max_pressure_bar: float
    electroneutral: bool = False

    def a_si(self, temp_c: float) -> float:
        return self.a_lmh_bar * LMH / PA_PER_BAR * temperature_factor(temp_c)

    def b_si(self, temp_c: float) -> Vector:
        return np.array([self.b_lmh[i] for i in IONS]) * LMH * temperature_factor(temp_c)


def temperature_factor(temp_c: float) -> float:
    """FilmTec's temperature correction: permeability rises ~3 %/K as water's viscosity falls."""
    return float(np.exp(2640.0 * (1.0 / 298.15 - 1.0 / (temp_c + KELVIN))))


def _b_for_rejection(rejection: dict[str, float], flux_lmh: float) -> dict[str, float]:
    """Bᵢ that gives rejection Rᵢ at a reference flux without polarisation: R = J/(J + B)."""
    return {ion: flux_lmh * (1.0 - r) / r for ion, r in rejection.items()}


# Seawater element (SW30HRLE-class): A ≈ 1.0 L/m²h·bar, NaCl rejection 99.8 % at 25 L/m²h;
# divalent ions and bicarbonate pass less (Dow FilmTec technical manual, ch. 2).
SEAWATER_RO = Membrane(
    "seawater_ro",
    a_lmh_bar=1.0,
    b_lmh=_b_for_rejection(
        {
            "Na": 0.998,
            "K": 0.9975,
            "Ca": 0.9995,
            "Mg": 0.9995,
            "Cl": 0.998,
            "SO4": 0.9997,
            "HCO3": 0.997,
        },
        25.0,
    ),
    max_pressure_bar=82.7,
)
# Brackish element (BW30-class): A ≈ 3.5 L/m²h·bar, 99.5 % NaCl rejection, 41 bar limit.
BRACKISH_RO = Membrane(
    "brackish_ro",
    a_lmh_bar=3.5,
    b_lmh=_b_for_rejection(
        {
            "Na": 0.995,
            "K": 0.994,
            "Ca": 0.999,
            "Mg": 0.999,
            "Cl": 0.995,
            "SO4": 0.999,
            "HCO3": 0.99,
        },
        30.0,
    ),
    max_pressure_bar=41.4,
)
# Sulfate-rejecting NF (NF270/NF90 class) on seawater, typical of the NF→SWRO trials of Hassan
# et al. (1998, Desalination 118, 35–51): SO₄²⁻ ~98 %, Mg²⁺ ~92 %, Ca²⁺ ~85 %, HCO₃⁻ ~55 %, the
# monovalent ions 20–25 %. Electroneutrality then sets the exact monovalent passage.
NANOFILTRATION = Membrane(
    "nf",
    a_lmh_bar=6.0,
    b_lmh=_b_for_rejection(
        {"Na": 0.25, "K": 0.22, "Ca": 0.85, "Mg": 0.92, "Cl": 0.20, "SO4": 0.98, "HCO3": 0.55},
        20.0,
    ),
    max_pressure_bar=41.4,
    electroneutral=True,
)
# Low-energy seawater element (SW30XLE-class): 37.5 m³/d from 40.9 m² at 55 bar on 32 g/L NaCl
# gives A ≈ 1.4 L/m²h·bar, for 99.7 % NaCl rejection (FilmTec product data sheet).
SEAWATER_RO_LOW_ENERGY = Membrane(
    "seawater_ro_low_energy",
    a_lmh_bar=1.4,
    b_lmh=_b_for_rejection(
        {
            "Na": 0.997,
            "K": 0.996,
            "Ca": 0.9993,
            "Mg": 0.9993,
            "Cl": 0.997,
            "SO4": 0.9995,
            "HCO3": 0.995,
        },
        25.0,
    ),
    max_pressure_bar=82.7,
)
# Low-energy brackish element (BW30XLE/ESPA-class): 48 m³/d from 40.9 m² at 8.6 bar on
# 500 mg/L NaCl gives A ≈ 6 L/m²h·bar; 99.0 % rejection.
BRACKISH_RO_LOW_ENERGY = Membrane(
    "brackish_ro_low_energy",
    a_lmh_bar=6.0,
    b_lmh=_b_for_rejection(
        {"Na": 0.99, "K": 0.988, "Ca": 0.998, "Mg": 0.998, "Cl": 0.99, "SO4": 0.998, "HCO3": 0.98},
        30.0,
    ),
    max_pressure_bar=41.4,
)
MEMBRANES = {
    m.kind: m
    for m in (
        SEAWATER_RO,
        SEAWATER_RO_LOW_ENERGY,
        BRACKISH_RO,
        BRACKISH_RO_LOW_ENERGY,
        NANOFILTRATION,
    )
}
# Polyamide thin-film composites are rated to 45 °C: hotter water opens and ages them.
MAX_MEMBRANE_TEMP_C = 45.0


def with_constants(
    membrane: Membrane, a_lmh_bar: float | None, b_lmh: float | Mapping[str, float] | None
) -> Membrane:
    """The membrane with the learner's own A and B, as a design program lets one enter a
    membrane that is not in its catalogue. ``b_lmh``: one value for every ion (WaterTAP's NaCl
    model has a single B) or a mapping by ion; ions a mapping leaves out keep the catalogue's B."""
    a = membrane.a_lmh_bar if a_lmh_bar is None else a_lmh_bar
    if b_lmh is None:
        b = dict(membrane.b_lmh)
    elif isinstance(b_lmh, Mapping):
        b = {**membrane.b_lmh, **{ion: float(v) for ion, v in b_lmh.items()}}
    else:
        b = dict.fromkeys(IONS, float(b_lmh))
    return replace(membrane, a_lmh_bar=float(a), b_lmh=b)


_MONO_CATIONS = np.array([i in CATIONS and i not in DIVALENT for i in IONS])
_MONO_ANIONS = np.array([i in ANIONS and i not in DIVALENT for i in IONS])
_CATION = Z > 0


def _neutralise(permeate: Vector) -> Vector:
    """Scale the monovalent ions on the side in excess so cations and anions balance."""
    eq = permeate / M * np.abs(Z)
    excess = eq[_CATION].sum() - eq[~_CATION].sum()
    side = _MONO_CATIONS if excess > 0 else _MONO_ANIONS
    mono = eq[side].sum()
    if mono <= 0:
        return permeate
    scale = max(0.0, 1.0 - abs(excess) / mono)
    out = permeate.copy()
    out[side] *= scale
    return out


class _Osmotic:
    """π = φ·Σm·ρ_w·R·T with φ frozen for one step: φ moves little between the bulk and the
    wall a few per cent saltier, and freezing it keeps the flux solve cheap."""

    def __init__(self, reference: Vector, temp_c: float) -> None:
        self.temp_c = temp_c
        self.phi = (
            osmotic_coefficient(molalities(reference, temp_c), temp_c)
            if reference.sum() > 0
            else 1.0
        )
        self.rt = water_density_kg_m3(temp_c) * R * (temp_c + KELVIN)

    def __call__(self, conc: Vector) -> float:
        moles = float((conc / M).sum())  # mol/m³ of solution
        return (
            self.phi
            * moles
            / 1000.0
            / water_mass_fraction(float(conc.sum()), self.temp_c)
            * self.rt
        )


@dataclass(frozen=True)
class StageResult:
    membrane: str
    recovery: float
    feed: Vector
    permeate: Vector  # mixed permeate, kg/m³
    brine: Vector
    feed_pressure_bar: float
    brine_pressure_bar: float
    mean_flux_lmh: float
    tail_flux_lmh: float
    max_polarisation: float
    feed_osmotic_bar: float
    brine_osmotic_bar: float


def _local(
    bulk: Vector,
    pressure: float,
    a: float,
    b: Vector,
    k: float,
    neutral: bool,
    temp_c: float,
    prev_permeate: Vector,
) -> tuple[float, Vector, float]:
    """Solve one step's flux; returns (J, permeate, polarisation factor)."""
    pi_bulk = _Osmotic(bulk, temp_c)
    pi_perm = _Osmotic(prev_permeate, temp_c)

    def concentrations(j: float) -> tuple[Vector, Vector, float]:
        e = float(np.exp(j / k))
        permeate = bulk * e * b / (j + e * b)
        if neutral:
            permeate = _neutralise(permeate)
        wall = permeate + (bulk - permeate) * e
        return wall, permeate, e

    def residual(j: float) -> float:
        wall, permeate, _ = concentrations(j)
        return j - a * (pressure - pi_bulk(wall) + pi_perm(permeate))

    if residual(DEAD_FLUX) >= 0:
        return 0.0, bulk.copy(), 1.0
    upper = a * pressure
    while residual(upper) < 0:  # only when the permeate is saltier than the wall (NF)
        upper *= 2.0
    j = brentq(residual, DEAD_FLUX, upper, xtol=1e-3 * LMH)
    _, permeate, e = concentrations(j)
    return j, permeate, e


def march(
    feed: Vector,
    temp_c: float,
    membrane: Membrane,
    recovery: float,
    feed_pressure_pa: float,
    *,
    mass_transfer_m_s: float,
    pressure_drop_pa: float,
) -> StageResult | None:
    """One stage at a given feed pressure; None if the tail dies before the target recovery."""
    a, b = membrane.a_si(temp_c), membrane.b_si(temp_c)
    dx = recovery / STEPS
    salt = feed.copy()  # kg of each ion left in the brine per m³ of feed
    water = 1.0
    permeate_salt = np.zeros_like(feed)
    inverse_flux = 0.0
    polarisation = 1.0
    flux = 0.0
    permeate = feed * 0.0
    for step in range(STEPS):
        x_mid = (step + 0.5) * dx
        bulk = (salt - 0.5 * dx * permeate) / (water - 0.5 * dx)
        pressure = feed_pressure_pa - pressure_drop_pa * x_mid / recovery
        flux, permeate, e = _local(
            bulk, pressure, a, b, mass_transfer_m_s, membrane.electroneutral, temp_c, permeate
        )
        if flux < DEAD_FLUX:
            return None
        polarisation = max(polarisation, e)
        inverse_flux += dx / flux
        salt = salt - dx * permeate
        water -= dx
        permeate_salt += dx * permeate
    brine = np.maximum(salt, 0.0) / water
    mixed = permeate_salt / recovery
    osm = _Osmotic(feed, temp_c)
    return StageResult(
        membrane=membrane.kind,
        recovery=recovery,
        feed=feed,
        permeate=mixed,
        brine=brine,
        feed_pressure_bar=feed_pressure_pa / PA_PER_BAR,
        brine_pressure_bar=(feed_pressure_pa - pressure_drop_pa) / PA_PER_BAR,
        mean_flux_lmh=recovery / inverse_flux / LMH,
        tail_flux_lmh=flux / LMH,
        max_polarisation=polarisation,
        feed_osmotic_bar=osm(feed) / PA_PER_BAR,
        brine_osmotic_bar=_Osmotic(brine, temp_c)(brine) / PA_PER_BAR,
    )


def stage_at_flux(
    feed: Vector,
    temp_c: float,
    membrane: Membrane,
    recovery: float,
    flux_lmh: float,
    *,
    mass_transfer_m_s: float,
    pressure_drop_pa: float,
) -> StageResult:
    """The feed pressure that gives the design average flux (the way plants are designed:
    flux fixes the membrane area, pressure follows). Raises if it exceeds the membrane limit."""
    limit = membrane.max_pressure_bar * PA_PER_BAR

    def run(pressure: float) -> StageResult | None:
        return march(
            feed,
            temp_c,
            membrane,
            recovery,
            pressure,
            mass_transfer_m_s=mass_transfer_m_s,
            pressure_drop_pa=pressure_drop_pa,
        )

    def gap(pressure: float) -> float:
        result = run(pressure)
        return -flux_lmh if result is None else result.mean_flux_lmh - flux_lmh

    ceiling = 3.0 * limit
    if gap(ceiling) < 0:
        raise DesalInputError(
            "pressure_limit",
            recovery=recovery,
            pressure=ceiling / PA_PER_BAR,
            limit=membrane.max_pressure_bar,
        )
    low = pressure_drop_pa + 1e4
    pressure = brentq(gap, low, ceiling, xtol=0.01 * PA_PER_BAR)
    # The flux jumps from zero where the tail comes alive; step past that edge if brentq
    # settled on it.
    result = None
    for extra_bar in (0.01, 0.1, 1.0, 5.0):
        result = run(pressure + extra_bar * PA_PER_BAR)
        if result is not None:
            break
    if result is None or result.feed_pressure_bar > membrane.max_pressure_bar:
        raise DesalInputError(
            "pressure_limit",
            recovery=recovery,
            pressure=pressure / PA_PER_BAR if result is None else result.feed_pressure_bar,
            limit=membrane.max_pressure_bar,
        )
    return result


def stage_at_pressure(
    feed: Vector,
    temp_c: float,
    membrane: Membrane,
    recovery: float,
    pressure_bar: float,
    *,
    mass_transfer_m_s: float,
    pressure_drop_pa: float,
) -> StageResult:
    """A stage run at a pressure the student sets; its flux (membrane area) follows."""
    osmotic = _Osmotic(feed, temp_c)(feed) / PA_PER_BAR
    if pressure_bar <= osmotic:
        raise DesalInputError("pressure_below_osmotic", pressure=pressure_bar, osmotic=osmotic)
    if pressure_bar > membrane.max_pressure_bar:
        raise DesalInputError(
            "parameter_range",
            name="pressure_bar",
            low=0,
            high=membrane.max_pressure_bar,
            value=pressure_bar,
        )
    result = march(
        feed,
        temp_c,
        membrane,
        recovery,
        pressure_bar * PA_PER_BAR,
        mass_transfer_m_s=mass_transfer_m_s,
        pressure_drop_pa=pressure_drop_pa,
    )
    if result is None:
        raise DesalInputError(
            "pressure_too_low_for_recovery", pressure=pressure_bar, recovery=recovery
        )
    return result


def pump_energy_j_m3(stage: StageResult, pump_efficiency: float, erd_efficiency: float) -> float:
    """Energy per m³ of this stage's permeate. With an isobaric energy-recovery device the
    brine hands back η_ERD of its pressure to the feed it displaces, so the pumps supply
    (P_f − η_ERD·(1 − r)·P_b)/(η_pump·r) (Stover 2007; η_ERD = 0 means no recovery)."""
    r = stage.recovery
    returned = erd_efficiency * (1.0 - r) * stage.brine_pressure_bar
    return (stage.feed_pressure_bar - returned) * PA_PER_BAR / (pump_efficiency * r)
