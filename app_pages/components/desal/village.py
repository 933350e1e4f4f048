""" "Which method for this village?": read the brief, pick a method, and the models design all
seven for that village. Each answer is one telemetry event on the village's skill; the wrong
pick is labelled with the misunderstanding it most likely shows."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from app_pages.components.decision import decision_state, record_decision
from app_pages.components.desal.runs import verdict as judged
from app_pages.components.session import tr
from core.accounts import Actor
from core.desalination import METHODS
from core.desalination.thermo import PA_PER_BAR, osmotic_pressure_pa
from core.desalination.village import VILLAGES, Village, VillageVerdict

ACTIVITY = "desal"


def _brief(village: Village) -> None:
    st.markdown(tr(f"desal.village.{village.id}.brief"))
    feed = village.feed
    cols = st.columns(4)
    cols[0].metric(tr("desal.metric.tds"), f"{feed.tds_g_l:.2f} g/L")
    osmotic = osmotic_pressure_pa(feed.vector, feed.temp_c) / PA_PER_BAR
    cols[1].metric(tr("desal.metric.osmotic"), f"{osmotic:.1f} bar")
    cols[2].metric(tr("desal.metric.hardness"), f"{feed.hardness_mg_l_caco3:.0f} mg/L")
    cols[3].metric(tr("desal.village.capacity"), f"{village.capacity_m3_day:,.0f} m³/d")
    rules = [tr("desal.village.rule_tds", value=village.max_product_tds_mg_l)]
    if village.max_hardness_mg_l is not None:
        rules.append(tr("desal.village.rule_hardness", value=village.max_hardness_mg_l))
    if village.min_recovery is not None:
        rules.append(tr("desal.village.rule_recovery", value=village.min_recovery))
    rules.append(
        tr("desal.village.rule_heat_yes" if village.waste_heat else "desal.village.rule_heat_no")
    )
    rules.append(tr("desal.village.rule_cost"))
    st.markdown("\n".join(f"- {r}" for r in rules))


def _submit(actor: Actor, village: Village, state: dict[str, Any]) -> None:
    choice = st.session_state.get(f"desal_village_choice_{village.id}")
    if choice is None:
        state["outcome"] = "pick_first"
        return
    result = judged(village.id, choice)
    try:
        record_decision(
            actor,
            state,
            activity=ACTIVITY,
            item_id=f"village_{village.id}",
            skill=village.skill,
            correct=result.correct,
            error_type=result.error_type,
            payload={"choice": choice, "best": result.best, "acceptable": list(result.acceptable)},
        )
    except ValidationError:
        state["outcome"] = "not_saved"
        return
    state["outcome"], state["choice"] = ("correct" if result.correct else "wrong"), choice


def _table(result: VillageVerdict) -> pd.DataFrame:
    rows = []
    for option in result.options:
        ok = not option.failure
        rows.append(
            {
                tr("desal.table.method"): tr(f"desal.method.{option.method}"),
                tr("desal.village.meets"): "✓"
                if ok
                else "✕ " + tr(f"desal.limit.{option.failure}"),
                tr("desal.table.recovery"): "—"
                if option.result is None
                else f"{option.result.recovery:.0%}",
                tr("desal.table.sec"): None
                if option.result is None
                else round(option.result.sec_kwh_m3, 2),
                tr("desal.table.product"): None
                if option.result is None
                else round(option.result.permeate_tds_mg_l),
                tr("desal.table.lcow"): None
                if option.cost is None
                else round(option.cost.lcow_usd_m3, 2),
            }
        )
    return pd.DataFrame(rows)


def render(actor: Actor) -> None:
    st.caption(tr("desal.village.intro"))
    labels = {v.id: tr(f"desal.village.{v.id}.title") for v in VILLAGES}
    chosen = st.segmented_control(
        tr("desal.village.pick"),
        [v.id for v in VILLAGES],
        default=VILLAGES[0].id,
        format_func=labels.__getitem__,
        key="desal_village",
    )
    village = next(v for v in VILLAGES if v.id == (chosen or VILLAGES[0].id))
    _brief(village)
    state = decision_state(f"desal_village_state_{village.id}")
    method_labels = {m: tr(f"desal.method.{m}") for m in METHODS}
    with st.container(border=True, key=f"desal_village_card_{village.id}"):
        st.radio(
            tr("desal.village.question"),
            list(METHODS),
            index=None,
            format_func=method_labels.__getitem__,
            key=f"desal_village_choice_{village.id}",
            disabled=bool(state["solved"]),
        )
        left, right = st.columns(2)
        if not state["solved"]:
            left.button(
                tr("desal.village.submit"),
                type="primary",
                key=f"desal_village_submit_{village.id}",
                on_click=_submit,
                args=(actor, village, state),
            )
            right.button(
                tr("quiz.hint"),
                icon=":material/lightbulb:",
                key=f"desal_village_hint_{village.id}",
                on_click=lambda: state.update(hints=state["hints"] + 1),
            )
        if state["hints"] and not state["solved"]:
            st.info(tr(f"desal.village.{village.id}.hint"), icon=":material/lightbulb:")
        _feedback(village, state)


def _feedback(village: Village, state: dict[str, Any]) -> None:
    outcome = state["outcome"]
    if outcome == "pick_first":
        st.warning(tr("quiz.pick_first"))
    elif outcome == "not_saved":
        st.error(tr("errors.not_saved"))
    if outcome not in ("correct", "wrong"):
        return
    result = judged(village.id, state["choice"])
    best = tr(f"desal.method.{result.best}") if result.best else tr("desal.village.none_works")
    if outcome == "correct":
        st.success(tr("desal.village.right", best=best), icon=":material/check_circle:")
    else:
        reason = tr(f"misconceptions.{result.error_type}")
        st.warning(tr("desal.village.wrong", best=best, reason=reason), icon=":material/info:")
    st.dataframe(_table(result), hide_index=True, key=f"desal_village_table_{village.id}")
    st.caption(tr(f"desal.village.{village.id}.lesson"))
