"""Feed waters: ion composition, the presets the lab starts from, and the few solution
properties every process model needs (density, molality, ionic strength, charge balance).

Concentrations are kept as mg/L at the boundary, because that is how a water analysis is
written, and as kg/m³ (= g/L) arrays inside the models, in the fixed order of ``IONS``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from core.desalination.errors import DesalInputError

Vector = npt.NDArray[np.float64]

IONS: tuple[str, ...] = ("Na", "K", "Ca", "Mg", "Cl", "SO4", "HCO3")
MOLAR_MASS_G_MOL: dict[str, float] = {
    "Na": 22.990,
    "K": 39.098,
    "Ca": 40.078,
    "Mg": 24.305,
    "Cl": 35.453,
    "SO4": 96.06,
    "HCO3": 61.017,
}
CHARGE: dict[str, int] = {"Na": 1, "K": 1, "Ca": 2, "Mg": 2, "Cl": -1, "SO4": -2, "HCO3": -1}
DIVALENT: frozenset[str] = frozenset({"Ca", "Mg", "SO4"})
CATIONS: tuple[str, ...] = tuple(i for i in IONS if CHARGE[i] > 0)
ANIONS: tuple[str, ...] = tuple(i for i in IONS if CHARGE[i] < 0)

M = np.array([MOLAR_MASS_G_MOL[i] for i in IONS]) / 1000.0  # kg/mol
Z = np.array([CHARGE[i] for i in IONS], dtype=np.float64)
ION_INDEX = {ion: n for n, ion in enumerate(IONS)}

# The standard analysis laboratories accept (APHA Standard Methods 1030 E uses ±5 % for
# waters of this salinity); beyond it an analysis has a missing ion or a typing error.
CHARGE_BALANCE_LIMIT = 0.05
MAX_TDS_G_L = 300.0  # near halite saturation; beyond it water is no longer a liquid feed


def water_density_kg_m3(temp_c: float) -> float:
    """Pure water, Thiesen–Scheel–Diesselhorst (the formula Tanaka et al. 2001 refit): within
    0.01 % over 0–100 °C, enough for converting g/L to mol/kg."""
    t = temp_c
    return 1000.0 * (1.0 - (t + 288.9414) / (508929.2 * (t + 68.12963)) * (t - 3.9863) ** 2)


def solution_density_kg_m3(tds_kg_m3: float, temp_c: float) -> float:
    """Density rises about 0.7 kg/m³ per g/L of dissolved salt (seawater at 35 g/L: 1023 kg/m³
    at 25 °C, Sharqawy et al. 2010); linear is within 0.3 % up to 120 g/L."""
    return water_density_kg_m3(temp_c) + 0.75 * tds_kg_m3


def water_mass_fraction(tds_kg_m3: float, temp_c: float) -> float:
    """Kilograms of water per cubic metre of solution, divided by 1000: the bridge from
    molarity (mol/m³) to molality (mol/kg of water), which osmotic theory is written in."""
    return (solution_density_kg_m3(tds_kg_m3, temp_c) - tds_kg_m3) / 1000.0


def molalities(conc_kg_m3: Vector, temp_c: float) -> Vector:
    """mol per kg of water for each ion."""
    tds = float(conc_kg_m3.sum())
    return conc_kg_m3 / M / 1000.0 / water_mass_fraction(tds, temp_c)


def ionic_strength(molal: Vector) -> float:
    return float(0.5 * (molal * Z**2).sum())


def equivalents_eq_m3(conc_kg_m3: Vector) -> Vector:
    """Charge equivalents per m³ (= meq/L) for each ion, positive for cations and anions."""
    return conc_kg_m3 / M * np.abs(Z)


def hardness_mg_l_caco3(conc_kg_m3: Vector) -> float:
    """Total hardness as CaCO₃ (50.04 mg per meq), the unit water standards and resin vendors
    use."""
    eq = equivalents_eq_m3(conc_kg_m3)
    return float((eq[ION_INDEX["Ca"]] + eq[ION_INDEX["Mg"]]) * 50.04)


@dataclass(frozen=True)
class ChargeBalance:
    cations_meq_l: float
    anions_meq_l: float

    @property
    def error(self) -> float:
        """(cations − anions) / (cations + anions), the APHA definition."""
        total = self.cations_meq_l + self.anions_meq_l
        return 0.0 if total == 0 else (self.cations_meq_l - self.anions_meq_l) / total

    @property
    def ok(self) -> bool:
        return abs(self.error) <= CHARGE_BALANCE_LIMIT


@dataclass(frozen=True)
class Feed:
    """A water to treat. ``name`` is a preset id (translated by the page) or "custom"."""

    name: str
    ions_mg_l: Mapping[str, float]
    temp_c: float = 25.0
    ph: float = 8.0
    vector: Vector = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        unknown = sorted(set(self.ions_mg_l) - set(IONS))
        if unknown:
            raise DesalInputError("unknown_ion", ion=", ".join(unknown))
        for ion, value in self.ions_mg_l.items():
            if not np.isfinite(value) or value < 0:
                raise DesalInputError("negative_concentration", ion=ion, value=value)
        check_temperature(self.temp_c)
        if not 4.0 <= self.ph <= 10.5:
            raise DesalInputError("ph_range", value=self.ph)
        conc = np.array([self.ions_mg_l.get(i, 0.0) for i in IONS], dtype=np.float64) / 1000.0
        if conc.sum() <= 0:
            raise DesalInputError("empty_water")
        if conc.sum() > MAX_TDS_G_L:
            raise DesalInputError("tds_range", value=conc.sum(), limit=MAX_TDS_G_L)
        object.__setattr__(self, "vector", conc)

    @property
    def tds_g_l(self) -> float:
        return float(self.vector.sum())

    @property
    def tds_mg_l(self) -> float:
        return self.tds_g_l * 1000.0

    @property
    def hardness_mg_l_caco3(self) -> float:
        return hardness_mg_l_caco3(self.vector)

    def charge_balance(self) -> ChargeBalance:
        eq = equivalents_eq_m3(self.vector)
        return ChargeBalance(
            cations_meq_l=float(sum(eq[ION_INDEX[i]] for i in CATIONS)),
            anions_meq_l=float(sum(eq[ION_INDEX[i]] for i in ANIONS)),
        )

    def scaled(self, tds_g_l: float) -> Feed:
        """The same ion ratios at another salinity, e.g. seawater diluted or concentrated."""
        check_tds(tds_g_l)
        factor = tds_g_l / self.tds_g_l
        ions = {ion: value * factor for ion, value in self.ions_mg_l.items()}
        return Feed(self.name, ions, self.temp_c, self.ph)

    def at(self, temp_c: float) -> Feed:
        return Feed(self.name, self.ions_mg_l, temp_c, self.ph)


def check_temperature(temp_c: float) -> None:
    if not np.isfinite(temp_c) or not 0.0 <= temp_c <= 100.0:
        raise DesalInputError("temperature_range", value=temp_c)


def check_tds(tds_g_l: float) -> None:
    if not np.isfinite(tds_g_l) or tds_g_l <= 0:
        raise DesalInputError("tds_negative", value=tds_g_l)
    if tds_g_l > MAX_TDS_G_L:
        raise DesalInputError("tds_range", value=tds_g_l, limit=MAX_TDS_G_L)


def from_vector(name: str, conc_kg_m3: Vector, temp_c: float, ph: float) -> Feed:
    return Feed(
        name, {ion: float(c) * 1000.0 for ion, c in zip(IONS, conc_kg_m3, strict=True)}, temp_c, ph
    )


# Compositions in mg/L. Seawater: Millero et al. (2008) reference composition at S = 35 (the
# seven major ions; Br⁻, B, Sr²⁺ and F⁻ are left out, 0.2 % of the salt). Caspian: the Middle
# Caspian at 12.9 g/L, rounded from the analyses summarised by Kosarev & Yablonskaya (1994,
# "The Caspian Sea"): three times the sulfate share of the ocean, which matters for scaling.
# Aral: the western Large Aral brine, Na–Mg–Cl–SO₄ type, at the ~86 g/L reported around 2002
# (Friedrich & Oberhänsli 2004), composition rounded and charge-balanced. Brackish: a sulfate–
# chloride groundwater typical of western Kazakhstan's aquifers (3.2 g/L), illustrative.
PRESETS: dict[str, tuple[dict[str, float], float]] = {
    "seawater": (
        {
            "Na": 10781,
            "K": 399,
            "Ca": 412,
            "Mg": 1284,
            "Cl": 19353,
            "SO4": 2712,
            "HCO3": 107,
        },
        8.1,
    ),
    "caspian": (
        {"Na": 3190, "K": 130, "Ca": 340, "Mg": 740, "Cl": 5330, "SO4": 3050, "HCO3": 230},
        8.2,
    ),
    "aral": (
        {"Na": 22000, "K": 900, "Ca": 600, "Mg": 5600, "Cl": 37000, "SO4": 20000, "HCO3": 300},
        8.3,
    ),
    "brackish": (
        {"Na": 760, "K": 20, "Ca": 200, "Mg": 100, "Cl": 1100, "SO4": 800, "HCO3": 250},
        7.6,
    ),
}


def preset(name: str, temp_c: float = 25.0) -> Feed:
    if name not in PRESETS:
        raise DesalInputError("unknown_preset", name=name)
    ions, ph = PRESETS[name]
    return Feed(name, ions, temp_c, ph)
