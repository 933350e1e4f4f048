"""The learner's wallets on their own chain (levels 5 and 6): opening the chain, balances, a
send form, receipts, the mempool and a small block explorer. Numbers come from
core.blockchain.chain; amounts are parsed by core.blockchain.quests_onchain."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from app_pages.components.blockchain.visuals import short
from app_pages.components.session import tr
from core.blockchain import contracts_lib as lib
from core.blockchain.chain import WALLET_NAMES, ChainError, LearnerChain, TxResult, learner_dir
from core.blockchain.quests_onchain import (
    GWEI,
    BrokenTx,
    error_code,
    ether_to_wei,
    format_ether,
    gwei_to_wei,
)

ICONS = {"me": ":material/person:", "friend": ":material/group:", "shop": ":material/storefront:"}
MAX_GWEI = 10_000.0
MAX_NONCE = 1_000_000
MAX_GAS = 40_000_000  # above the block gas limit on purpose: the chain explains why it fails


@dataclass(frozen=True)
class Order:
    sender: str
    to: str
    value_wei: int
    tip_wei: int
    nonce: int | None = None
    gas: int | None = None
    max_fee_wei: int | None = None


def open_chain(user_id: int) -> LearnerChain | None:
    """The learner's chain, or a message saying why it cannot be opened (never a traceback)."""
    try:
        return LearnerChain.shared(learner_dir(user_id))
    except ChainError:
        st.error(tr("quest.tx.chain_unavailable"), icon=":material/error:")
        return None


def wallet_label(name: str | None, address: str | None = None) -> str:
    if name in WALLET_NAMES:
        return tr(f"quest.tx.wallet.{name}")
    return short(address or "—", 8, 6)


def balances(chain: LearnerChain) -> None:
    wallets = chain.wallets()
    with st.container(horizontal=True, key="bcq_wallets"):
        for name, address in wallets.items():
            st.metric(
                f"{ICONS[name]} {wallet_label(name)}",
                f"{format_ether(chain.balance(address))} ETH",
                border=True,
                help=tr("quest.tx.wallet_help", address=address, nonce=chain.nonce(address)),
            )
    st.caption(
        tr(
            "quest.tx.chain_status",
            head=chain.head(),
            base_fee=f"{chain.base_fee() / GWEI:.3f}",
        )
    )


def send_form(
    key: str,
    *,
    default_to: str = "shop",
    broken: BrokenTx | None = None,
    show_tip: bool = True,
) -> Order | None:
    """A payment form. With `broken`, the nonce, gas limit and fees are shown pre-filled with
    the buggy wallet's values for the learner to repair. Returns None until a valid submit."""
    names = list(WALLET_NAMES)
    labels = {n: wallet_label(n) for n in names}
    with st.form(key, border=False):
        cols = st.columns(2)
        sender = cols[0].selectbox(
            tr("quest.tx.from"),
            names,
            format_func=labels.__getitem__,
            key=f"{key}_from",
            disabled=broken is not None,
        )
        to = cols[1].selectbox(
            tr("quest.tx.to"),
            names,
            index=names.index(default_to),
            format_func=labels.__getitem__,
            key=f"{key}_to",
        )
        other = st.text_input(
            tr("quest.tx.to_address"), key=f"{key}_addr", max_chars=60, placeholder="0x…"
        )
        cols = st.columns(2)
        amount = cols[0].text_input(tr("quest.tx.amount"), key=f"{key}_amount", max_chars=40)
        tip = None
        if show_tip or broken is not None:
            tip = cols[1].number_input(
                tr("quest.tx.tip"),
                min_value=0.0,
                max_value=MAX_GWEI,
                value=1.0 if broken is None else broken.tip_wei / GWEI,
                step=0.5,
                key=f"{key}_tip",
                help=tr("quest.tx.tip_help"),
            )
        nonce = gas = max_fee = None
        if broken is not None:
            cols = st.columns(3)
            nonce = cols[0].number_input(
                tr("quest.tx.nonce"), 0, MAX_NONCE, broken.nonce, key=f"{key}_nonce"
            )
            gas = cols[1].number_input(
                tr("quest.tx.gas"), 0, MAX_GAS, broken.gas, step=1000, key=f"{key}_gas"
            )
            max_fee = cols[2].number_input(
                tr("quest.tx.max_fee"),
                min_value=0.0,
                max_value=MAX_GWEI,
                value=broken.max_fee_wei / GWEI,
                step=0.5,
                format="%.3f",
                key=f"{key}_maxfee",
            )
        submitted = st.form_submit_button(
            tr("quest.tx.send"), type="primary", icon=":material/send:", key=f"{key}_send"
        )
    if not submitted:
        return None
    try:
        value = ether_to_wei(amount)
    except ValueError:
        st.warning(tr("quest.tx.bad_amount"), icon=":material/edit:")
        return None
    return Order(
        sender=str(sender) if broken is None else "me",
        to=(other or "").strip() or str(to),
        value_wei=value,
        tip_wei=gwei_to_wei(tip if tip is not None else 1.0),
        nonce=None if nonce is None else int(nonce),
        gas=None if gas is None else int(gas),
        max_fee_wei=None if max_fee is None else gwei_to_wei(max_fee),
    )


