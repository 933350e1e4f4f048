"""Nanofiltration alone (softening) and the NF → RO hybrid of the desalination study: NF takes
out most of the calcium, magnesium and sulfate at low pressure, so the RO stage behind it sees
a softer, slightly less salty water whose brine stays far from gypsum and calcite saturation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from core.desalination.membranes import NANOFILTRATION, StageResult
from core.desalination.result import Flow, Result, check_range, mg_l
from core.desalination.reverse_osmosis import (
    MembraneProcess,
    check_membrane_temperature,
    ro_membrane,
    run_stage,
    stage_energy_kwh_m3,
    stage_figures,
)
from core.desalination.scaling import brine_check, ph_after
from core.desalination.thermo import check_recovery
from core.desalination.water import Feed


@dataclass(frozen=True)
class Nanofiltration(MembraneProcess):
    recovery: float = 0.75
    flux_lmh: float = 20.0
    membrane: str = "nf"
    erd_efficiency: float = 0.0  # NF pressures rarely justify an energy-recovery device


def simulate_nf(feed: Feed, settings: Nanofiltration) -> Result:
    settings.validate()
    check_membrane_temperature(feed)
    b = settings.b_lmh
    stage = _nf_stage(
        tuple(feed.vector.tolist()),
        feed.temp_c,
        settings.mass_transfer_m_s,
        settings.pressure_drop_bar,
        settings.recovery,
        settings.flux_lmh,
        settings.pressure_bar,
        settings.membrane,
        settings.a_lmh_bar,
        tuple(sorted(b.items())) if isinstance(b, Mapping) else b,
    )
    sat, notes = brine_check(feed, feed.vector, stage.brine, settings)
    breakdown = {
        "nf_pump": stage_energy_kwh_m3(stage, settings),
        "auxiliary": settings.auxiliary_kwh_m3_feed / settings.recovery,
    }
    salt = float(feed.vector.sum())
    product_salt = float(stage.permeate.sum()) * settings.recovery
    return Result(
        method="nf",
        feed=feed,
        recovery=settings.recovery,
        sec_kwh_m3=sum(breakdown.values()),
        electrical_kwh_m3=sum(breakdown.values()),
        thermal_kwh_m3=0.0,
        permeate_mg_l=mg_l(stage.permeate),
        brine_mg_l=mg_l(stage.brine),
        energy_breakdown=breakdown,
        flows=(
            Flow("feed", "nf", 1.0, salt),
            Flow("nf", "product", settings.recovery, product_salt),
            Flow("nf", "brine", 1.0 - settings.recovery, salt - product_salt),
        ),
        brine_saturation=sat,
        pressure_bar=stage.feed_pressure_bar,
        notes=notes,
        extra=stage_figures(stage),
    )


@dataclass(frozen=True)
class NfRo(MembraneProcess):
    """``recovery`` and ``flux_lmh`` are the RO stage's; the NF stage has its own."""

    recovery: float = 0.65
    nf_recovery: float = 0.75
    nf_flux_lmh: float = 20.0
    nf_pressure_bar: float | None = None

    def validate(self) -> None:
        super().validate()
        check_recovery(self.nf_recovery)
        check_range("nf_flux_lmh", self.nf_flux_lmh, 1.0, 60.0)
        if self.nf_pressure_bar is not None:
            check_range("nf_pressure_bar", self.nf_pressure_bar, 0.0, 45.0)


