"""Will the brine scale? Saturation indices SI = log₁₀(IAP/Ksp) of gypsum (CaSO₄·2H₂O) and
calcite (CaCO₃), the two scales that cap the recovery of membrane plants on these waters.

A small speciation in the spirit of PHREEQC (phreeqc.dat data): Truesdell–Jones activity
coefficients, the sulfate ion pairs CaSO₄⁰, MgSO₄⁰, NaSO₄⁻ and KSO₄⁻ (which hold most of
seawater's sulfate and keep it far from gypsum saturation), water activity from φ, and the
carbonate system for calcite. Seawater comes out at gypsum SI ≈ −0.7 and calcite SI ≈ +0.7
(PHREEQC: −0.6 and +0.8). CO₂ passes membranes, bicarbonate does not, so a brine's pH rises
with its bicarbonate (pH_b = pH_f + log a_HCO₃,b/a_HCO₃,f) and a permeate's pH falls."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.desalination.thermo import KELVIN, R, osmotic_coefficient
from core.desalination.water import ION_INDEX, IONS, Feed, Vector, molalities

_T = np.array([0, 10, 20, 25, 30, 40, 50, 60, 70, 80, 90, 100], dtype=np.float64)
_A = np.array(
    [0.4883, 0.4960, 0.5042, 0.5085, 0.5130, 0.5221, 0.5319, 0.5425, 0.5537, 0.5658, 0.5788, 0.5929]
)
_B = np.array(
    [0.3241, 0.3249, 0.3262, 0.3281, 0.3273, 0.3290, 0.3321, 0.3335, 0.3353, 0.3371, 0.3388, 0.3405]
)
# Truesdell–Jones (å in Å, b) from phreeqc.dat; ion pairs NaSO₄⁻ and KSO₄⁻ use å = 5.4, b = 0.
_TJ: dict[str, tuple[float, float]] = {
    "Na": (4.0, 0.075),
    "K": (3.5, 0.015),
    "Ca": (5.0, 0.165),
    "Mg": (5.5, 0.20),
    "Cl": (3.5, 0.015),
    "SO4": (5.0, -0.04),
    "HCO3": (5.4, 0.0),
    "CO3": (5.4, 0.0),
    "pair-": (5.4, 0.0),
}
_CHARGE = {"Na": 1, "K": 1, "Ca": 2, "Mg": 2, "Cl": 1, "SO4": 2, "HCO3": 1, "CO3": 2, "pair-": 1}
# log K of M + SO₄ = MSO₄ at 25 °C (phreeqc.dat).
_SULFATE_PAIRS = {"Ca": 2.25, "Mg": 2.37, "Na": 0.70, "K": 0.85}
_CHARGED_PAIRS = {"Na", "K"}
_GYPSUM_LOG_K = -4.58
_GYPSUM_DELTA_H = -456.0  # J/mol, phreeqc.dat (−0.109 kcal): gypsum is almost flat in T
WATER_MOLAR_MASS = 0.018015


def _interp(table: np.ndarray, temp_c: float) -> float:
    return float(np.interp(temp_c, _T, table))


def debye_huckel(temp_c: float) -> tuple[float, float]:
    """The Debye–Hückel A and B at ``temp_c``."""
    return _interp(_A, temp_c), _interp(_B, temp_c)


def log_gamma(
    species: str, ionic: float, temp_c: float, constants: tuple[float, float] | None = None
) -> float:
    """Truesdell–Jones; ``constants``: debye_huckel(temp_c), when the caller already has it."""
    a, b = _TJ[species]
    z2 = _CHARGE[species] ** 2
    root = np.sqrt(ionic)
    a_dh, b_dh = debye_huckel(temp_c) if constants is None else constants
    return float(-a_dh * z2 * root / (1.0 + b_dh * a * root) + b * ionic)


def calcite_log_k(temp_c: float) -> float:
    """Plummer & Busenberg (1982)."""
    t = temp_c + KELVIN
    return float(-171.9065 - 0.077993 * t + 2839.319 / t + 71.595 * np.log10(t))


def carbonate_log_k2(temp_c: float) -> float:
    """HCO₃⁻ = H⁺ + CO₃²⁻, Plummer & Busenberg (1982)."""
    t = temp_c + KELVIN
    return float(
        -107.8871 - 0.03252849 * t + 5151.79 / t + 38.92561 * np.log10(t) - 563713.9 / t**2
    )


def gypsum_log_k(temp_c: float) -> float:
    t = temp_c + KELVIN
    return float(_GYPSUM_LOG_K - _GYPSUM_DELTA_H / (R * np.log(10)) * (1.0 / t - 1.0 / 298.15))


@dataclass(frozen=True)
class Speciation:
    free: dict[str, float]  # mol/kg water
    log_gamma: dict[str, float]
    ionic_strength: float
    water_activity: float

    def log_activity(self, ion: str) -> float:
        return float(np.log10(max(self.free[ion], 1e-30)) + self.log_gamma[ion])


def speciate(conc_kg_m3: Vector, temp_c: float) -> Speciation:
    total = molalities(conc_kg_m3, temp_c)
    m = {ion: float(total[ION_INDEX[ion]]) for ion in IONS}
    free = dict(m)
    pairs = dict.fromkeys(_SULFATE_PAIRS, 0.0)
    constants = debye_huckel(temp_c)
    for _ in range(40):
        ionic = 0.5 * (sum(free[i] * _CHARGE[i] ** 2 for i in IONS) + pairs["Na"] + pairs["K"])
        lg = {s: log_gamma(s, ionic, temp_c, constants) for s in _TJ}
        g = {s: 10.0 ** lg[s] for s in _TJ}
        binding = {
            metal: 10.0**log_k
            * g[metal]
            * g["SO4"]
            / (g["pair-"] if metal in _CHARGED_PAIRS else 1.0)
            for metal, log_k in _SULFATE_PAIRS.items()
        }
        so4 = m["SO4"] / (1.0 + sum(binding[x] * free[x] for x in _SULFATE_PAIRS))
        for metal in _SULFATE_PAIRS:
            free[metal] = m[metal] / (1.0 + binding[metal] * so4)
            pairs[metal] = binding[metal] * free[metal] * so4
        free["SO4"] = 0.5 * free["SO4"] + 0.5 * so4
    phi = osmotic_coefficient(total, temp_c)
    water = float(np.exp(-phi * total.sum() * WATER_MOLAR_MASS))
    return Speciation(free=free, log_gamma=lg, ionic_strength=ionic, water_activity=water)


@dataclass(frozen=True)
class Saturation:
    gypsum_si: float
    calcite_si: float
    ph: float


def saturation(conc_kg_m3: Vector, temp_c: float, ph: float) -> Saturation:
    s = speciate(conc_kg_m3, temp_c)
    gypsum = (
        s.log_activity("Ca")
        + s.log_activity("SO4")
        + 2 * np.log10(s.water_activity)
        - gypsum_log_k(temp_c)
    )
    log_co3 = s.log_activity("HCO3") + carbonate_log_k2(temp_c) + ph
    calcite = s.log_activity("Ca") + log_co3 - calcite_log_k(temp_c)
    return Saturation(gypsum_si=float(gypsum), calcite_si=float(calcite), ph=ph)


def ph_after(feed_kg_m3: Vector, feed_ph: float, new_kg_m3: Vector, temp_c: float) -> float:
    """pH of a brine or permeate made from the feed: dissolved CO₂ is the same on both sides
    of a membrane, so pH moves with log a(HCO₃⁻). No bicarbonate: CO₂-saturated pure water."""
    before = speciate(feed_kg_m3, temp_c).log_activity("HCO3")
    if new_kg_m3[ION_INDEX["HCO3"]] <= 0:
        return min(feed_ph, 5.6)
    after = speciate(new_kg_m3, temp_c).log_activity("HCO3")
    return float(np.clip(feed_ph + after - before, 4.0, 10.5))


@dataclass(frozen=True)
class ScalingLimits:
    max_gypsum_si: float = 0.36  # 230 % of saturation: the usual antiscalant ceiling
    max_calcite_si: float = 1.8  # Stiff–Davis / LSI ceiling with a modern antiscalant


def brine_check(
    feed: Feed, source: Vector, brine: Vector, limits: ScalingLimits, ph: float | None = None
) -> tuple[Saturation, tuple[str, ...]]:
    """Saturation of a brine made from ``source`` and the scaling notes it earns."""
    start_ph = feed.ph if ph is None else ph
    sat = saturation(brine, feed.temp_c, ph_after(source, start_ph, brine, feed.temp_c))
    notes = []
    if sat.gypsum_si > limits.max_gypsum_si:
        notes.append("gypsum_scaling")
    if sat.calcite_si > limits.max_calcite_si:
        notes.append("calcite_scaling")
    return sat, tuple(notes)
