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
