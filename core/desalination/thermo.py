"""Osmotic pressure and the thermodynamic minimum energy of separation.

Osmotic pressure is π = φ · Σmᵢ · ρ_w · R · T: van 't Hoff's law with the osmotic coefficient φ
that makes it exact for real salt water. φ comes from Pitzer's ion-interaction model with the
Harvie–Møller–Weare (1984) parameters for the seven major ions, so seawater, the sulfate-rich
Caspian and brackish waters each get their own φ (seawater at 35 g/kg: 0.90, as measured by
Millero & Leung 1976). Mixing terms θ and ψ are left out: they move φ of seawater by < 0.5 %.
Only NaCl has temperature derivatives here (Silvester & Pitzer 1977); other pairs keep their
25 °C values, while the Debye–Hückel slope Aφ and RT carry the main temperature effect."""

from __future__ import annotations

import numpy as np

from core.desalination.errors import DesalInputError
from core.desalination.water import (
    ANIONS,
    CATIONS,
    CHARGE,
    ION_INDEX,
    IONS,
    MOLAR_MASS_G_MOL,
    Vector,
    check_tds,
    check_temperature,
    molalities,
    water_density_kg_m3,
)

R = 8.314462618  # J/(mol·K)
KELVIN = 273.15
PA_PER_BAR = 1e5
J_PER_KWH = 3.6e6

# Debye–Hückel osmotic slope Aφ (kg^½/mol^½), Bradley & Pitzer (1979), 0–100 °C.
_A_PHI_T = np.array([0, 10, 20, 25, 30, 40, 50, 60, 70, 80, 90, 100], dtype=np.float64)
_A_PHI = np.array(
    [0.3767, 0.3821, 0.3882, 0.3915, 0.3949, 0.4023, 0.4103, 0.4190, 0.4283, 0.4383, 0.4490, 0.4604]
)

# (β0, β1, β2, Cφ) at 25 °C, Harvie, Møller & Weare (1984) and Pitzer (1991), per cation–anion.
_PAIRS: dict[tuple[str, str], tuple[float, float, float, float]] = {
    ("Na", "Cl"): (0.0765, 0.2664, 0.0, 0.00127),
    ("K", "Cl"): (0.04835, 0.2122, 0.0, -0.00084),
    ("Ca", "Cl"): (0.3159, 1.614, 0.0, -0.00034),
    ("Mg", "Cl"): (0.35235, 1.6815, 0.0, 0.00519),
    ("Na", "SO4"): (0.01958, 1.113, 0.0, 0.00497),
    ("K", "SO4"): (0.04995, 0.7793, 0.0, 0.0),
    ("Ca", "SO4"): (0.20, 3.1973, -54.24, 0.0),
    ("Mg", "SO4"): (0.221, 3.343, -37.23, 0.025),
    ("Na", "HCO3"): (0.0277, 0.0411, 0.0, 0.0),
    ("K", "HCO3"): (0.0296, -0.013, 0.0, -0.008),
    ("Ca", "HCO3"): (0.4, 2.977, 0.0, 0.0),
    ("Mg", "HCO3"): (0.329, 0.6072, 0.0, 0.0),
}
# NaCl's temperature derivatives per K around 25 °C (Silvester & Pitzer 1977).
_NACL_DT = (7.159e-4, 7.005e-4, 0.0, -1.054e-4)
_MOLAR_MASS = np.array([MOLAR_MASS_G_MOL[i] for i in IONS]) / 1000.0  # kg/mol


def a_phi(temp_c: float) -> float:
    return float(np.interp(temp_c, _A_PHI_T, _A_PHI))


def _pair_table(column: int) -> Vector:
    """One Pitzer parameter for every cation (rows, CATIONS order) and anion (columns)."""
    return np.array([[_PAIRS[(c, a)][column] for a in ANIONS] for c in CATIONS])


# The pair parameters as arrays, built once: a membrane sweep evaluates φ tens of thousands
# of times.
_B0, _B1, _B2, _C_PHI = (_pair_table(n) for n in range(4))
# Per-kelvin slopes: zero except for NaCl.
_DB0, _DB1, _DB2, _DC_PHI = (
    np.array([[d if (c, a) == ("Na", "Cl") else 0.0 for a in ANIONS] for c in CATIONS])
    for d in _NACL_DT
)
_BOTH_DIVALENT = np.array([[CHARGE[c] == 2 and CHARGE[a] == -2 for a in ANIONS] for c in CATIONS])
_ALPHA1 = np.where(_BOTH_DIVALENT, 1.4, 2.0)
_ALPHA2 = np.where(_BOTH_DIVALENT, 12.0, 0.0)
# Cφ enters as C = Cφ/(2·√|z_M·z_X|).
_C_SCALE = 1.0 / (
    2.0 * np.sqrt(np.array([[abs(CHARGE[c] * CHARGE[a]) for a in ANIONS] for c in CATIONS]))
)
_ABS_Z = np.array([abs(CHARGE[i]) for i in IONS], dtype=np.float64)
_CATION_AT = np.array([ION_INDEX[c] for c in CATIONS])
_ANION_AT = np.array([ION_INDEX[a] for a in ANIONS])


