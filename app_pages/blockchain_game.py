"""Blockchain quest: join Steppe Chain, a cooperative of villages keeping one shared ledger of
their trades, and learn hashing, blocks, proof of work, signatures, transactions, contracts and
consensus level by level, the last three on a real EVM chain of the learner's own. Progress, XP
and unlocks come from telemetry (core.blockchain.progress); each level lives in
app_pages/components/blockchain/, the results (weak concepts) at the bottom."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from app_pages.components.blockchain import (
    level_blocks,
    level_consensus,
    level_contracts,
    level_hashing,
    level_keys,
    level_pow,
    level_transactions,
)
from app_pages.components.blockchain.level_map import PLAYABLE, SELECTED, can_open, header
from app_pages.components.blockchain.results import my_results
from app_pages.components.blockchain.task import Quest, build_quest
from app_pages.components.blockchain.visuals import inject_style
from app_pages.components.session import require_actor, tr
from core.blockchain.quests import LEVELS
from core.telemetry import load_events

RENDER: dict[str, Callable[[Quest], None]] = {
    "hashing": level_hashing.render,
    "blocks": level_blocks.render,
    "pow": level_pow.render,
    "keys": level_keys.render,
    "transactions": level_transactions.render,
    "contracts": level_contracts.render,
    "consensus": level_consensus.render,
}


def _go_to(level_id: str) -> None:
    st.session_state[SELECTED] = level_id


actor = require_actor()
inject_style()
st.title(tr("labs.blockchain.title"))
st.markdown(tr("quest.intro"))

events = load_events(actor, [actor.user_id])
quest = build_quest(actor, events)
level_id = header(quest)
level = next(lv for lv in LEVELS if lv.id == level_id)
status = next(lp for lp in quest.progress.levels if lp.level == level_id)

st.divider()
st.header(
    tr("quest.level_title", n=level.number, title=tr(f"quest.level.{level_id}")), anchor=False
)
if not can_open(quest, level_id):
    st.warning(tr("quest.locked_body"), icon=":material/lock:")
else:
    if any(t.id in quest.progress.completed for t in level.tasks):
        # where "practise in ..." and the teacher's recommendations land: say how to practise
        st.info(tr("quest.practice.level_note"), icon=":material/replay:")
    RENDER[level_id](quest)
    if status.complete:
        badge = tr(f"quest.badge.level_{level_id}")
        st.success(tr("quest.level_done", xp=status.xp, badge=badge), icon=":material/celebration:")
        following = PLAYABLE.index(level_id) + 1
        if following < len(PLAYABLE):
            st.button(
                tr("quest.next_level"),
                key="bcq_next_level",
                type="primary",
                icon=":material/arrow_forward:",
                on_click=_go_to,
                args=(PLAYABLE[following],),
            )
        else:
            st.info(tr("quest.all_done"), icon=":material/upcoming:")

st.divider()
my_results(quest, events)
