"""Every method end to end, two-pass RO, the cost and CO₂ accounting, the recovery sweeps and
the village exercise."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from core.desalination import METHODS, DesalInputError, Feed, preset, simulate
from core.desalination import village as village_module
from core.desalination.economics import Economics, cost
from core.desalination.sweep import RecoveryLimit, recovery_limit, sec_curve

BRACKISH = preset("brackish")
SEAWATER = preset("seawater")


@pytest.mark.parametrize("method", METHODS)
def test_every_method_runs_on_brackish_water(method: str) -> None:
    result = simulate(method, BRACKISH)
    assert result.method == method
    assert math.isfinite(result.sec_kwh_m3) and result.sec_kwh_m3 >= 0.0
    assert 0.0 < result.recovery < 1.0
    assert result.permeate_tds_mg_l >= 0.0
    assert math.isfinite(result.permeate_tds_mg_l)
    assert result.electrical_kwh_m3 >= 0.0 and result.thermal_kwh_m3 >= 0.0


@pytest.mark.parametrize("feed", [SEAWATER, BRACKISH], ids=["seawater", "brackish"])
def test_two_pass_ro_is_cleaner_and_costs_more(feed: Feed) -> None:
    one = simulate("ro", feed)
    two = simulate("ro", feed, passes=2)
    assert two.permeate_tds_mg_l < one.permeate_tds_mg_l
    assert two.sec_kwh_m3 > one.sec_kwh_m3
    assert two.recovery < one.recovery  # the second pass's brine is lost product


# --- Economics ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["ro", "electrodialysis", "distillation_msf", "ion_exchange"])
def test_lcow_positive_and_rises_with_electricity_price(method: str) -> None:
    result = simulate(method, BRACKISH)
    cheap = cost(result, Economics(electricity_usd_kwh=0.05)).lcow_usd_m3
    dear = cost(result, Economics(electricity_usd_kwh=0.15)).lcow_usd_m3
    assert cheap > 0.0
    assert dear > cheap
    assert dear - cheap == pytest.approx(result.electrical_kwh_m3 * 0.10, rel=1e-9)


@pytest.mark.parametrize("method", ["ro", "distillation_msf", "distillation_med"])
def test_co2_is_energy_times_emission_factor(method: str) -> None:
    result = simulate(method, SEAWATER)
    economics = Economics(grid_kg_co2_kwh=0.64, heat_kg_co2_kwh=0.2)
    expected = result.electrical_kwh_m3 * 0.64 + result.thermal_kwh_m3 * 0.2
    assert cost(result, economics).co2_kg_m3 == pytest.approx(expected, rel=1e-12)
    if method != "ro":
        assert result.thermal_kwh_m3 > 0.0  # the heat term is really exercised
    clean_grid = cost(result, replace(economics, grid_kg_co2_kwh=0.0)).co2_kg_m3
    assert clean_grid == pytest.approx(result.thermal_kwh_m3 * 0.2, rel=1e-12)


# --- Sweeps ------------------------------------------------------------------------------------


@pytest.mark.timeout(20)
def test_ro_recovery_limit_on_seawater() -> None:
    """Seawater RO is held to 30–75 % recovery by scaling or the membrane's pressure rating."""
    limit = recovery_limit("ro", SEAWATER)
    assert isinstance(limit, RecoveryLimit)
    assert 0.3 < limit.recovery < 0.75
    assert limit.reason
    # The limit is feasible and a little above it is not.
    below = sec_curve("ro", SEAWATER, [limit.recovery, limit.recovery + 0.03])
    assert below[0].reason == ""
    assert below[1].reason != ""


def test_sec_curve_one_point_per_recovery() -> None:
    recoveries = [0.3, 0.45, 0.95]
    points = sec_curve("ro", SEAWATER, recoveries)
    assert [p.recovery for p in points] == pytest.approx(recoveries)
    feasible, impossible = points[:2], points[2]
    for point in feasible:
        assert point.sec_kwh_m3 is not None and point.sec_kwh_m3 > 0.0
        assert point.reason == ""
    assert impossible.sec_kwh_m3 is None
    assert impossible.reason  # an error code, e.g. pressure_limit


def test_sec_curve_none_exactly_when_the_design_is_impossible() -> None:
    points = sec_curve("ro", SEAWATER, [0.2, 0.5, 0.7, 0.9])
    for point in points:
        if point.sec_kwh_m3 is None:
            assert point.reason
        else:
            assert point.sec_kwh_m3 > 0.0


# --- Village exercise --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def first_village_verdicts() -> dict[str, village_module.VillageVerdict]:
    """One verdict per method for the first village. The options table does not depend on the
    choice, so it is computed once and passed to every judgement, as the page does."""
    village = village_module.VILLAGES[0]
    table = village_module.options(village)
    return {m: village_module.judge_choice(village, m, table) for m in METHODS}


@pytest.mark.timeout(20)
def test_village_verdicts_follow_the_acceptable_set(
    first_village_verdicts: dict[str, village_module.VillageVerdict],
) -> None:
    acceptable = next(iter(first_village_verdicts.values())).acceptable
    assert acceptable, "some method must serve the village"
    best = next(iter(first_village_verdicts.values())).best
    assert best in acceptable
    for method, verdict in first_village_verdicts.items():
        assert verdict.acceptable == acceptable
        assert verdict.correct is (method in acceptable), method
        if verdict.correct:
            assert verdict.error_type is None
        else:
            assert isinstance(verdict.error_type, str) and verdict.error_type, method
    assert not all(v.correct for v in first_village_verdicts.values())


def test_village_unknown_method_raises() -> None:
    with pytest.raises(DesalInputError) as info:
        village_module.judge_choice(village_module.VILLAGES[0], "boiling")
    assert info.value.code == "unknown_method"
