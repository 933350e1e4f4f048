"""The quest's map: XP, badges and one card per level with its progress. Levels open in order;
a teacher may open any of them."""

from __future__ import annotations

import streamlit as st

from app_pages.components.blockchain.task import Quest
from app_pages.components.session import tr
from core.blockchain.quests import LEVELS, Level

PLAYABLE = tuple(level.id for level in LEVELS)
ICONS = {
    "hashing": ":material/fingerprint:",
    "blocks": ":material/view_week:",
    "pow": ":material/hardware:",
    "keys": ":material/key:",
    "transactions": ":material/swap_horiz:",
    "contracts": ":material/description:",
    "consensus": ":material/groups:",
}
SELECTED = "bcq_level"
PER_ROW = 4


def can_open(quest: Quest, level_id: str) -> bool:
    if level_id not in PLAYABLE:
        return False
    return quest.teacher or quest.progress.unlocked(level_id)


def selected_level(quest: Quest) -> str:
    """The level the learner looks at: their choice, else the first unfinished open one."""
    chosen = st.session_state.get(SELECTED)
    if chosen in PLAYABLE:
        return str(chosen)
    status = {lp.level: lp for lp in quest.progress.levels}
    opened = [i for i in PLAYABLE if can_open(quest, i) and not status[i].complete]
    chosen = opened[0] if opened else PLAYABLE[0]
    # Pinned: finishing a level shows its celebration instead of jumping to the next one.
    st.session_state[SELECTED] = chosen
    return chosen


def _open(level_id: str) -> None:
    st.session_state[SELECTED] = level_id


def header(quest: Quest) -> str:
    progress = quest.progress
    playable = [lv for lv in LEVELS if lv.id in PLAYABLE]
    total_xp = sum(lv.xp for lv in playable)
    done_levels = sum(1 for lp in progress.levels if lp.level in PLAYABLE and lp.complete)
    cols = st.columns(3)
    cols[0].metric(tr("quest.xp_total"), f"{progress.xp} / {total_xp}", border=True)
    cols[1].metric(tr("quest.levels_done"), f"{done_levels} / {len(playable)}", border=True)
    cols[2].metric(tr("quest.badges"), len(progress.badges), border=True)
    if progress.badges:
        st.markdown(
            " ".join(
                f":orange-badge[:material/military_tech: {tr(f'quest.badge.{b}')}]"
                for b in progress.badges
            )
        )
    current = selected_level(quest)
    for row in range(0, len(playable), PER_ROW):
        for column, level in zip(st.columns(PER_ROW), playable[row : row + PER_ROW], strict=False):
            with column:
                _level_card(quest, level, current)
    if quest.teacher:
        st.caption(f":material/co_present: {tr('quest.teacher_note')}")
    return current


def _title(level: Level) -> str:
    return tr("quest.level_title", n=level.number, title=tr(f"quest.level.{level.id}"))


def _level_card(quest: Quest, level: Level, current: str) -> None:
    status = next(lp for lp in quest.progress.levels if lp.level == level.id)
    unlocked = can_open(quest, level.id)
    here = level.id == current
    with st.container(border=True, key=f"bcq_map_{level.id}", height="stretch"):
        st.markdown(f"**{ICONS[level.id]} {_title(level)}**")
        st.progress(
            status.done / status.total,
            text=tr("quest.level_progress", done=status.done, total=status.total, xp=status.xp),
        )
        if status.complete:
            label, icon = tr("quest.replay"), ":material/replay:"
        elif unlocked:
            label, icon = tr("quest.play"), ":material/play_arrow:"
        else:
            label, icon = tr("quest.locked"), ":material/lock:"
        st.button(
            label,
            key=f"bcq_open_{level.id}",
            icon=icon,
            disabled=not unlocked,
            type="primary" if here else "secondary",
            on_click=_open,
            args=(level.id,),
            width="stretch",
        )
