"""Property tests: the monotonic trends physics demands, and salt conservation, over random
inputs. Each RO call marches a membrane stage (~40 ms), so examples are few."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.desalination import (
    IONS,
    Feed,
    minimum_energy_kwh_m3,
    osmotic_pressure_bar,
    preset,
    simulate,
)
from core.desalination.result import Result
from core.desalination.thermo import J_PER_KWH, minimum_energy_j_m3

FAST = settings(max_examples=15, deadline=None, database=None)

SEAWATER = preset("seawater")
BRACKISH = preset("brackish")

# An RO plant with a near-perfect energy-recovery device and no pressure-drop or auxiliary
# losses: its SEC is essentially the feed pressure, which must exceed the brine's rising
# osmotic pressure, so SEC rises with recovery. (With the default 95 % ERD and auxiliary pumps
# charged per m³ of feed, SEC has a minimum near 40–45 % recovery, as real plants do.)
NEAR_IDEAL = {
    "erd_efficiency": 0.98,
    "auxiliary_kwh_m3_feed": 0.0,
    "pressure_drop_bar": 0.0,
    "pump_efficiency": 1.0,
}


def _pair(low: float, high: float, gap: float) -> st.SearchStrategy[tuple[float, float]]:
    """Two values low ≤ a < b ≤ high with b − a ≥ gap."""
    return st.floats(low, high - gap).flatmap(
        lambda a: st.floats(a + gap, high).map(lambda b: (a, b))
    )


# --- Thermodynamics --------------------------------------------------------------------------


@FAST
@given(tds=st.floats(1.0, 80.0), recoveries=_pair(0.05, 0.8, 0.01))
def test_minimum_energy_rises_with_recovery(tds: float, recoveries: tuple[float, float]) -> None:
    r1, r2 = recoveries
    assert minimum_energy_kwh_m3(tds, r2) > minimum_energy_kwh_m3(tds, r1)


@FAST
@given(salinities=_pair(1.0, 80.0, 0.5), recovery=st.floats(0.05, 0.8))
def test_minimum_energy_rises_with_salinity(
    salinities: tuple[float, float], recovery: float
) -> None:
    s1, s2 = salinities
    assert minimum_energy_kwh_m3(s2, recovery) > minimum_energy_kwh_m3(s1, recovery)


@FAST
@given(salinities=_pair(0.5, 250.0, 0.5), temp=st.floats(0.0, 100.0))
def test_osmotic_pressure_rises_with_salinity(salinities: tuple[float, float], temp: float) -> None:
    s1, s2 = salinities
    assert osmotic_pressure_bar(s2, temp) > osmotic_pressure_bar(s1, temp)


@FAST
@given(tds=st.floats(0.5, 250.0), temps=_pair(0.0, 100.0, 1.0))
def test_osmotic_pressure_rises_with_temperature(tds: float, temps: tuple[float, float]) -> None:
    t1, t2 = temps
    assert osmotic_pressure_bar(tds, t2) > osmotic_pressure_bar(tds, t1)


# --- Reverse osmosis ---------------------------------------------------------------------------


RO_RANGES = pytest.mark.parametrize(
    ("feed", "low", "high"),
    [(SEAWATER, 0.2, 0.55), (BRACKISH, 0.3, 0.65)],
    ids=["seawater", "brackish"],
)


@RO_RANGES
def test_ro_sec_rises_with_recovery(feed: Feed, low: float, high: float) -> None:
    @FAST
    @given(recoveries=_pair(low, high, 0.03))
    def check(recoveries: tuple[float, float]) -> None:
        r1, r2 = recoveries
        first = simulate("ro", feed, recovery=r1, **NEAR_IDEAL)
        second = simulate("ro", feed, recovery=r2, **NEAR_IDEAL)
        assert second.sec_kwh_m3 > first.sec_kwh_m3, (r1, r2)
        for result in (first, second):  # even a near-ideal plant stays above the floor
            floor = minimum_energy_j_m3(feed.vector, result.recovery, feed.temp_c) / J_PER_KWH
            assert result.sec_kwh_m3 > floor

    check()


@RO_RANGES
def test_ro_feed_pressure_rises_with_recovery(feed: Feed, low: float, high: float) -> None:
    """With the default plant the feed pressure has to rise with recovery: the brine's osmotic
    pressure does."""

    @FAST
    @given(recoveries=_pair(low, high, 0.03))
    def check(recoveries: tuple[float, float]) -> None:
        r1, r2 = recoveries
        first = simulate("ro", feed, recovery=r1).pressure_bar
        second = simulate("ro", feed, recovery=r2).pressure_bar
        assert first is not None and second is not None
        assert second > first, (r1, r2)

    check()


@FAST
@given(salinities=_pair(20.0, 40.0, 2.0))
def test_ro_sec_rises_with_salinity(salinities: tuple[float, float]) -> None:
    s1, s2 = salinities
    low = simulate("ro", SEAWATER.scaled(s1), recovery=0.4)
    high = simulate("ro", SEAWATER.scaled(s2), recovery=0.4)
    assert high.sec_kwh_m3 > low.sec_kwh_m3


@FAST
@given(feed_kind=st.sampled_from(["seawater", "brackish"]), recovery=st.floats(0.2, 0.5))
def test_ro_sec_above_minimum_energy(feed_kind: str, recovery: float) -> None:
    feed = preset(feed_kind)
    result = simulate("ro", feed, recovery=recovery)
    floor = minimum_energy_j_m3(feed.vector, recovery, feed.temp_c) / J_PER_KWH
    assert result.sec_kwh_m3 > floor


# --- Mass balance ------------------------------------------------------------------------------

BALANCED = ("ro", "nf", "nf_ro", "electrodialysis", "distillation_msf", "distillation_med")


def _assert_salt_balances(result: Result) -> None:
    """Salt in = salt in product + salt in brine, per m³ of feed, in total and per ion."""
    r = result.recovery
    feed = result.feed.ions_mg_l
    total_in = sum(feed.values())
    total_out = r * result.permeate_tds_mg_l + (1.0 - r) * result.brine_tds_g_l * 1000.0
    assert math.isclose(total_out, total_in, rel_tol=0.01), (result.method, total_in, total_out)
    for ion in IONS:
        out = r * result.permeate_mg_l[ion] + (1.0 - r) * result.brine_mg_l[ion]
        assert abs(out - feed.get(ion, 0.0)) <= 0.01 * total_in, (result.method, ion)


@pytest.mark.parametrize("water", ["brackish", "seawater"])
@pytest.mark.parametrize("method", BALANCED)
def test_mass_balance_at_defaults(method: str, water: str) -> None:
    _assert_salt_balances(simulate(method, preset(water)))


@FAST
@given(
    method=st.sampled_from(["ro", "nf", "electrodialysis", "distillation_msf"]),
    recovery=st.floats(0.3, 0.6),
)
def test_mass_balance_over_recovery(method: str, recovery: float) -> None:
    _assert_salt_balances(simulate(method, BRACKISH, recovery=recovery))


@FAST
@given(nf_recovery=st.floats(0.5, 0.85), ro_recovery=st.floats(0.4, 0.7))
def test_nf_ro_mixed_brine_balances(nf_recovery: float, ro_recovery: float) -> None:
    result = simulate("nf_ro", BRACKISH, nf_recovery=nf_recovery, recovery=ro_recovery)
    assert result.recovery == pytest.approx(nf_recovery * ro_recovery)
    _assert_salt_balances(result)
