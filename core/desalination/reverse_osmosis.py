"""Reverse osmosis plants: one or two passes of solution–diffusion stages (membranes.py),
pumps with an energy-recovery device, and the brine's scaling check."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from core.desalination.errors import DesalInputError
from core.desalination.membranes import (
    BRACKISH_RO,
    LMH,
    MAX_MEMBRANE_TEMP_C,
    MEMBRANES,
    SEAWATER_RO,
    Membrane,
    StageResult,
    pump_energy_j_m3,
    stage_at_flux,
    stage_at_pressure,
    with_constants,
)
from core.desalination.result import Flow, Result, check_range, mg_l, water_flows
from core.desalination.scaling import ScalingLimits, brine_check
from core.desalination.thermo import J_PER_KWH, PA_PER_BAR, check_recovery
from core.desalination.water import IONS, Feed, Vector

ATMOSPHERE_BAR = 1.01325  # pumps and gauges read above the atmosphere; WaterTAP is absolute


@dataclass(frozen=True)
class MembraneProcess(ScalingLimits):
    """Settings shared by RO and NF. ``pressure_bar`` None: the pressure follows from the
    design flux; set: the flux follows from it (and too little pressure is an error).
    Pressures are gauge (above the atmosphere), as a pump's gauge reads them.

    ``a_lmh_bar`` and ``b_lmh`` replace the catalogue membrane's water and salt permeability
    (L/(m²·h·bar) and L/(m²·h)): ``b_lmh`` one value for every ion or a mapping by ion."""

    recovery: float = 0.45
    flux_lmh: float = 14.0
    pressure_bar: float | None = None
    membrane: str = "auto"  # "seawater_ro", "brackish_ro", "nf"; "auto" picks by salinity
    pump_efficiency: float = 0.80
    erd_efficiency: float = 0.95  # 0 = no energy-recovery device
    mass_transfer_m_s: float = 2.2e-5  # ~80 L/m²h: spacer-filled spiral-wound channel
    pressure_drop_bar: float = 1.5
    auxiliary_kwh_m3_feed: float = 0.2  # intake, pretreatment, transfer pumps per m³ of feed
    a_lmh_bar: float | None = None
    b_lmh: float | Mapping[str, float] | None = None

    def validate(self) -> None:
        check_recovery(self.recovery)
        check_range("flux_lmh", self.flux_lmh, 1.0, 60.0)
        check_range("pump_efficiency", self.pump_efficiency, 0.3, 1.0)
        check_range("erd_efficiency", self.erd_efficiency, 0.0, 0.98)
        check_range("mass_transfer_m_s", self.mass_transfer_m_s, 2e-6, 2e-4)
        check_range("pressure_drop_bar", self.pressure_drop_bar, 0.0, 5.0)
        check_range("auxiliary_kwh_m3_feed", self.auxiliary_kwh_m3_feed, 0.0, 2.0)
        if self.membrane != "auto" and self.membrane not in MEMBRANES:
            raise DesalInputError(
                "parameter_range", name="membrane", low="", high="", value=self.membrane
            )
        if self.pressure_bar is not None:
            check_range("pressure_bar", self.pressure_bar, 0.0, 120.0)
        if self.a_lmh_bar is not None:
            check_range("a_lmh_bar", self.a_lmh_bar, 0.1, 30.0)
        b = self.b_lmh
        if isinstance(b, Mapping):
            unknown = sorted(set(b) - set(IONS))
            if unknown:
                raise DesalInputError("unknown_ion", ion=", ".join(map(str, unknown)))
            for value in b.values():
                check_range("b_lmh", value, 1e-4, 100.0)
        elif b is not None:
            check_range("b_lmh", b, 1e-4, 100.0)

    def chosen_membrane(self, kind: str) -> Membrane:
        """The catalogue membrane ``kind`` with this design's own A and B, if set."""
        return with_constants(MEMBRANES[kind], self.a_lmh_bar, self.b_lmh)


def check_membrane_temperature(feed: Feed) -> None:
    """Polyamide membranes are rated to 45 °C; hotter water is for distillation."""
    if feed.temp_c > MAX_MEMBRANE_TEMP_C:
        raise DesalInputError("membrane_temperature", value=feed.temp_c, limit=MAX_MEMBRANE_TEMP_C)


@dataclass(frozen=True)
class ReverseOsmosis(MembraneProcess):
    passes: int = 1
    second_pass_recovery: float = 0.85
    second_pass_flux_lmh: float = 30.0

    def validate(self) -> None:
        super().validate()
        check_range("passes", self.passes, 1, 2)
        check_recovery(self.second_pass_recovery)
        check_range("second_pass_flux_lmh", self.second_pass_flux_lmh, 1.0, 60.0)


def ro_membrane(settings: MembraneProcess, tds_g_l: float) -> str:
    if settings.membrane != "auto":
        return settings.membrane
    return SEAWATER_RO.kind if tds_g_l > 10.0 else BRACKISH_RO.kind


