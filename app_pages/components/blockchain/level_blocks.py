"""Level 2, the record book: five linked blocks of Steppe Chain trades. Task A: someone secretly
changed one record; recompute the seals and name the block. Task B: change a record yourself,
watch the chain turn red from there, and repair it by mining block after block."""

from __future__ import annotations

import random
from typing import Any

import streamlit as st

from app_pages.components.blockchain import task as tk
from app_pages.components.blockchain.visuals import BAD, OK, PLAIN, data_box, hash_html, label, show
from app_pages.components.session import tr
from core.blockchain.ledger import GENESIS_PREVIOUS, Block, Ledger
from core.blockchain.quests import check_repaired, check_tampered_pick

DIFFICULTY = 2
TRADES = (
    "quest.blocks.trade_1",
    "quest.blocks.trade_2",
    "quest.blocks.trade_3",
    "quest.blocks.trade_4",
)
TAMPER = "bcq_l2_tamper"
BENCH = "bcq_l2_bench"


def build_ledger(seed: int, tamper: bool) -> tuple[Ledger, list[str]]:
    """Genesis plus four trades mined at difficulty 2; with `tamper`, one trade's amount is then
    rewritten without re-mining (the seeded secret of task A)."""
    rng = random.Random(seed)
    genesis = Block(0, tr("quest.blocks.genesis"), GENESIS_PREVIOUS, DIFFICULTY)
    ledger = Ledger(difficulty=DIFFICULTY, blocks=[genesis])
    ledger.mine(0)
    amounts = [rng.randint(3, 60) for _ in TRADES]
    for key, amount in zip(TRADES, amounts, strict=True):
        ledger.add_block(tr(key, amount=amount))
    original = [block.data for block in ledger.blocks]
    if tamper:
        index = rng.randint(1, len(TRADES))
        # a plausible amount from the same range: only recomputing the seal gives it away
        forged = rng.choice([a for a in range(3, 61) if a != amounts[index - 1]])
        ledger.edit(index, tr(TRADES[index - 1], amount=forged))
    return ledger, original


def render(quest: tk.Quest) -> None:
    st.markdown(tr("quest.blocks.story"))
    _find_tampered(quest)
    _repair(quest)


def _tamper_state() -> dict[str, Any]:
    """The secret of task A: one per book; a wrong pick or a practice round deals a new book."""
    practice = tk.practice_round("find_tampered")
    if st.session_state.get(TAMPER, {}).get("practice") != practice:
        st.session_state[TAMPER] = {"round": 100 * practice, "practice": practice}
    value: dict[str, Any] = st.session_state[TAMPER]
    if "ledger" not in value:
        seed = tk.task_seed("find_tampered") + 7919 * value["round"]
        value["ledger"], _ = build_ledger(seed, tamper=True)
        value["checked"] = set()
    return value


def _seal_card(block: Block, checked: bool, round_no: int) -> bool:
    """A block as task A shows it: no colours (that would give the answer away) until its seal
    is recomputed."""
    recomputed = block.compute_hash()
    match = recomputed == block.hash
    prefix = PLAIN if not checked else (OK if match else BAD)
    with st.container(border=True, key=f"{prefix}_t{round_no}_{block.index}", height="stretch"):
        st.markdown(f"**{tr('quest.blocks.block_n', n=block.index)}**")
        show(label(tr("quest.blocks.data")) + data_box(block.data))
        st.caption(tr("quest.blocks.nonce", nonce=block.nonce))
        show(label(tr("quest.blocks.seal")) + hash_html(block.hash, small=True))
        pressed = st.button(
            tr("quest.blocks.recompute"),
            key=f"bcq_l2_re_{round_no}_{block.index}",
            icon=":material/refresh:",
            width="stretch",
        )
        if checked:
            show(
                label(tr("quest.blocks.recomputed"))
                + hash_html(recomputed, against=block.hash, small=True)
            )
            verdict = "quest.blocks.seal_ok" if match else "quest.blocks.seal_broken"
            st.caption(tr(verdict))
    return pressed


def _find_tampered(quest: tk.Quest) -> None:
    task_id = "find_tampered"
    tamper = _tamper_state()
    ledger: Ledger = tamper["ledger"]
    with tk.card(quest, task_id, "quest.blocks.tamper_title", ":material/policy:") as done:
        st.markdown(tr("quest.blocks.tamper_body"))
        columns = st.columns(len(ledger.blocks))
        for column, block in zip(columns, ledger.blocks, strict=True):
            with column:
                checked = block.index in tamper["checked"]
                if _seal_card(block, checked, tamper["round"]) and not checked:
                    tamper["checked"].add(block.index)
                    st.rerun()
        picked = st.radio(
            tr("quest.blocks.tamper_pick"),
            options=list(range(len(ledger.blocks))),
            format_func=[
                tr("quest.blocks.block_n", n=i) for i in range(len(ledger.blocks))
            ].__getitem__,
            index=None,
            horizontal=True,
            key=f"bcq_l2_pick_{tamper['round']}",
            disabled=done,
        )
        if tk.controls(task_id, disabled=done):
            if picked is None:
                st.warning(tr("quest.pick_first"))
            else:
                outcome = check_tampered_pick(ledger, picked, tamper["checked"])
                payload = {
                    "picked": picked,
                    "recomputed": len(tamper["checked"]),
                    "picked_recomputed": picked in tamper["checked"],
                }
                if not outcome.correct:  # the trickster strikes again: a fresh secret to find
                    tamper["round"] += 1
                    del tamper["ledger"]
                tk.submit(quest, task_id, outcome, payload)
        tk.feedback(task_id)
        tk.earlier_note(quest, task_id, done)


