"""Level 6, smart contracts: deploy the cooperative's quiz token and reward a classmate (only the
owner may), run a class ballot and read its events, then the piggy-bank heist (level_bank.py).
Contracts are the Vyper files in core/blockchain/contracts, compiled here at run time."""

from __future__ import annotations

import random
from typing import Any

import pandas as pd
import streamlit as st

from app_pages.components.blockchain import level_bank
from app_pages.components.blockchain import task as tk
from app_pages.components.blockchain import wallet as wl
from app_pages.components.session import tr
from core.blockchain import contracts_lib as lib
from core.blockchain.chain import WALLET_NAMES, LearnerChain, TxResult
from core.blockchain.quests import Outcome
from core.blockchain.quests_onchain import (
    check_contract_tx,
    check_vote,
    check_winner,
    parse_proposals,
)

DEFAULT_PROPOSALS = "quest.contracts.default_proposals"


def render(quest: tk.Quest) -> None:
    st.markdown(tr("quest.contracts.story"))
    chain = wl.open_chain(quest.actor.user_id)
    if chain is None:
        return
    if not chain.auto_mine:  # contracts are easier to follow when each call is mined at once
        chain.set_auto_mine(True)
        st.session_state.pop("bcq_l5_manual", None)
        st.caption(f":material/bolt: {tr('quest.contracts.auto_mining')}")
    wl.balances(chain)
    _token(quest, chain)
    _ballot(quest, chain)
    level_bank.render(quest, chain)


def deployed(chain: LearnerChain, label: str, result: TxResult) -> None:
    if result.ok and result.contract_address:
        chain.remember_contract(label, result.contract_address)
        st.rerun()
    wl.receipt(result)


def _token(quest: tk.Quest, chain: LearnerChain) -> None:
    task_id = "deploy_token"
    with tk.card(quest, task_id, "quest.contracts.token_title", ":material/toll:") as done:
        st.markdown(tr("quest.contracts.token_body"))
        found = wl.contract(chain, "quiz_token", "token")
        if found is None:
            return
        token, address = found
        if address is None:
            with st.form("bcq_l6_token_deploy", border=False):
                cols = st.columns(2)
                name = cols[0].text_input(
                    tr("quest.contracts.token_name"),
                    value="Steppe Points",
                    max_chars=32,
                    key="bcq_l6_token_name",
                )
                symbol = cols[1].text_input(
                    tr("quest.contracts.token_symbol"),
                    value="STP",
                    max_chars=8,
                    key="bcq_l6_token_symbol",
                )
                go = st.form_submit_button(
                    tr("quest.contracts.deploy"),
                    type="primary",
                    icon=":material/rocket_launch:",
                    key="bcq_l6_token_go",
                )
            if go:
                deployed(
                    chain, "token", chain.deploy(token.abi, token.bytecode, "me", name, symbol)
                )
            return
        st.caption(tr("quest.contracts.deployed_at", address=address))
        signer, receiver, amount = "me", "friend", 10
        if tk.practising(task_id):  # fresh defaults: who signs is the learner's decision
            rng = random.Random(tk.task_seed(task_id))
            signer, receiver = rng.sample(list(WALLET_NAMES), 2)
            amount = rng.randint(2, 50)
        cols = st.columns(3)
        with cols[0]:
            sender = wl.wallet_select(
                "quest.contracts.sign_as", tk.wkey(task_id, "bcq_l6_reward_from"), signer
            )
        with cols[1]:
            student = wl.wallet_select(
                "quest.contracts.reward_to", tk.wkey(task_id, "bcq_l6_reward_to"), receiver
            )
        points = cols[2].number_input(
            tr("quest.contracts.points"),
            1,
            1000,
            amount,
            key=tk.wkey(task_id, "bcq_l6_reward_points"),
        )
        if st.button(
            tr("quest.contracts.reward"),
            key="bcq_l6_reward",
            type="primary",
            icon=":material/military_tech:",
        ):
            result = chain.transact(
                address, token.abi, "reward", chain.wallets()[student], int(points), sender=sender
            )
            if not done:
                outcome = check_contract_tx(result, "token_rewarded")
                tk.submit(quest, task_id, outcome, {"sender": sender, "error": result.error})
            wl.receipt(result)
        tk.hint_button(task_id, disabled=done)
        tk.feedback(task_id)
        tk.earlier_note(quest, task_id, done)
        _token_state(chain, address, token)


