"""Level 5, transactions: pay the shop on the learner's own EVM chain, repair a transaction a
buggy wallet filled in (nonce, gas limit or fee), then switch to mempool mode and mine a block
of several transactions as the miner who keeps the tips."""

from __future__ import annotations

from typing import Any

import streamlit as st

from app_pages.components.blockchain import task as tk
from app_pages.components.blockchain import wallet as wl
from app_pages.components.session import tr
from core.blockchain.chain import LearnerChain, TxResult
from core.blockchain.quests_onchain import (
    BROKEN_KINDS,
    HAT_PRICE_WEI,
    MEMPOOL_MIN_TXS,
    BrokenTx,
    broken_tx,
    check_fixed_tx,
    check_mined_block,
    check_payment,
    format_ether,
    practice_payment,
)

BROKEN = "bcq_l5_broken"  # the problem shown last (for tests and the hint)
MANUAL = "bcq_l5_manual"
LAST = "bcq_l5_last"  # task id -> the last TxResult or mined block, to show below the form


def render(quest: tk.Quest) -> None:
    st.markdown(tr("quest.tx.story"))
    chain = wl.open_chain(quest.actor.user_id)
    if chain is None:
        return
    wl.balances(chain)
    _pay(quest, chain)
    _fix(quest, chain)
    _mempool(quest, chain)
    with st.expander(tr("quest.tx.explorer_title"), icon=":material/travel_explore:"):
        wl.explorer(chain)


def _last() -> dict[str, Any]:
    found: dict[str, Any] = st.session_state.setdefault(LAST, {})
    return found


def _pay(quest: tk.Quest, chain: LearnerChain) -> None:
    task_id = "send_eth"
    with tk.card(quest, task_id, "quest.tx.pay_title", ":material/shopping_bag:") as done:
        want_to, want_wei = "shop", HAT_PRICE_WEI
        if tk.practising(task_id):  # a new payee and a new amount each round
            want_to, want_wei = practice_payment(tk.task_seed(task_id))
            who = wl.wallet_label(want_to)
            st.markdown(tr("quest.tx.pay_practice", who=who, price=format_ether(want_wei, 2)))
        else:
            st.markdown(tr("quest.tx.pay_body", price=format_ether(HAT_PRICE_WEI, 2)))
        order = wl.send_form(tk.wkey(task_id, "bcq_l5_pay"), default_to="friend")
        if order is not None:
            result = wl.send(chain, order)
            _last()[task_id] = result
            if not done:
                to_name = chain.name_of(order.to) or order.to
                outcome = check_payment(result, to_name, order.value_wei, want_to, want_wei)
                tk.submit(quest, task_id, outcome, _payload(result, order.value_wei))
        tk.hint_button(task_id, disabled=done)
        tk.feedback(task_id)
        tk.earlier_note(quest, task_id, done)
        _show_last(task_id)


def _payload(result: TxResult, value_wei: int) -> dict[str, Any]:
    return {"value_wei": str(value_wei), "error": result.error, "gas_used": result.gas_used}


def _show_last(task_id: str) -> None:
    last = _last().get(task_id)
    if isinstance(last, TxResult):
        wl.receipt(last)


def _broken(chain: LearnerChain) -> BrokenTx:
    """One kind of mistake per session (a new one per practice round), filled in from the chain
    as it is now: once another payment has used up a nonce, the problem is recomputed (one field
    wrong, never two) and so is the form, which is keyed by the problem (fix_form_key)."""
    turn = tk.session_seed() + tk.practice_round("fix_failed_tx")  # the next kind per round
    kind = BROKEN_KINDS[turn % len(BROKEN_KINDS)]
    current = broken_tx(kind, chain.nonce("me"), chain.base_fee())
    st.session_state[BROKEN] = current
    return current


def fix_form_key(broken: BrokenTx) -> str:
    """The repair form belongs to the problem it shows: new problem, new widgets, fresh values
    (fields left over from an earlier problem could "fix" a problem nobody repaired, or record a
    mistake the learner never made)."""
    return tk.wkey("fix_failed_tx", f"bcq_l5_fix_{broken.id}")


def _fix(quest: tk.Quest, chain: LearnerChain) -> None:
    task_id = "fix_failed_tx"
    with tk.card(quest, task_id, "quest.tx.fix_title", ":material/build:") as done:
        broken = _broken(chain)
        st.markdown(tr("quest.tx.fix_body"))
        st.error(
            tr("quest.tx.fix_failed", reason=tr(f"quest.tx.symptom.{broken.kind}")),
            icon=":material/running_with_errors:",
        )
        st.caption(tr("quest.tx.fix_fields"))
        order = wl.send_form(fix_form_key(broken), default_to="friend", broken=broken)
        if order is not None:
            result = wl.send(chain, order)
            _last()[task_id] = result
            if not done:
                payload = _payload(result, order.value_wei) | {
                    "broken": broken.kind,
                    "problem": broken.id,
                }
                tk.submit(quest, task_id, check_fixed_tx(result), payload)
        tk.hint_button(task_id, disabled=done)
        tk.feedback(task_id)
        tk.earlier_note(quest, task_id, done)
        _show_last(task_id)


def _switch(chain: LearnerChain) -> None:
    mined = chain.set_auto_mine(not st.session_state[MANUAL])  # back on: mines what waits
    if mined is not None:
        st.toast(tr("quest.tx.auto_mined", n=mined["tx_count"]), icon=":material/hardware:")


def _mempool(quest: tk.Quest, chain: LearnerChain) -> None:
    task_id = "mine_mempool"
    with tk.card(quest, task_id, "quest.tx.mempool_title", ":material/hardware:") as done:
        st.markdown(tr("quest.tx.mempool_body", n=MEMPOOL_MIN_TXS))
        if MANUAL not in st.session_state:
            st.session_state[MANUAL] = not chain.auto_mine
        st.toggle(tr("quest.tx.manual_mining"), key=MANUAL, on_change=_switch, args=(chain,))
        if not st.session_state[MANUAL]:
            st.info(tr("quest.tx.auto_mining_on"), icon=":material/bolt:")
            return
        order = wl.send_form("bcq_l5_queue", default_to="shop")
        if order is not None:
            wl.receipt(wl.send(chain, order))
        st.markdown(f"**{tr('quest.tx.mempool_now')}**")
        wl.pending_table(chain)
        miners = {n: wl.wallet_label(n) for n in chain.wallets()}
        cols = st.columns([2, 1], vertical_alignment="bottom")
        miner = cols[0].selectbox(
            tr("quest.tx.miner"), list(miners), format_func=miners.__getitem__, key="bcq_l5_miner"
        )
        if cols[1].button(
            tr("quest.tx.mine"), key="bcq_l5_mine", type="primary", icon=":material/hardware:"
        ):
            block = chain.mine(str(miner))
            _last()[task_id] = block
            if not done:
                outcome = check_mined_block(block, chain.wallets()["me"])
                payload = {
                    "txs": block["tx_count"],
                    "miner": miner,
                    "tips_wei": str(block["tips_wei"]),
                }
                tk.submit(quest, task_id, outcome, payload)
        tk.hint_button(task_id, disabled=done)
        tk.feedback(task_id)
        tk.earlier_note(quest, task_id, done)
        block = _last().get(task_id)
        if isinstance(block, dict):
            st.caption(
                tr(
                    "quest.tx.mined_tips",
                    tips=format_ether(block["tips_wei"], 6),
                    burnt=format_ether(block["burnt_wei"], 6),
                )
            )
            wl.block_view(block)