def _bench_state() -> dict[str, Any]:
    """Task B's book; a practice round gets a new one (new amounts, seals and nonces)."""
    practice = tk.practice_round("repair_chain")
    bench = st.session_state.get(BENCH)
    if bench is None or bench.get("practice", 0) != practice:
        ledger, original = build_ledger(tk.task_seed("repair_chain"), tamper=False)
        gen = 0 if bench is None else bench["gen"] + 1  # new widget keys: the fresh book shows
        st.session_state[BENCH] = {
            "ledger": ledger,
            "original": original,
            "mined": 0,
            "gen": gen,
            "practice": practice,
        }
    value: dict[str, Any] = st.session_state[BENCH]
    return value


def _edit(index: int, key: str) -> None:
    text = str(st.session_state.get(key) or "")[: tk.MAX_TEXT]
    _bench_state()["ledger"].edit(index, text)


def _reset() -> None:
    bench = _bench_state()
    gen = bench["gen"] + 1
    st.session_state.pop(BENCH)
    _bench_state()["gen"] = gen  # new widget keys: the text areas show the fresh book


def _reset_button() -> None:
    st.button(
        tr("quest.blocks.reset"),
        key="bcq_l2_reset",
        on_click=_reset,
        icon=":material/restart_alt:",
        type="tertiary",
    )


def _bench_card(ledger: Ledger, index: int, valid: bool, gen: int) -> None:
    block = ledger.blocks[index]
    live = block.compute_hash()
    with st.container(border=True, key=f"{OK if valid else BAD}_w{gen}_{index}", height="stretch"):
        icon = ":material/check_circle:" if valid else ":material/error:"
        st.markdown(f"**{icon} {tr('quest.blocks.block_n', n=index)}**")
        key = f"bcq_l2_data_{gen}_{index}"
        st.text_area(
            tr("quest.blocks.data"),
            value=block.data,
            key=key,
            height=112,
            max_chars=tk.MAX_TEXT,
            on_change=_edit,
            args=(index, key),
        )
        st.caption(tr("quest.blocks.nonce", nonce=block.nonce))
        show(label(tr("quest.blocks.previous")) + hash_html(block.previous_hash, small=True))
        show(label(tr("quest.blocks.hash")) + hash_html(live, zeros=DIFFICULTY, small=True))
        problem = ledger.block_problem(index)
        if problem:
            st.caption(f":red[{tr(f'quest.blocks.problem_{problem}', n=max(index - 1, 0))}]")
        elif not valid:
            st.caption(f":red[{tr('quest.blocks.problem_after')}]")
        if st.button(
            tr("quest.blocks.mine"),
            key=f"bcq_l2_mine_{gen}_{index}",
            icon=":material/hardware:",
            width="stretch",
        ):
            result = ledger.mine(index)
            _bench_state()["mined"] += 1
            st.toast(tr("quest.blocks.mined", n=index, tries=result.attempts))
            st.rerun()


def _repair(quest: tk.Quest) -> None:
    task_id = "repair_chain"
    bench = _bench_state()
    ledger: Ledger = bench["ledger"]
    with tk.card(quest, task_id, "quest.blocks.repair_title", ":material/build:") as done:
        st.markdown(tr("quest.blocks.repair_body", zeros="0" * DIFFICULTY))
        bad = ledger.validate()
        columns = st.columns(len(ledger.blocks))
        for column, block in zip(columns, ledger.blocks, strict=True):
            with column:
                _bench_card(ledger, block.index, bad is None or block.index < bad, bench["gen"])
        if bad is None:
            st.caption(f":green[:material/verified: {tr('quest.blocks.chain_valid')}]")
        else:
            st.caption(f":red[:material/link_off: {tr('quest.blocks.chain_invalid', n=bad)}]")
        check = tk.controls(
            task_id, disabled=done, label_key="quest.blocks.check_chain", extra=_reset_button
        )
        if check:
            changed = [b.index for b in ledger.blocks if b.data != bench["original"][b.index]]
            if not changed:
                st.warning(tr("quest.blocks.edit_first"), icon=":material/edit:")
            else:
                payload = {"changed": changed, "mined": bench["mined"], "invalid_from": bad}
                tk.submit(quest, task_id, check_repaired(ledger), payload)
        tk.feedback(task_id)
        tk.earlier_note(quest, task_id, done)
