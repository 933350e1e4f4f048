"""Each result in words: one paragraph per method, filled with that run's own numbers."""

from __future__ import annotations

from app_pages.components.session import tr
from core.desalination import Result
from core.desalination.thermo import J_PER_KWH, minimum_energy_j_m3


def explain(result: Result) -> str:
    m, x = result.method, result.extra
    minimum = (
        minimum_energy_j_m3(result.feed.vector, result.recovery, result.feed.temp_c) / J_PER_KWH
    )
    common = {
        "recovery": result.recovery,
        "sec": result.sec_kwh_m3,
        "tds": result.permeate_tds_mg_l,
        "minimum": minimum,
        "ratio": result.sec_kwh_m3 / minimum,
    }
    rejection = result.ion_rejection
    if m in ("ro", "nf", "nf_ro"):
        text = tr(
            f"desal.explain.{m}",
            pressure=result.pressure_bar or 0.0,
            feed_osm=x["feed_osmotic_bar"],
            brine_osm=x["brine_osmotic_bar"],
            so4=rejection.get("SO4", 0.0),
            mg=rejection.get("Mg", 0.0),
            na=rejection.get("Na", 0.0),
            nf_pressure=x.get("nf_pressure_bar", 0.0),
            nf_tds=x.get("nf_permeate_tds_mg_l", 0.0),
            **common,
        )
    elif m == "electrodialysis":
        text = tr(
            "desal.explain.electrodialysis",
            charge=x["charge_kah_m3"],
            volts=x["cell_pair_volts"],
            **common,
        )
    elif m.startswith("distillation"):
        text = tr(
            "desal.explain.distillation",
            heat=result.thermal_kwh_m3,
            equivalent=result.energy_breakdown["heat_as_electricity"],
            pumps=result.energy_breakdown["pumps"],
            **common,
        )
    else:
        text = tr(
            "desal.explain.ion_exchange",
            bed_volumes=x["bed_volumes"],
            salt=x["salt_kg_m3"],
            hardness=x["hardness_removed"],
            **common,
        )
    if result.brine_saturation is not None:
        text += " " + tr(
            "desal.explain.scaling",
            gypsum=result.brine_saturation.gypsum_si,
            calcite=result.brine_saturation.calcite_si,
        )
    for note in result.notes:
        text += " " + tr(f"desal.note.{note}")
    return text