def send(chain: LearnerChain, order: Order) -> TxResult:
    return chain.send(
        order.sender,
        order.to,
        order.value_wei,
        gas=order.gas if order.gas is not None else 21_000,
        nonce=order.nonce,
        tip_wei=order.tip_wei,
        max_fee_wei=order.max_fee_wei,
    )


def receipt(result: TxResult) -> None:
    """What happened to a transaction, in the learner's language."""
    if result.ok and result.pending:
        st.info(
            tr("quest.tx.pending", hash=short(result.tx_hash or "", 10, 6)),
            icon=":material/hourglass_top:",
        )
    elif result.ok:
        st.success(
            tr(
                "quest.tx.receipt",
                hash=short(result.tx_hash or "", 10, 6),
                block=result.block_number,
                gas=result.gas_used,
                fee=format_ether(result.fee_wei or 0, 6),
            ),
            icon=":material/receipt_long:",
        )
    else:
        st.error(tr(f"quest.error.{error_code(result)}"), icon=":material/cancel:")


def pending_table(chain: LearnerChain) -> None:
    pool = chain.pending()
    if not pool:
        st.caption(f":material/inbox: {tr('quest.tx.mempool_empty')}")
        return
    st.dataframe(
        pd.DataFrame([_tx_row(tx) for tx in pool]),
        hide_index=True,
        width="stretch",
        column_config=_tx_columns(),
    )


def _tx_row(tx: dict[str, Any]) -> dict[str, Any]:
    return {
        "from": wallet_label(tx["from_name"], tx["from"]),
        "to": wallet_label(tx["to_name"], tx["to"]) if tx["to"] else tr("quest.tx.new_contract"),
        "value": format_ether(tx["value"]),
        "nonce": tx["nonce"],
        "tip": tx["max_priority_fee_per_gas"] / GWEI,
    }


def _tx_columns() -> dict[str, Any]:
    return {
        "from": tr("quest.tx.from"),
        "to": tr("quest.tx.to"),
        "value": tr("quest.tx.col_value"),
        "nonce": tr("quest.tx.nonce"),
        "tip": st.column_config.NumberColumn(tr("quest.tx.col_tip"), format="%.2f"),
        "gas_used": tr("quest.tx.col_gas_used"),
    }


def block_view(block: dict[str, Any]) -> None:
    """One block as an explorer shows it: miner, gas, base fee, then its transactions in order."""
    st.markdown(
        tr(
            "quest.tx.block_line",
            n=block["number"],
            miner=wallet_label(block["miner_name"], block["miner"]),
            txs=block["tx_count"],
            gas=block["gas_used"],
            base_fee=f"{block['base_fee_per_gas'] / GWEI:.3f}",
        )
    )
    if block["transactions"]:
        rows = [_tx_row(tx) | {"gas_used": tx["gas_used"]} for tx in block["transactions"]]
        st.dataframe(
            pd.DataFrame(rows), hide_index=True, width="stretch", column_config=_tx_columns()
        )


def explorer(chain: LearnerChain, last: int = 8) -> None:
    head = chain.head()
    rows = []
    for number in range(head, max(head - last, 0), -1):
        block = chain.block(number)
        if block is None:
            continue
        rows.append(
            {
                "number": block["number"],
                "miner": wallet_label(block["miner_name"], block["miner"]),
                "txs": block["tx_count"],
                "gas_used": block["gas_used"],
                "base_fee": block["base_fee_per_gas"] / GWEI,
                "hash": short(block["hash"], 10, 6),
            }
        )
    if not rows:
        st.caption(tr("quest.tx.no_blocks"))
        return
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        width="stretch",
        column_config={
            "number": tr("quest.tx.col_block"),
            "miner": tr("quest.tx.col_miner"),
            "txs": tr("quest.tx.col_txs"),
            "gas_used": tr("quest.tx.col_gas_used"),
            "base_fee": st.column_config.NumberColumn(tr("quest.tx.col_base_fee"), format="%.3f"),
            "hash": tr("quest.tx.col_hash"),
        },
    )


def compiled(name: str) -> lib.Compiled | None:
    """Compile with the vyper package (cached after the first time); a broken installation
    gets a message, not a traceback."""
    try:
        with st.spinner(tr("quest.contracts.compiling")):
            return lib.compile_contract(name)
    except Exception:  # noqa: BLE001 - any compiler failure means the same thing to a learner
        st.error(tr("quest.contracts.compile_failed", name=f"{name}.vy"), icon=":material/error:")
        return None


def source(name: str) -> None:
    with st.expander(tr("quest.contracts.source", name=f"{name}.vy"), icon=":material/code:"):
        st.code(lib.source(name), language="python", line_numbers=True)


def wallet_select(label_key: str, key: str, default: str = "me") -> str:
    labels = {n: wallet_label(n) for n in WALLET_NAMES}
    names = list(WALLET_NAMES)
    chosen = st.selectbox(
        tr(label_key), names, index=names.index(default), format_func=labels.__getitem__, key=key
    )
    return str(chosen)


def contract(chain: LearnerChain, name: str, label: str) -> tuple[lib.Compiled, str | None] | None:
    """A contract card's start: its source to read, compiled; plus the address it was deployed
    at (None until it is). None when it cannot be compiled (the message is already shown)."""
    source(name)
    built = compiled(name)
    if built is None:
        return None
    return built, chain.known_contracts().get(label)