def run_stage(
    feed: Vector,
    temp_c: float,
    settings: MembraneProcess,
    membrane: str,
    recovery: float,
    flux_lmh: float,
    pressure_bar: float | None,
    *,
    catalogue: bool = False,
) -> StageResult:
    """``catalogue``: the membrane as sold, ignoring the design's own A and B (a hybrid's NF
    stage, a second pass)."""
    kwargs = {
        "mass_transfer_m_s": settings.mass_transfer_m_s,
        "pressure_drop_pa": settings.pressure_drop_bar * PA_PER_BAR,
    }
    chosen = MEMBRANES[membrane] if catalogue else settings.chosen_membrane(membrane)
    if pressure_bar is None:
        return stage_at_flux(feed, temp_c, chosen, recovery, flux_lmh, **kwargs)
    return stage_at_pressure(feed, temp_c, chosen, recovery, pressure_bar, **kwargs)


def stage_energy_kwh_m3(stage: StageResult, settings: MembraneProcess) -> float:
    return pump_energy_j_m3(stage, settings.pump_efficiency, settings.erd_efficiency) / J_PER_KWH


def simulate_ro(feed: Feed, settings: ReverseOsmosis) -> Result:
    settings.validate()
    check_membrane_temperature(feed)
    membrane = ro_membrane(settings, feed.tds_g_l)
    first = run_stage(
        feed.vector,
        feed.temp_c,
        settings,
        membrane,
        settings.recovery,
        settings.flux_lmh,
        settings.pressure_bar,
    )
    sat, notes = brine_check(feed, feed.vector, first.brine, settings)
    pump = stage_energy_kwh_m3(first, settings)
    product, recovery = first.permeate, settings.recovery
    flows = list(water_flows(feed.vector, settings.recovery, first.permeate, "ro"))
    breakdown = {"high_pressure_pump": pump}
    if settings.passes == 2:
        second = run_stage(
            first.permeate,
            feed.temp_c,
            settings,
            BRACKISH_RO.kind,
            settings.second_pass_recovery,
            settings.second_pass_flux_lmh,
            None,
            catalogue=True,
        )
        breakdown = {
            "high_pressure_pump": pump / settings.second_pass_recovery,
            "second_pass_pump": stage_energy_kwh_m3(second, settings),
        }
        product, recovery = second.permeate, settings.recovery * settings.second_pass_recovery
        flows = two_pass_flows(feed.vector, first, second)
    breakdown["auxiliary"] = settings.auxiliary_kwh_m3_feed / recovery
    total = sum(breakdown.values())
    figures = stage_figures(first)
    if settings.passes == 2:
        # Both passes' membranes, per m³/day of the final product.
        figures["membrane_m2_per_m3_day"] = (
            figures["membrane_m2_per_m3_day"] / settings.second_pass_recovery
            + stage_figures(second)["membrane_m2_per_m3_day"]
        )
    return Result(
        method="ro",
        feed=feed,
        recovery=recovery,
        sec_kwh_m3=total,
        electrical_kwh_m3=total,
        thermal_kwh_m3=0.0,
        permeate_mg_l=mg_l(product),
        brine_mg_l=mg_l(first.brine),
        energy_breakdown=breakdown,
        flows=tuple(flows),
        brine_saturation=sat,
        pressure_bar=first.feed_pressure_bar,
        notes=notes,
        extra=figures,
    )


def two_pass_flows(feed: Vector, first: StageResult, second: StageResult) -> list[Flow]:
    r1, r2 = first.recovery, second.recovery
    salt, s1 = float(feed.sum()), float(first.permeate.sum()) * r1
    s2 = float(second.permeate.sum()) * r1 * r2
    return [
        Flow("feed", "ro", 1.0, salt),
        Flow("ro", "brine", 1.0 - r1, salt - s1),
        Flow("ro", "ro_pass_2", r1, s1),
        Flow("ro_pass_2", "product", r1 * r2, s2),
        Flow("ro_pass_2", "brine", r1 * (1.0 - r2), s1 - s2),
    ]


def stage_figures(stage: StageResult) -> dict[str, float]:
    """The stage's own figures; ``membrane_m2_per_m3_day`` is its area per m³/day of its
    permeate (a plant's total area is what its capital cost grows with)."""
    return {
        "pressure_abs_bar": stage.feed_pressure_bar + ATMOSPHERE_BAR,
        "mean_flux_lmh": stage.mean_flux_lmh,
        "tail_flux_lmh": stage.tail_flux_lmh,
        "polarisation": stage.max_polarisation,
        "feed_osmotic_bar": stage.feed_osmotic_bar,
        "brine_osmotic_bar": stage.brine_osmotic_bar,
        "membrane_m2_per_m3_day": 1.0 / (stage.mean_flux_lmh * LMH * 86400.0),
    }
