"""The desalination models against published figures. Every test names its source; the bounds
are the published value with the spread the source itself quotes, never widened to fit."""

from __future__ import annotations

import pytest

from core.desalination import (
    minimum_energy_kwh_m3,
    osmotic_pressure_bar,
    preset,
    simulate,
    thermo,
    water,
)
from core.desalination.scaling import saturation
from core.desalination.thermal import latent_heat_kj_kg

BAR_PER_KWH_M3 = 36.0  # 1 kWh/m³ = 3.6 MJ/m³ = 36 bar


@pytest.fixture(scope="module")
def seawater() -> water.Feed:
    return preset("seawater")


@pytest.fixture(scope="module")
def brackish() -> water.Feed:
    return preset("brackish")


# --- Osmotic pressure ------------------------------------------------------------------------


def test_osmotic_pressure_of_35_g_l_is_about_27_bar() -> None:
    """Seawater's osmotic pressure is ~27 bar (Elimelech & Phillip 2011, Science 333:712;
    Wikipedia "Reverse osmosis")."""
    assert 26.0 <= osmotic_pressure_bar(35.0, 25.0) <= 29.0


def test_seawater_composition_osmotic_pressure(seawater: water.Feed) -> None:
    """Sharqawy, Lienhard & Zubair 2010 (Desalination and Water Treatment 16:354): seawater at
    S = 35 g/kg and 25 °C has π = 2.55–2.6 MPa."""
    pi_bar = thermo.osmotic_pressure_pa(seawater.vector, 25.0) / 1e5
    assert 24.5 <= pi_bar <= 26.5


def test_seawater_osmotic_coefficient(seawater: water.Feed) -> None:
    """Millero & Leung 1976 ("The thermodynamics of seawater at one atmosphere", Am. J. Sci.
    276:1035): φ of seawater at S = 35, 25 °C is 0.902."""
    phi = thermo.osmotic_coefficient(water.molalities(seawater.vector, 25.0), 25.0)
    assert 0.89 <= phi <= 0.92


# --- Minimum energy of separation ------------------------------------------------------------


def test_minimum_energy_seawater_half_recovery() -> None:
    """Elimelech & Phillip 2011 (Science 333:712): the thermodynamic minimum for 35 g/L seawater
    at 50 % recovery is 1.06 kWh/m³."""
    assert 1.0 <= minimum_energy_kwh_m3(35.0, 0.5) <= 1.12


def test_minimum_energy_at_vanishing_recovery_is_the_osmotic_pressure() -> None:
    """As recovery → 0 the least work per m³ of product is π itself (Elimelech & Phillip 2011,
    eq. 1 at r → 0); 1 kWh/m³ = 36 bar."""
    expected = osmotic_pressure_bar(35.0, 25.0) / BAR_PER_KWH_M3
    assert minimum_energy_kwh_m3(35.0, 0.001) == pytest.approx(expected, rel=0.01)


# --- Seawater reverse osmosis ----------------------------------------------------------------


@pytest.mark.parametrize("params", [{}, {"recovery": 0.5}], ids=["defaults", "recovery_0.5"])
def test_swro_energy_and_quality(seawater: water.Feed, params: dict[str, float]) -> None:
    """Voutchkov 2018 ("Energy use for membrane seawater desalination – current status and
    trends", Desalination 431:2): whole SWRO plants with energy recovery use 2.5–4 kWh/m³ and
    deliver < 500 mg/L. The brine follows the salt balance c_b ≈ c_f/(1 − r)."""
    result = simulate("ro", seawater, **params)
    assert 2.5 <= result.sec_kwh_m3 <= 4.0
    assert result.permeate_tds_mg_l < 500.0
    expected_brine = seawater.tds_g_l / (1.0 - result.recovery)
    assert result.brine_tds_g_l == pytest.approx(expected_brine, rel=0.03)


# --- Nanofiltration ----------------------------------------------------------------------------


