"""Each result in words: one paragraph per method, filled with that run's own numbers."""

from __future__ import annotations

from app_pages.components.numbers import signed
from app_pages.components.session import tr
from core.desalination import Result
from core.desalination.sweep import own_floor_kwh_m3

# Above this salinity the lab calls a water salty rather than brackish (electrodialysis's rule).
BRACKISH_TDS_G_L = 10.0


def explain(result: Result) -> str:
    m, x = result.method, result.extra
    # The floor of the separation this method makes: NF's product keeps most of its sodium,
    # so its floor is far below the one for pure water.
    minimum = own_floor_kwh_m3(result)
    common = {
        "recovery": result.recovery,
        "sec": result.sec_kwh_m3,
        "tds": result.permeate_tds_mg_l,
        "minimum": minimum,
        "ratio": result.sec_kwh_m3 / minimum if minimum > 0 else 0.0,
    }
    rejection = result.ion_rejection
    if m in ("ro", "nf", "nf_ro"):
        text = tr(
            f"desal.explain.{m}",
            pressure=result.pressure_bar or 0.0,
            absolute=x["pressure_abs_bar"],
            feed_osm=x["feed_osmotic_bar"],
            brine_osm=x["brine_osmotic_bar"],
            so4=rejection.get("SO4", 0.0),
            mg=rejection.get("Mg", 0.0),
            na=rejection.get("Na", 0.0),
            nf_pressure=x.get("nf_pressure_bar", 0.0),
            nf_tds=x.get("nf_permeate_tds_mg_l", 0.0),
            area=x["membrane_m2_per_m3_day"],
            **common,
        )
    elif m == "electrodialysis":
        salty = result.feed.tds_g_l > BRACKISH_TDS_G_L
        text = tr(
            "desal.explain.electrodialysis_salty" if salty else "desal.explain.electrodialysis",
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
        text += " " + scaling_text(result)
    for note in result.notes:
        text += " " + tr(f"desal.note.{note}")
    return text


def scaling_text(result: Result) -> str:
    """The brine's saturation indices; a mineral whose ions the water lacks cannot form, and
    its index (the log of zero) is not shown."""
    sat, brine = result.brine_saturation, result.brine_mg_l
    assert sat is not None
    no_calcium = brine["Ca"] <= 0
    gypsum = (
        tr("desal.explain.no_ion", ion=tr("desal.ion.Ca"))
        if no_calcium
        else tr("desal.explain.no_ion", ion=tr("desal.ion.SO4"))
        if brine["SO4"] <= 0
        else signed(sat.gypsum_si, 2)
    )
    calcite = (
        tr("desal.explain.no_ion", ion=tr("desal.ion.Ca"))
        if no_calcium
        else tr("desal.explain.no_ion", ion=tr("desal.ion.HCO3"))
        if brine["HCO3"] <= 0
        else signed(sat.calcite_si, 2)
    )
    text = tr("desal.explain.scaling", gypsum=gypsum, calcite=calcite)
    hot = result.extra.get("hot_brine_calcite_si")
    if hot is not None and not no_calcium and brine["HCO3"] > 0:
        text += " " + tr(
            "desal.explain.hot_brine", calcite=hot, temp=result.extra["steam_temp_c"] - 10.0
        )
    return text
