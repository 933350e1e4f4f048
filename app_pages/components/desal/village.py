""" "Which method for this village?": read the brief, pick a method, and the models design all
seven for that village. Each answer is one telemetry event on the village's skill; the wrong
pick is labelled with the misunderstanding it most likely shows."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import streamlit as st
from pydantic import ValidationError

from app_pages.components.decision import decision_state, record_decision
from app_pages.components.desal.runs import column
from app_pages.components.desal.runs import verdict as judged
from app_pages.components.numbers import table
from app_pages.components.session import num, qty, tr
from core.accounts import Actor
from core.desalination import METHODS
from core.desalination.thermo import PA_PER_BAR, osmotic_pressure_pa
from core.desalination.village import ED_MAX_TDS_G_L, NONE, VILLAGES, Village, VillageVerdict

ACTIVITY = "desal"


def _brief(village: Village) -> None:
    st.markdown(tr(f"desal.village.{village.id}.brief"))
    feed = village.feed
    cols = st.columns(4)
    cols[0].metric(tr("desal.metric.tds"), qty(feed.tds_g_l, "g/L", 2))
    osmotic = osmotic_pressure_pa(feed.vector, feed.temp_c) / PA_PER_BAR
    cols[1].metric(tr("desal.metric.osmotic"), qty(osmotic, "bar", 1))
    cols[2].metric(tr("desal.metric.hardness"), qty(feed.hardness_mg_l_caco3, "mg/L", 0))
    cols[3].metric(tr("desal.village.capacity"), qty(village.capacity_m3_day, "m3/day", 0))
    rules = [tr("desal.village.rule_tds", value=village.max_product_tds_mg_l)]
    if village.max_hardness_mg_l is not None:
        rules.append(tr("desal.village.rule_hardness", value=village.max_hardness_mg_l))
    if village.min_recovery is not None:
        rules.append(tr("desal.village.rule_recovery", value=village.min_recovery))
    rules.append(
        tr("desal.village.rule_heat_yes" if village.waste_heat else "desal.village.rule_heat_no")
    )
    if village.feed.tds_g_l > ED_MAX_TDS_G_L:
        rules.append(tr("desal.village.rule_ed"))
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


def _table(result: VillageVerdict, key: str) -> None:
    rows = []
    recovery, sec, product = column("recovery"), column("sec"), column("product")
    flux = tr("desal.village.flux")
    for option in result.options:
        ok = not option.failure
        done, price = option.result, option.cost
        rows.append(
            {
                column("method"): tr(f"desal.method.{option.method}"),
                tr("desal.village.meets"): "✓"
                if ok
                else "✕ " + tr(f"desal.limit.{option.failure}"),
                recovery: np.nan if done is None else done.recovery,
                flux: float(option.settings.get("flux_lmh", np.nan)),
                sec: np.nan if done is None else done.sec_kwh_m3,
                product: np.nan if done is None else done.permeate_tds_mg_l,
                column("lcow"): np.nan if price is None else price.lcow_usd_m3,
            }
        )
    decimals = {recovery: 0, flux: 0, sec: 2, product: 0}
    table(pd.DataFrame(rows), decimals, percent=[recovery], hide_index=True, key=key)


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
    method_labels[NONE] = tr("desal.village.none_choice")
    with st.container(border=True, key=f"desal_village_card_{village.id}"):
        st.radio(
            tr("desal.village.question"),
            [*METHODS, NONE],
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


def _ties(result: VillageVerdict) -> None:
    """Say which answers count as right although not the cheapest, and why."""
    if not result.ties or result.best is None:
        return
    prices = {o.method: o.cost.lcow_usd_m3 for o in result.options if o.cost is not None}
    others = ", ".join(
        tr("desal.village.tie_item", method=tr(f"desal.method.{m}"), cost=num(prices[m], 2))
        for m in result.ties
    )
    st.info(
        tr(
            "desal.village.tie",
            best=tr(f"desal.method.{result.best}"),
            cost=num(prices[result.best], 2),
            others=others,
        ),
        icon=":material/balance:",
    )


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
    if outcome == "correct" and result.best is None:
        st.success(tr("desal.village.right_none"), icon=":material/check_circle:")
    elif outcome == "correct":
        st.success(tr("desal.village.right", best=best), icon=":material/check_circle:")
    else:
        reason = tr(f"misconceptions.{result.error_type}")
        st.warning(tr("desal.village.wrong", best=best, reason=reason), icon=":material/info:")
    _ties(result)
    _table(result, f"desal_village_table_{village.id}")
    st.caption(tr(f"desal.village.{village.id}.lesson"))
