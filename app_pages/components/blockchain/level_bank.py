"""Level 6, the piggy-bank heist (Ethernaut-style): read the class piggy bank's code, name the
function that lets a stranger in, empty the bank with your own transactions, then choose the
line that fixes it and watch the same attack bounce off the fixed contract."""

from __future__ import annotations

import streamlit as st

from app_pages.components.blockchain import task as tk
from app_pages.components.blockchain import wallet as wl
from app_pages.components.session import tr
from core.blockchain import contracts_lib as lib
from core.blockchain.chain import LearnerChain, TxResult
from core.blockchain.quests_onchain import (
    BANK_FUNCTIONS,
    ETHER,
    FIXES,
    check_bug_pick,
    check_fix,
    check_heist,
    error_code,
    ether_to_wei,
    format_ether,
)

TASK = "exploit_bank"
LAST_CALL = "bcq_l6_last_call"  # bank address -> the console's last call, shown after the rerun
VULNERABLE, FIXED = "piggy_bank_vulnerable", "piggy_bank_fixed"
SAVINGS = (("shop", 2 * ETHER), ("friend", ETHER))  # the classmates' deposits


def bank_label() -> str:
    """The bank of the heist: the class piggy bank, or a new one per practice round (the old
    one is already empty and yours)."""
    return f"bank_p{tk.task_seed(TASK)}" if tk.practising(TASK) else "bank"


def render(quest: tk.Quest, chain: LearnerChain) -> None:
    with tk.card(quest, TASK, "quest.bank.title", ":material/savings:") as done:
        st.markdown(tr("quest.bank.body"))
        bank = wl.compiled(VULNERABLE)
        if bank is None:
            return
        label = bank_label()
        address = chain.known_contracts().get(label)
        if address is None:
            if st.button(
                tr("quest.bank.open"),
                key="bcq_l6_bank_open",
                type="primary",
                icon=":material/savings:",
            ):
                _open_bank(chain, bank, label)
            return
        st.code(lib.source(VULNERABLE), language="python", line_numbers=True)
        _state(chain, address, bank)
        _find_bug(quest)
        if tk.solved(quest, TASK, "find_bug"):
            _console(quest, chain, address, bank)
        if tk.solved(quest, TASK, "exploit"):
            _fix(quest, chain)
        tk.hint_button(TASK, disabled=done)
        tk.earlier_note(quest, TASK, done)


def _open_bank(chain: LearnerChain, bank: lib.Compiled, label: str) -> None:
    """Aigerim (the treasurer) deploys the bank; the shop and Aigerim put savings in."""
    result = chain.deploy(bank.abi, bank.bytecode, "friend")
    if not (result.ok and result.contract_address):
        wl.receipt(result)
        return
    for saver, amount in SAVINGS:
        chain.transact(result.contract_address, bank.abi, "deposit", sender=saver, value=amount)
    chain.remember_contract(label, result.contract_address)
    st.rerun()


def _state(chain: LearnerChain, address: str, bank: lib.Compiled) -> None:
    owner = chain.call(address, bank.abi, "owner").value
    cols = st.columns(2)
    cols[0].metric(tr("quest.bank.balance"), f"{format_ether(chain.balance(address))} ETH")
    cols[1].metric(tr("quest.bank.owner"), wl.wallet_label(chain.name_of(owner), owner))


def _find_bug(quest: tk.Quest) -> None:
    tk.choice(
        quest,
        TASK,
        "find_bug",
        question=tr("quest.bank.bug_question"),
        labels={f: f"{f}()" for f in BANK_FUNCTIONS},
        key="bcq_l6_bug",
        check=check_bug_pick,
        horizontal=True,
    )


def _console(quest: tk.Quest, chain: LearnerChain, address: str, bank: lib.Compiled) -> None:
    abi = bank.abi
    st.markdown(f"**{tr('quest.bank.console_title')}**")
    st.caption(tr("quest.bank.console_body"))
    cols = st.columns(3)
    function = cols[0].selectbox(
        tr("quest.bank.function"),
        BANK_FUNCTIONS,
        format_func=lambda f: f"{f}()",
        key="bcq_l6_fn",
    )
    with cols[1]:
        who = wl.wallet_select("quest.bank.argument_wallet", "bcq_l6_arg_wallet")
    amount = cols[2].text_input(tr("quest.bank.argument_eth"), value="0.5", key="bcq_l6_arg_eth")
    if st.button(tr("quest.bank.call"), key="bcq_l6_call", icon=":material/terminal:"):
        args: tuple[object, ...] = ()
        value = 0
        try:
            if function == "change_owner":
                args = (chain.wallets()[who],)
            elif function == "withdraw":
                args = (ether_to_wei(amount),)
            elif function == "deposit":
                value = ether_to_wei(amount)
        except ValueError:
            st.warning(tr("quest.tx.bad_amount"), icon=":material/edit:")
            return
        result = chain.transact(address, abi, str(function), *args, sender="me", value=value)
        st.session_state.setdefault(LAST_CALL, {})[address] = result
        st.rerun()  # the owner and the balance above must show what this call did
    last: TxResult | None = st.session_state.get(LAST_CALL, {}).get(address)
    if last is not None:
        wl.receipt(last)
        if not last.ok:
            st.caption(tr("quest.bank.revert_reason", reason=last.detail or error_code(last)))
    part = "exploit"
    if st.button(
        tr("quest.bank.check_heist"),
        key="bcq_l6_heist_check",
        type="primary",
        disabled=tk.solved(quest, TASK, part),
    ):
        owner = chain.call(address, abi, "owner").value
        outcome = check_heist(chain.balance(address), owner, chain.wallets()["me"])
        tk.submit(quest, TASK, outcome, {"left_wei": str(chain.balance(address))}, part)
    tk.feedback(TASK, part)


def _fix(quest: tk.Quest, chain: LearnerChain) -> None:
    st.markdown(f"**{tr('quest.bank.fix_title')}**")
    tk.choice(
        quest,
        TASK,
        "fix",
        question=tr("quest.bank.fix_question"),
        labels={k: f"{fn}():  {line}" for k, (fn, line) in FIXES.items()},
        key="bcq_l6_fix",
        check=check_fix,
    )
    if tk.solved(quest, TASK, "fix"):
        _replay_on_fixed(chain)


def _replay_on_fixed(chain: LearnerChain) -> None:
    """Deploy the fixed bank once and try the heist's first move on it (a call: nothing is
    mined, so a rerun does not spend gas again)."""
    fixed = wl.compiled(FIXED)
    if fixed is None:
        return
    address = chain.known_contracts().get("bank_fixed")
    if address is None:
        result = chain.deploy(fixed.abi, fixed.bytecode, "friend")
        if not (result.ok and result.contract_address):
            wl.receipt(result)
            return
        address = result.contract_address
        chain.remember_contract("bank_fixed", address)
    with st.expander(tr("quest.bank.fixed_source"), icon=":material/verified_user:"):
        st.code(lib.source(FIXED), language="python", line_numbers=True)
    me = chain.wallets()["me"]
    attempt = chain.call(address, fixed.abi, "change_owner", me, sender="me")
    st.success(tr("quest.bank.fixed_holds"), icon=":material/shield:")
    st.error(tr(f"quest.error.{error_code(attempt)}"), icon=":material/block:")