def osmotic_coefficient(molal: Vector, temp_c: float) -> float:
    """Pitzer's φ for a mixture of the seven ions (molalities in IONS order)."""
    total = float(molal.sum())
    if total <= 0:
        return 1.0
    ionic = 0.5 * float((molal * _ABS_Z**2).sum())
    root = np.sqrt(ionic)
    charge_sum = float((molal * _ABS_Z).sum())
    dt = temp_c - 25.0
    b_phi = (
        (_B0 + _DB0 * dt)
        + (_B1 + _DB1 * dt) * np.exp(-_ALPHA1 * root)
        + (_B2 + _DB2 * dt) * np.exp(-_ALPHA2 * root)
    )
    c = (_C_PHI + _DC_PHI * dt) * _C_SCALE
    pairs = np.outer(molal[_CATION_AT], molal[_ANION_AT])
    s = -a_phi(temp_c) * ionic**1.5 / (1.0 + 1.2 * root)
    s += float((pairs * (b_phi + charge_sum * c)).sum())
    return float(1.0 + 2.0 * s / total)


def osmotic_pressure_pa(conc_kg_m3: Vector, temp_c: float) -> float:
    """π of a solution given each ion's concentration in kg/m³ (IONS order)."""
    molal = molalities(conc_kg_m3, temp_c)
    phi = osmotic_coefficient(molal, temp_c)
    return phi * float(molal.sum()) * water_density_kg_m3(temp_c) * R * (temp_c + KELVIN)


def nacl_vector(tds_g_l: float) -> Vector:
    """A sodium chloride solution of the given salinity, as an ion vector."""
    na, cl = MOLAR_MASS_G_MOL["Na"], MOLAR_MASS_G_MOL["Cl"]
    conc = np.zeros(len(IONS))
    conc[ION_INDEX["Na"]] = tds_g_l * na / (na + cl)
    conc[ION_INDEX["Cl"]] = tds_g_l * cl / (na + cl)
    return conc


def osmotic_pressure_bar(tds_g_l: float, temp_c: float = 25.0) -> float:
    """Osmotic pressure of water whose salt is all NaCl (the convention behind "seawater's
    osmotic pressure is about 27 bar"). For a real composition use ``Feed`` and
    ``feed_osmotic_pressure_bar``: seawater's sulfate and magnesium lower it to about 26 bar."""
    check_tds(tds_g_l)
    check_temperature(temp_c)
    return osmotic_pressure_pa(nacl_vector(tds_g_l), temp_c) / PA_PER_BAR


def minimum_energy_j_m3(conc_kg_m3: Vector, recovery: float, temp_c: float) -> float:
    """Least work per m³ of pure product, taking fraction ``recovery`` of the water reversibly:
    W = (1/r)·∫₀ʳ π_brine(x) dx, with the brine at c/(1 − x) (Elimelech & Phillip 2011, eq. 1,
    here with the real, rising φ instead of an ideal solution). Gauss–Legendre, 24 nodes."""
    nodes, weights = np.polynomial.legendre.leggauss(24)
    x = 0.5 * recovery * (nodes + 1.0)
    pressures = np.array([osmotic_pressure_pa(conc_kg_m3 / (1.0 - xi), temp_c) for xi in x])
    return float(0.5 * recovery * (weights * pressures).sum() / recovery)


def minimum_energy_kwh_m3(tds_g_l: float, recovery: float, temp_c: float = 25.0) -> float:
    """Thermodynamic minimum energy (kWh per m³ of product) for NaCl water; for 35 g/L at 50 %
    recovery it is 1.06–1.09 kWh/m³ (Elimelech & Phillip 2011 give 1.06 for seawater)."""
    check_tds(tds_g_l)
    check_temperature(temp_c)
    check_recovery(recovery)
    return minimum_energy_j_m3(nacl_vector(tds_g_l), recovery, temp_c) / J_PER_KWH


def check_recovery(recovery: float) -> None:
    if not np.isfinite(recovery) or not 0.0 < recovery < 1.0:
        raise DesalInputError("recovery_range", value=recovery)


def separation_minimum_j_m3(
    feed: Vector, permeate: Vector, brine: Vector, recovery: float, temp_c: float
) -> float:
    """Least work per m³ of product to split the feed into *this* product and brine, for a
    method whose product still holds salt (nanofiltration keeps most of the sodium): less work
    than making pure water, so pure water's floor is not this method's floor.

    The Gibbs energy of dilute solutions, per m³ of feed, W = RT·Σᵢ[r·c_p,i·ln(c_p,i/c_f,i) +
    (1 − r)·c_b,i·ln(c_b,i/c_f,i)] (Mistry & Lienhard 2013, least work of separation), is exact
    for ideal solutions; it is scaled by the ratio of the real (Pitzer) to the ideal least work
    of making pure water at the same recovery, which carries the non-ideality. With a pure
    product it equals ``minimum_energy_j_m3``."""
    rt = R * (temp_c + KELVIN)

    def ideal(product: Vector, reject: Vector) -> float:
        total = 0.0
        for c_f, c_p, c_b, m in zip(feed, product, reject, _MOLAR_MASS, strict=True):
            if c_f <= 0:
                continue
            for share, c in ((recovery, c_p), (1.0 - recovery, c_b)):
                if c > 0:
                    total += share * c / m * np.log(c / c_f)
        return rt * total / recovery

    pure_brine = feed / (1.0 - recovery)
    ideal_pure = ideal(np.zeros_like(feed), pure_brine)
    if ideal_pure <= 0:
        return 0.0
    factor = minimum_energy_j_m3(feed, recovery, temp_c) / ideal_pure
    return max(0.0, ideal(permeate, brine) * factor)