def _token_state(chain: LearnerChain, address: str, token: lib.Compiled) -> None:
    balances = {
        wl.wallet_label(n): chain.call(address, token.abi, "balanceOf", a).value
        for n, a in chain.wallets().items()
    }
    st.markdown(f"**{tr('quest.contracts.points_now')}**")
    st.dataframe(pd.DataFrame([balances]), hide_index=True)
    logs = chain.logs(address, token.abi, "Transfer")
    st.markdown(f"**{tr('quest.contracts.events', event='Transfer')}**")
    if not logs:
        st.caption(tr("quest.contracts.no_events"))
        return
    rows = [
        {
            "block": log["block_number"],
            "from": _who(chain, log["args"]["sender"]),
            "to": _who(chain, log["args"]["receiver"]),
            "amount": log["args"]["amount"],
        }
        for log in logs
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", column_config=_log_columns())


def _who(chain: LearnerChain, address: str) -> str:
    if int(address, 16) == 0:
        return tr("quest.contracts.minted")
    return wl.wallet_label(chain.name_of(address), address)


def _log_columns() -> dict[str, Any]:
    return {
        "block": tr("quest.tx.col_block"),
        "from": tr("quest.tx.from"),
        "to": tr("quest.tx.to"),
        "amount": tr("quest.contracts.points"),
        "voter": tr("quest.contracts.voter"),
        "option": tr("quest.contracts.option"),
    }


def ballot_label(task_id: str = "class_ballot") -> str:
    """The ballot the task is about: the class ballot, or a new one per practice round (every
    wallet has voted in the old one, so only a new ballot asks for new decisions)."""
    if tk.practising(task_id):
        return f"ballot_p{tk.task_seed(task_id)}"
    return "ballot"


def _ballot(quest: tk.Quest, chain: LearnerChain) -> None:
    task_id = "class_ballot"
    with tk.card(quest, task_id, "quest.contracts.ballot_title", ":material/how_to_vote:") as done:
        st.markdown(tr("quest.contracts.ballot_body"))
        found = wl.contract(chain, "class_ballot", ballot_label())
        if found is None:
            return
        ballot, address = found
        if address is None:
            if tk.practising(task_id):
                st.caption(f":material/replay: {tr('quest.contracts.ballot_practice')}")
            _deploy_ballot(chain, ballot)
            return
        titles = [
            chain.call(address, ballot.abi, "proposals", i).value
            for i in range(chain.call(address, ballot.abi, "proposal_count").value)
        ]
        options = {i: f"{i + 1}. {title}" for i, title in enumerate(titles)}
        cols = st.columns([1, 2, 1], vertical_alignment="bottom")
        with cols[0]:
            voter = wl.wallet_select("quest.contracts.voter", tk.wkey(task_id, "bcq_l6_voter"))
        choice = cols[1].selectbox(
            tr("quest.contracts.option"),
            list(options),
            format_func=options.__getitem__,
            key=tk.wkey(task_id, "bcq_l6_vote_option"),
        )
        if cols[2].button(
            tr("quest.contracts.vote"), key="bcq_l6_vote", icon=":material/how_to_vote:"
        ):
            # Every vote is graded, also once the part is solved (then as practice): a vote the
            # contract refuses is how "votes twice" gets recorded at all.
            result = chain.transact(address, ballot.abi, "vote", int(choice), sender=voter)
            payload = {"voter": voter, "option": int(choice), "error": result.error}
            tk.submit(quest, task_id, check_vote(result), payload, "vote")
        tk.feedback(task_id, "vote")
        _votes(chain, address, ballot, options)
        _predict_winner(quest, chain, address, ballot, options, done)


def _deploy_ballot(chain: LearnerChain, ballot: lib.Compiled) -> None:
    with st.form(tk.wkey("class_ballot", "bcq_l6_ballot_deploy"), border=False):
        text = st.text_area(
            tr("quest.contracts.proposals"),
            value=tr(DEFAULT_PROPOSALS),
            max_chars=600,
            key=tk.wkey("class_ballot", "bcq_l6_proposals"),
        )
        go = st.form_submit_button(
            tr("quest.contracts.deploy"),
            type="primary",
            icon=":material/rocket_launch:",
            key="bcq_l6_ballot_go",
        )
    if go:
        try:
            titles = parse_proposals(text)
        except ValueError as problem:
            st.warning(tr(f"quest.contracts.proposals_{problem}"), icon=":material/edit:")
            return
        result = chain.deploy(ballot.abi, ballot.bytecode, "me", titles)
        deployed(chain, ballot_label(), result)


def _votes(
    chain: LearnerChain, address: str, ballot: lib.Compiled, options: dict[int, str]
) -> None:
    logs = chain.logs(address, ballot.abi, "Voted")
    st.markdown(f"**{tr('quest.contracts.events', event='Voted')}**")
    if not logs:
        st.caption(tr("quest.contracts.no_events"))
        return
    rows = [
        {
            "block": log["block_number"],
            "voter": _who(chain, log["args"]["voter"]),
            "option": options.get(log["args"]["proposal"], "?"),
        }
        for log in logs
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", column_config=_log_columns())


def _predict_winner(
    quest: tk.Quest,
    chain: LearnerChain,
    address: str,
    ballot: lib.Compiled,
    options: dict[int, str],
    done: bool,
) -> None:
    part = "winner"
    st.markdown(f"**{tr('quest.contracts.winner_question')}**")

    def check(pick: int) -> Outcome:
        return check_winner(
            pick, [chain.call(address, ballot.abi, "votes", i).value for i in options]
        )

    tk.choice(
        quest,
        "class_ballot",
        part,
        question=tr("quest.contracts.winner_label"),
        labels=options,
        key="bcq_l6_winner",
        check=check,
        horizontal=True,
    )
    tk.hint_button("class_ballot", disabled=done)
    tk.earlier_note(quest, "class_ballot", done)
    if tk.solved(quest, "class_ballot", part):
        title = chain.call(address, ballot.abi, "winner_title").value
        st.caption(tr("quest.contracts.winner_on_chain", title=title))
