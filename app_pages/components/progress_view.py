"""Render a ProgressOverview (headline metrics and a per-skill table) and the XP and badge
ledger (core/rewards.py) in the reader's language."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from app_pages.components.session import pct, tr
from core.i18n import has_key
from core.progress import ProgressOverview
from core.rewards import Rewards, badge_key


def skill_name(skill: str) -> str:
    key = f"skills.{skill}"
    return tr(key) if has_key(key) else skill


def percent(value: float | None) -> str:
    return "—" if value is None else pct(value)


def badge_labels(ledger: Rewards) -> str:
    return " ".join(
        f":orange-badge[:material/military_tech: {tr(badge_key(b))}]" for b in ledger.badges
    )


def rewards_metrics(ledger: Rewards) -> None:
    """XP, level, streak and badges: the one ledger, as every page shows it."""
    cols = st.columns(4)
    cols[0].metric(tr("progress.xp"), ledger.xp)
    cols[1].metric(tr("progress.level"), ledger.level)
    cols[2].metric(tr("progress.streak"), tr("progress.streak_days", n=ledger.streak_days))
    cols[3].metric(tr("progress.badges"), len(ledger.badges))
    if ledger.badges:
        st.markdown(badge_labels(ledger))


def metrics(overview: ProgressOverview) -> None:
    cols = st.columns(4)
    cols[0].metric(tr("progress.answered"), overview.answered)
    cols[1].metric(tr("progress.accuracy"), percent(overview.accuracy))
    cols[2].metric(tr("progress.skills"), overview.skills_practised)
    cols[3].metric(tr("progress.hints"), overview.hints_used)


def result_columns() -> dict[str, Any]:
    """Column headers shared by every table of answers (per skill, per student)."""
    return {
        "answered": tr("progress.col_answered"),
        "accuracy": st.column_config.ProgressColumn(
            tr("progress.col_accuracy"), min_value=0, max_value=100, format="%.0f%%"
        ),
        "median_decision_s": st.column_config.NumberColumn(
            tr("progress.col_decision"), format="%.1f s"
        ),
        "hints": tr("progress.col_hints"),
    }


def as_percent(accuracy: pd.Series) -> pd.Series:
    return accuracy.map(lambda v: None if pd.isna(v) else 100 * v)


def skills_table(overview: ProgressOverview) -> None:
    table = overview.per_skill.copy()
    table["skill"] = table["skill"].map(skill_name)
    table["area"] = table["area"].map(lambda a: tr(f"areas.{a}"))
    table["accuracy"] = as_percent(table["accuracy"])
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "skill": tr("progress.col_skill"),
            "area": tr("progress.col_area"),
            **result_columns(),
        },
    )


def mastery_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The mastery table as both the student and the teacher see it: the number only where
    there is enough evidence (None, shown empty, otherwise), the answers behind it, the status
    in words ("not enough evidence yet" instead of a confident number)."""
    sure = table["state"] != "uncertain"
    return pd.DataFrame(
        {
            "skill": [skill_name(str(s)) for s in table["skill"]],
            "mastery": [
                round(100 * float(p)) if ok else None
                for p, ok in zip(table["p_mastery"], sure, strict=True)
            ],
            "evidence": table["n_evidence"].astype(int).to_numpy(),
            "state": [tr(f"mastery.state.{s}") for s in table["state"]],
        }
    )


def mastery_table(table: pd.DataFrame, key: str) -> None:
    """Per skill: chance of a right next answer, answers, status (same on every page)."""
    from core.analytics.mastery import MIN_EVIDENCE

    st.dataframe(
        mastery_rows(table),
        hide_index=True,
        width="stretch",
        key=key,
        column_config={
            "skill": tr("progress.col_skill"),
            "mastery": st.column_config.ProgressColumn(
                tr("mastery.col_mastery"), min_value=0, max_value=100, format="%d%%"
            ),
            "evidence": tr("mastery.col_evidence"),
            "state": tr("mastery.col_state"),
        },
    )
    st.caption(tr("mastery.explain", n=MIN_EVIDENCE))


def uncertain_caption(table: pd.DataFrame) -> None:
    unsure = table[table["state"] == "uncertain"]
    if len(unsure):
        skills = ", ".join(skill_name(str(s)) for s in unsure["skill"])
        st.caption(tr("mastery.uncertain_caption", skills=skills))
