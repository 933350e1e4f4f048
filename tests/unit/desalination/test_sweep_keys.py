"""The page caches the energy curve and the recovery limit under curve_settings and
limit_settings, which leave out the recovery the student chose (and, for the limit, energy-only
settings). These tests show the narrower keys are right: the full computation gives the same
answer whatever the left-out settings are, and another answer when a kept setting changes.
Also: the stored default sweeps (default_sweeps.json) are current and equal a fresh computation,
and the hybrid's NF stage is computed once per sweep over the RO recovery."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from core.desalination import Feed, default_sweeps, parameter_names, preset, simulate
from core.desalination import nanofiltration as nf_module
from core.desalination.sweep import (
    CURVE_RECOVERIES,
    ENERGY_ONLY,
    RECOVERY_SWEPT,
    _point,
    curve_settings,
    limit_settings,
    recovery_limit,
    sec_curve,
)

SEAWATER = preset("seawater")
BRACKISH = preset("brackish")
RECOVERIES = [0.35, 0.45, 0.65]

# (method, water, the page's settings at their defaults, a kept setting changed, an
# energy-only setting changed): app_pages/components/desal/settings.py.
CASES: list[tuple[str, Feed, dict[str, Any], dict[str, Any], dict[str, Any]]] = [
    (
        "ro",
        SEAWATER,
        {"recovery": 0.45, "flux_lmh": 14, "erd_efficiency": 0.95, "passes": 1},
        {"flux_lmh": 25},
        {"erd_efficiency": 0.5},
    ),
    (
        "nf_ro",
        SEAWATER,
        {"nf_recovery": 0.75, "recovery": 0.65, "erd_efficiency": 0.95},
        {"nf_flux_lmh": 30.0},
        {"erd_efficiency": 0.5},
    ),
    (
        "electrodialysis",
        BRACKISH,
        {"product_tds_mg_l": 500.0, "recovery": 0.85, "current_density_a_m2": 50},
        {"product_tds_mg_l": 2000.0},
        {"current_density_a_m2": 200},
    ),
    (
        "distillation_med",
        SEAWATER,
        {"gor": 10.0, "top_brine_temp_c": 70, "recovery": 0.4},
        {"max_brine_tds_g_l": 60.0},
        {"gor": 6.0},
    ),
]
IDS = [case[0] for case in CASES]
# A second valid value for every energy-only setting.
OTHER_VALUE = {
    "pump_efficiency": 0.6,
    "erd_efficiency": 0.0,
    "auxiliary_kwh_m3_feed": 1.0,
    "current_density_a_m2": 400.0,
    "current_efficiency": 0.5,
    "permselectivity": 0.7,
    "membrane_resistance_ohm_cm2": 10.0,
    "channel_mm": 2.0,
    "pumping_kwh_m3": 1.0,
    "gor": 4.0,
    "electrical_kwh_m3": 5.0,
    "turbine_efficiency": 0.4,
}


@pytest.mark.parametrize(("method", "feed", "page", "kept", "energy"), CASES, ids=IDS)
def test_the_curve_does_not_depend_on_the_chosen_recovery(
    method: str, feed: Feed, page: dict[str, Any], kept: dict[str, Any], energy: dict[str, Any]
) -> None:
    low, high = page | {"recovery": 0.40}, page | {"recovery": 0.55}
    assert curve_settings(method, low) == curve_settings(method, high)
    assert sec_curve(method, feed, RECOVERIES, low) == sec_curve(method, feed, RECOVERIES, high)


@pytest.mark.parametrize(("method", "feed", "page", "kept", "energy"), CASES, ids=IDS)
def test_the_curve_follows_every_other_setting(
    method: str, feed: Feed, page: dict[str, Any], kept: dict[str, Any], energy: dict[str, Any]
) -> None:
    base = sec_curve(method, feed, RECOVERIES, page)
    for change in (kept, energy):
        assert curve_settings(method, page | change) != curve_settings(method, page)
        assert sec_curve(method, feed, RECOVERIES, page | change) != base, change


@pytest.mark.parametrize(("method", "feed", "page", "kept", "energy"), CASES, ids=IDS)
def test_the_limit_does_not_depend_on_the_recovery_or_energy_only_settings(
    method: str, feed: Feed, page: dict[str, Any], kept: dict[str, Any], energy: dict[str, Any]
) -> None:
    variants = [page | {"recovery": 0.40}, page | {"recovery": 0.55}, page | energy]
    if method == "nf_ro":  # its NF stage runs at NF's own limit
        variants += [page | {"nf_recovery": 0.6}, page | {"nf_recovery": 0.85}]
    keys = {tuple(sorted(limit_settings(method, v).items())) for v in variants}
    assert len(keys) == 1
    found = {(f.recovery, f.reason) for v in variants if (f := recovery_limit(method, feed, v))}
    assert len(found) == 1, found


@pytest.mark.parametrize(("method", "feed", "page", "kept", "energy"), CASES, ids=IDS)
def test_the_limit_follows_every_other_setting(
    method: str, feed: Feed, page: dict[str, Any], kept: dict[str, Any], energy: dict[str, Any]
) -> None:
    assert limit_settings(method, page | kept) != limit_settings(method, page)
    base, changed = recovery_limit(method, feed, page), recovery_limit(method, feed, page | kept)
    assert base is not None and changed is not None
    assert changed.recovery != base.recovery


@pytest.mark.parametrize("method", sorted(ENERGY_ONLY))
def test_energy_only_settings_never_decide_whether_a_design_works(method: str) -> None:
    """The limit search reads nothing but each point's reason (an error code or a scaling
    note), so equal reasons at every recovery mean equal limits."""
    assert ENERGY_ONLY[method] <= set(parameter_names(method))
    for name in sorted(ENERGY_ONLY[method]):
        for recovery in (0.3, 0.6):
            default = _point(method, SEAWATER, recovery, {})
            other = _point(method, SEAWATER, recovery, {name: OTHER_VALUE[name]})
            assert (other.recovery, other.reason) == (default.recovery, default.reason), name


def test_default_values_and_unknown_names_in_the_keys() -> None:
    for method, _, page, _, _ in CASES:
        assert curve_settings(method, page) == {}
        assert limit_settings(method, page) == {}
    assert curve_settings("ro", {"flux_lmh": 20, "colour": "blue"}) == {
        "flux_lmh": 20,
        "colour": "blue",
    }
    assert limit_settings("ion_exchange", {"salt_dose_g_l": 200}) == {}
    assert recovery_limit("ion_exchange", BRACKISH) is None


# --- Stored default sweeps ---------------------------------------------------------------------


@pytest.fixture
def fresh_table() -> Iterator[None]:
    default_sweeps._stored.cache_clear()
    yield
    default_sweeps._stored.cache_clear()


def test_the_stored_sweeps_are_current(fresh_table: None) -> None:
    data = json.loads(default_sweeps.TABLE.read_text(encoding="utf-8"))
    assert data["fingerprint"] == default_sweeps.fingerprint(), (
        "core/desalination changed: run `python -m core.desalination.default_sweeps`"
    )
    expected = {
        (method, default_sweeps.water_key(feed))
        for feed in default_sweeps.waters()
        for method in RECOVERY_SWEPT
    }
    assert set(default_sweeps._stored()) == expected


@pytest.mark.parametrize("method", ["ro", "nf_ro"])
def test_stored_sweeps_equal_a_fresh_computation(fresh_table: None, method: str) -> None:
    """Up to the solvers' tolerances (0.01 bar, 0.001 L/m²h, 0.01 in the limit's recovery),
    which another numpy or CPU may land on differently."""
    entry = default_sweeps.stored(method, SEAWATER)
    assert entry is not None
    points = sec_curve(method, SEAWATER, list(CURVE_RECOVERIES))
    stored = default_sweeps.energy_curve(method, SEAWATER, {})
    assert [p.reason for p in stored] == [p.reason for p in points]
    assert [p.recovery for p in stored] == pytest.approx([p.recovery for p in points], rel=1e-3)
    for a, b in zip(stored, points, strict=True):
        assert (a.sec_kwh_m3 is None) == (b.sec_kwh_m3 is None)
        if a.sec_kwh_m3 is not None:
            assert a.sec_kwh_m3 == pytest.approx(b.sec_kwh_m3, rel=1e-3)
    found, looked_up = recovery_limit(method, SEAWATER), default_sweeps.limit(method, SEAWATER, {})
    assert found is not None and looked_up is not None
    assert looked_up.reason == found.reason
    assert looked_up.recovery == pytest.approx(found.recovery, abs=0.01)


def test_only_the_defaults_on_the_stored_waters_are_looked_up(
    fresh_table: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    computed: list[str] = []

    def counting(method: str, *args: Any, **kwargs: Any) -> Any:
        computed.append(method)
        return original(method, *args, **kwargs)

    original = sec_curve
    monkeypatch.setattr(default_sweeps, "sec_curve", counting)
    default_sweeps.energy_curve("distillation_med", SEAWATER, {"gor": 10.0, "recovery": 0.3})
    assert computed == []
    assert default_sweeps.stored("distillation_med", SEAWATER.at(20.0)) is None
    default_sweeps.energy_curve("distillation_med", SEAWATER.at(20.0), {})
    default_sweeps.energy_curve("distillation_med", SEAWATER, {"gor": 6.0})
    assert computed == ["distillation_med", "distillation_med"]


def test_a_stale_table_is_ignored(fresh_table: None, monkeypatch: pytest.MonkeyPatch) -> None:
    assert default_sweeps.stored("ro", SEAWATER) is not None
    default_sweeps._stored.cache_clear()
    monkeypatch.setattr(default_sweeps, "fingerprint", lambda: "the model changed")
    assert default_sweeps.stored("ro", SEAWATER) is None


# --- The hybrid's NF stage ---------------------------------------------------------------------


def test_the_hybrids_nf_stage_is_computed_once_per_sweep() -> None:
    nf_module._nf_stage.cache_clear()
    fresh = simulate("nf_ro", BRACKISH)
    sec_curve("nf_ro", BRACKISH, RECOVERIES)
    assert nf_module._nf_stage.cache_info().misses == 1
    assert simulate("nf_ro", BRACKISH) == fresh
    nf = simulate("nf", BRACKISH, recovery=0.75, flux_lmh=20.0)  # the hybrid's NF settings
    assert nf_module._nf_stage.cache_info().misses == 1
    assert nf.extra["mean_flux_lmh"] == pytest.approx(20.0, rel=0.01)
