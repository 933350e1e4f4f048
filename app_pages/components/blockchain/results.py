"""The quest's results: the learner's XP, level and badges (the one ledger, core/rewards.py, as
in My progress), which blockchain concepts they have got and which are weak (with the mistake
behind them), from core.blockchain.results; and the same per student for a teacher."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.components.blockchain.level_map import SELECTED
from app_pages.components.blockchain.task import Quest
from app_pages.components.session import lang, tr
from core.analytics.summary import error_label, skill_label
from core.blockchain.results import CONCEPTS, class_concepts, concept_results, quest_mastery


def _go_to(level_id: str) -> None:
    st.session_state[SELECTED] = level_id


def my_results(quest: Quest, events: pd.DataFrame) -> None:
    st.subheader(tr("quest.results.title"), anchor=False)
    ledger = quest.progress.ledger
    summary = tr("quest.results.rewards", xp=ledger.xp, level=ledger.level, n=len(ledger.badges))
    st.markdown(f":material/military_tech: {summary}")
    found = concept_results(quest_mastery(events), quest.actor.user_id)
    if not found:
        st.caption(tr("quest.results.empty"))
        return
    table = pd.DataFrame(
        {
            "concept": [skill_label(c.skill, lang()) for c in found],
            "mastery": [100 * c.p_mastery for c in found],
            "attempts": [c.attempts for c in found],
            "mistake": [error_label(c.top_error, lang()) if c.top_error else "" for c in found],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "concept": tr("quest.results.concept"),
            "mastery": st.column_config.ProgressColumn(
                tr("dashboard.mastery"), min_value=0, max_value=100, format="%.0f%%"
            ),
            "attempts": tr("quest.results.attempts"),
            "mistake": tr("quest.results.mistake"),
        },
    )
    weak = [c for c in found if c.weak]
    if not weak:
        st.success(tr("quest.results.all_strong"), icon=":material/verified:")
        return
    st.markdown(f"**{tr('quest.results.practise')}**")
    for concept in weak[:3]:
        st.button(
            tr(
                "quest.results.practise_button",
                concept=skill_label(concept.skill, lang()),
                level=tr(f"quest.level.{concept.level}"),
            ),
            key=f"bcq_practise_{concept.skill}",
            icon=":material/replay:",
            on_click=_go_to,
            args=(concept.level,),
        )


def class_quest_tab(mastery: pd.DataFrame, students: dict[int, str]) -> None:
    """Teacher view: students x concepts, weak ones named with their main mistake."""
    table = class_concepts(mastery, students)
    if table[list(CONCEPTS)].isna().all().all():
        st.info(tr("quest.results.class_empty"), icon=":material/hourglass_empty:")
        return
    view = table.drop(columns=["user_id"]).copy()
    for skill in CONCEPTS:
        view[skill] = view[skill].map(lambda p: None if pd.isna(p) else 100 * p)
    view["weak"] = view["weak"].map(lambda s: ", ".join(skill_label(k, lang()) for k in s))
    view["top_error"] = view["top_error"].map(lambda e: error_label(e, lang()) if e else "")
    st.dataframe(
        view,
        hide_index=True,
        width="stretch",
        column_config={
            "student": tr("teacher.col_name"),
            **{
                skill: st.column_config.ProgressColumn(
                    skill_label(skill, lang()), min_value=0, max_value=100, format="%.0f%%"
                )
                for skill in CONCEPTS
            },
            "weak": tr("quest.results.weak"),
            "top_error": tr("quest.results.mistake"),
        },
    )
    st.caption(tr("quest.results.class_caption"))