def simulate_nf_ro(feed: Feed, settings: NfRo) -> Result:
    settings.validate()
    check_membrane_temperature(feed)
    nf = _nf_stage(
        tuple(feed.vector.tolist()),
        feed.temp_c,
        settings.mass_transfer_m_s,
        settings.pressure_drop_bar,
        settings.nf_recovery,
        settings.nf_flux_lmh,
        settings.nf_pressure_bar,
        NANOFILTRATION.kind,  # the catalogue NF: the design's own A and B are its RO stage's
        None,
        None,
    )
    ro_kind = ro_membrane(settings, float(nf.permeate.sum()))
    ro = run_stage(
        nf.permeate,
        feed.temp_c,
        settings,
        ro_kind,
        settings.recovery,
        settings.flux_lmh,
        settings.pressure_bar,
    )
    nf_sat, nf_notes = brine_check(feed, feed.vector, nf.brine, settings)
    ro_ph = ph_after(feed.vector, feed.ph, nf.permeate, feed.temp_c)
    ro_sat, ro_notes = brine_check(feed, nf.permeate, ro.brine, settings, ph=ro_ph)
    r_nf, r_ro = settings.nf_recovery, settings.recovery
    recovery = r_nf * r_ro
    # The NF stage pumps without energy recovery: at its pressures it rarely pays.
    nf_energy = stage_energy_kwh_m3(nf, replace(settings, erd_efficiency=0.0))
    breakdown = {
        "nf_pump": nf_energy / r_ro,
        "high_pressure_pump": stage_energy_kwh_m3(ro, settings),
        "auxiliary": settings.auxiliary_kwh_m3_feed / recovery,
    }
    salt = float(feed.vector.sum())
    s_nf = float(nf.permeate.sum()) * r_nf
    s_ro = float(ro.permeate.sum()) * recovery
    # Both brines leave the plant; the RO brine is reported, as it is the one that may scale.
    brine_water = 1.0 - recovery
    mixed_brine = (nf.brine * (1.0 - r_nf) + ro.brine * r_nf * (1.0 - r_ro)) / brine_water
    return Result(
        method="nf_ro",
        feed=feed,
        recovery=recovery,
        sec_kwh_m3=sum(breakdown.values()),
        electrical_kwh_m3=sum(breakdown.values()),
        thermal_kwh_m3=0.0,
        permeate_mg_l=mg_l(ro.permeate),
        brine_mg_l=mg_l(mixed_brine),
        energy_breakdown=breakdown,
        flows=(
            Flow("feed", "nf", 1.0, salt),
            Flow("nf", "brine", 1.0 - r_nf, salt - s_nf),
            Flow("nf", "ro", r_nf, s_nf),
            Flow("ro", "product", recovery, s_ro),
            Flow("ro", "brine", r_nf * (1.0 - r_ro), s_nf - s_ro),
        ),
        brine_saturation=ro_sat,
        pressure_bar=ro.feed_pressure_bar,
        notes=tuple(f"nf_{n}" for n in nf_notes) + ro_notes,
        extra={
            **stage_figures(ro),
            # Both stages' membranes per m³/day of product: NF makes 1/r_RO of it.
            "membrane_m2_per_m3_day": stage_figures(ro)["membrane_m2_per_m3_day"]
            + stage_figures(nf)["membrane_m2_per_m3_day"] / r_ro,
            "nf_pressure_bar": nf.feed_pressure_bar,
            "nf_permeate_tds_mg_l": float(nf.permeate.sum()) * 1000.0,
            "nf_brine_gypsum_si": nf_sat.gypsum_si,
            "nf_brine_calcite_si": nf_sat.calcite_si,
        },
    )


@lru_cache(maxsize=256)
def _nf_stage(
    feed: tuple[float, ...],
    temp_c: float,
    mass_transfer_m_s: float,
    pressure_drop_bar: float,
    recovery: float,
    flux_lmh: float,
    pressure_bar: float | None,
    membrane: str,
    a_lmh_bar: float | None,
    b_lmh: tuple[tuple[str, float], ...] | float | None,
) -> StageResult:
    """An NF stage, keyed on exactly what it depends on. It is most of the cost of an NF→RO run
    and does not depend on the RO stage, so a sweep over the RO recovery (the energy curve, the
    recovery limit, the recovery slider) computes it once; NF alone at the hybrid's NF settings
    shares it too. Its arrays are read-only, as the result is shared."""
    stage = run_stage(
        np.array(feed),
        temp_c,
        MembraneProcess(
            mass_transfer_m_s=mass_transfer_m_s,
            pressure_drop_bar=pressure_drop_bar,
            a_lmh_bar=a_lmh_bar,
            b_lmh=dict(b_lmh) if isinstance(b_lmh, tuple) else b_lmh,
        ),
        membrane,
        recovery,
        flux_lmh,
        pressure_bar,
    )
    for array in (stage.feed, stage.permeate, stage.brine):
        array.flags.writeable = False
    return stage
