"""Distillation: multi-stage flash (MSF) and multi-effect distillation (MED).

Heat per m³ of distillate is the latent heat divided by the gain output ratio (GOR, kg of
distillate per kg of steam): Q = 1000·h_fg/GOR. Heat is not electricity, so it is converted to
the electricity a power plant would have made from the same steam: W = Q·(1 − T₀/T_s)·η
(Carnot between the steam and the sea, times a turbine's second-law efficiency), the
"equivalent work" used to put thermal and membrane plants on one scale (Mistry et al. 2011).
Pumps add electricity: MSF 2.5–5, MED 1.5–2.5 kWh/m³ (Al-Karaghouli & Kazmerski 2013).

The brine is held to the same scaling limits as a membrane plant's, at the same (feed)
temperature, so methods are compared by one rule; its saturation at the top brine temperature,
where calcite is less soluble still, is reported too."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.desalination.errors import DesalInputError
from core.desalination.result import Result, check_range, mg_l, water_flows
from core.desalination.scaling import ScalingLimits, brine_check, ph_after, saturation
from core.desalination.thermo import KELVIN, check_recovery
from core.desalination.water import Feed

SECONDS_PER_HOUR = 3600.0


def latent_heat_kj_kg(temp_c: float) -> float:
    """Water's heat of vaporisation, linear fit to steam tables over 40–120 °C (±0.3 %)."""
    return 2501.0 - 2.361 * temp_c


@dataclass(frozen=True)
class Distillation(ScalingLimits):
    kind: str = "msf"  # set by the method name
    gor: float = 8.0
    top_brine_temp_c: float = 110.0
    electrical_kwh_m3: float = 3.5
    recovery: float = 0.35  # of the make-up feed; cooling water is not counted
    carryover: float = 2e-4  # brine droplets in the distillate, as a fraction of brine salt
    turbine_efficiency: float = 0.7  # second-law efficiency of turning that steam into power
    max_brine_tds_g_l: float = 70.0

    @property
    def temperature_range(self) -> tuple[float, float]:
        """MSF flashes at 90–120 °C; MED is kept below ~75 °C, where its tubes stay clean."""
        return (90.0, 120.0) if self.kind == "msf" else (50.0, 75.0)

    def validate(self) -> None:
        check_recovery(self.recovery)
        low, high = self.temperature_range
        check_range("top_brine_temp_c", self.top_brine_temp_c, low, high)
        check_range("gor", self.gor, 1.0, 25.0)
        check_range("electrical_kwh_m3", self.electrical_kwh_m3, 0.0, 10.0)
        check_range("carryover", self.carryover, 0.0, 0.01)
        check_range("turbine_efficiency", self.turbine_efficiency, 0.1, 1.0)


MSF = Distillation()
MED = Distillation(kind="med", gor=10.0, top_brine_temp_c=70.0, electrical_kwh_m3=1.8, recovery=0.4)


def simulate_distillation(feed: Feed, settings: Distillation) -> Result:
    settings.validate()
    if feed.temp_c >= settings.top_brine_temp_c:
        raise DesalInputError("feed_too_hot", temp=feed.temp_c, top=settings.top_brine_temp_c)
    r = settings.recovery
    brine = feed.vector / (1.0 - r)
    product = brine * settings.carryover
    brine = (feed.vector - r * product) / (1.0 - r)
    steam_c = settings.top_brine_temp_c + 10.0  # heating steam a few kelvin above the brine
    heat = 1000.0 * latent_heat_kj_kg(steam_c) / settings.gor / SECONDS_PER_HOUR  # kWh/m³
    carnot = 1.0 - (feed.temp_c + KELVIN) / (steam_c + KELVIN)
    equivalent = heat * carnot * settings.turbine_efficiency
    sat, scaling = brine_check(feed, feed.vector, brine, settings)
    hot = saturation(
        brine,
        settings.top_brine_temp_c,
        ph_after(feed.vector, feed.ph, brine, feed.temp_c),
    )
    salty = ("brine_too_salty",) if float(brine.sum()) > settings.max_brine_tds_g_l else ()
    notes = salty + scaling
    method = "distillation_msf" if settings.kind == "msf" else "distillation_med"
    return Result(
        method=method,
        feed=feed,
        recovery=r,
        sec_kwh_m3=equivalent + settings.electrical_kwh_m3,
        electrical_kwh_m3=settings.electrical_kwh_m3,
        thermal_kwh_m3=heat,
        permeate_mg_l=mg_l(product),
        brine_mg_l=mg_l(brine),
        energy_breakdown={"heat_as_electricity": equivalent, "pumps": settings.electrical_kwh_m3},
        flows=water_flows(feed.vector, r, product, settings.kind),
        brine_saturation=sat,
        notes=notes,
        extra={
            "steam_temp_c": steam_c,
            "carnot_factor": float(np.round(carnot, 4)),
            "hot_brine_calcite_si": hot.calcite_si,
            "hot_brine_gypsum_si": hot.gypsum_si,
        },
    )