def test_nf_rejects_divalent_ions_on_seawater(seawater: water.Feed) -> None:
    """Hassan et al. 1998 (Desalination 118:35): NF on seawater rejects SO₄²⁻ > 90 % and the
    hardness ions far better than Na⁺ and Cl⁻, which mostly pass (< 50 % rejection)."""
    rejection = simulate("nf", seawater).ion_rejection
    for divalent in ("Ca", "Mg", "SO4"):
        for monovalent in ("Na", "Cl"):
            assert rejection[divalent] > rejection[monovalent], (divalent, monovalent, rejection)
    assert rejection["SO4"] > 0.9
    assert rejection["Na"] < 0.5


# --- Thermal distillation ----------------------------------------------------------------------


def test_msf_heat_is_latent_heat_over_gor(seawater: water.Feed) -> None:
    """Heat per m³ of distillate = 1000·h_fg/GOR (Al-Karaghouli & Kazmerski 2013, RSER 24:343);
    for GOR 8 that is 60–90 kWh/m³ of heat."""
    result = simulate("distillation_msf", seawater, gor=8.0)
    steam_c = result.extra["steam_temp_c"]
    assert result.thermal_kwh_m3 == pytest.approx(
        1000.0 * latent_heat_kj_kg(steam_c) / 8.0 / 3600.0, rel=1e-9
    )
    assert 60.0 <= result.thermal_kwh_m3 <= 90.0


def test_thermal_methods_rank_above_ro(seawater: water.Feed) -> None:
    """Al-Karaghouli & Kazmerski 2013 (RSER 24:343), electricity-equivalent totals: MSF
    13.5–25.5, MED 6.5–11 kWh/m³, both above SWRO; MED at GOR 10 needs less heat than MSF at 8."""
    msf = simulate("distillation_msf", seawater, gor=8.0)
    med = simulate("distillation_med", seawater, gor=10.0)
    ro = simulate("ro", seawater)
    assert med.thermal_kwh_m3 < msf.thermal_kwh_m3
    assert msf.sec_kwh_m3 > med.sec_kwh_m3 > ro.sec_kwh_m3
    assert 13.5 <= msf.sec_kwh_m3 <= 25.5
    assert 6.5 <= med.sec_kwh_m3 <= 11.0


# --- Electrodialysis --------------------------------------------------------------------------


def test_electrodialysis_energy_scales_with_salt(
    brackish: water.Feed, seawater: water.Feed
) -> None:
    """Strathmann 2010 ("Electrodialysis, a mature technology with a multitude of new
    applications", Desalination 264:268): ED energy is paid per ion removed, < 1.5 kWh/m³
    on brackish water and several times more on seawater."""
    brackish_sec = simulate("electrodialysis", brackish).sec_kwh_m3
    seawater_sec = simulate("electrodialysis", seawater).sec_kwh_m3
    assert brackish_sec < 1.5
    assert seawater_sec > 3.0 * brackish_sec


# --- Ion exchange ------------------------------------------------------------------------------


def test_ion_exchange_softens_but_does_not_desalt(brackish: water.Feed) -> None:
    """A sodium-form strong-acid cation resin swaps Ca²⁺ and Mg²⁺ for 2 Na⁺ (DuPont/Dow resin
    engineering data; Crittenden et al. 2012, MWH's Water Treatment, ion-exchange chapter):
    hardness > 95 % removed, sodium added, total dissolved solids not lowered."""
    result = simulate("ion_exchange", brackish)
    rejection = result.ion_rejection
    assert rejection["Ca"] > 0.95
    assert rejection["Mg"] > 0.95
    assert rejection["Na"] < 0.0
    assert result.permeate_tds_mg_l >= 0.95 * brackish.tds_mg_l


# --- Scaling -----------------------------------------------------------------------------------


def test_seawater_saturation_indices(seawater: water.Feed) -> None:
    """PHREEQC (phreeqc.dat) on standard seawater at 25 °C, pH 8.1: gypsum SI ≈ −0.6, calcite
    SI ≈ +0.8 (seawater is undersaturated in gypsum and supersaturated in calcite)."""
    sat = saturation(seawater.vector, 25.0, 8.1)
    assert -0.9 <= sat.gypsum_si <= -0.4
    assert 0.4 <= sat.calcite_si <= 1.0
