"""Level 4, keys and signatures: a wallet of one's own (private key masked), deriving the address
from the public key by hand, signing and verifying a message, then the forgery puzzles."""

from __future__ import annotations

import streamlit as st

from app_pages.components.blockchain import forgery
from app_pages.components.blockchain import task as tk
from app_pages.components.blockchain.visuals import hash_html, label, short, show
from app_pages.components.session import tr
from core.blockchain.keys import Signed, Wallet, new_wallet, public_key_hash, recover, sign
from core.blockchain.quests import check_address_answer

WALLET = "bcq_l4_wallet"
SIGNED = "bcq_l4_signed"
VERIFY_MESSAGE = "bcq_l4_vmsg"
VERIFY_SIGNATURE = "bcq_l4_vsig"
MAX_HEX = 200  # a signature is 132 characters; anything longer is cut, never an error


def render(quest: tk.Quest) -> None:
    st.markdown(tr("quest.keys.story"))
    wallet = _wallet_card(quest)
    if wallet is not None:
        _derive(quest, wallet)
        _sign_and_verify(wallet)
    forgery.render(quest)


def _wallet_card(quest: tk.Quest) -> Wallet | None:
    with st.container(border=True, key="bcq_l4_wallet_card"):
        st.markdown(
            f"##### :material/account_balance_wallet: {tr('quest.keys.wallet_title')}",
            anchors=False,
        )
        wallet: Wallet | None = st.session_state.get(WALLET)
        if wallet is None:
            st.markdown(tr("quest.keys.wallet_body"))
            if st.button(
                tr("quest.keys.create"),
                key="bcq_l4_create",
                type="primary",
                icon=":material/add_card:",
            ):
                st.session_state[WALLET] = new_wallet()
                st.rerun()
            return None
        show(label(tr("quest.keys.private_key")))
        revealed = st.toggle(tr("quest.keys.reveal"), key="bcq_l4_reveal")
        if revealed:
            st.code(wallet.private_key, language=None)
        else:  # no copy button on a mask
            show(f'<div class="zq-hash zq-wide">0x{"•" * 12}…{"•" * 4}</div>')
        st.warning(tr("quest.keys.never_share"), icon=":material/gpp_maybe:")
        show(label(tr("quest.keys.public_key")) + hash_html(wallet.public_key, per_row=32))
        show(label(tr("quest.keys.address")))
        if "derive_address" in quest.progress.completed or tk.solved(quest, "derive_address"):
            st.code(wallet.address, language=None)
        else:
            st.caption(f":material/help: {tr('quest.keys.address_hidden')}")
    return wallet


def _derive(quest: tk.Quest, wallet: Wallet) -> None:
    task_id = "derive_address"
    with tk.card(quest, task_id, "quest.keys.derive_title", ":material/alt_route:") as done:
        st.markdown(tr("quest.keys.derive_body"))
        if tk.practising(task_id):  # a new key pair each round: a new address to work out
            wallet = new_wallet(seed=tk.task_seed(task_id))
            st.caption(tr("quest.keys.practice_wallet"))
            show(label(tr("quest.keys.public_key")) + hash_html(wallet.public_key, per_row=32))
        hashed = public_key_hash(wallet.public_key)
        show(
            label(tr("quest.keys.public_key_hash"))
            + hash_html(hashed, per_row=32, tail=40 if done else 0, wide=True)
        )
        answer = st.text_input(
            tr("quest.keys.derive_label"),
            key=tk.wkey(task_id, "bcq_l4_addr"),
            max_chars=MAX_HEX,
            placeholder="0x…",
            disabled=done,
        )
        if tk.controls(task_id, disabled=done):
            text = (answer or "").strip()[:MAX_HEX]
            if not text:
                st.warning(tr("quest.keys.derive_empty"), icon=":material/edit:")
            else:
                outcome = check_address_answer(wallet.address, text)
                tk.submit(quest, task_id, outcome, {"length": len(text)})
        tk.feedback(task_id)
        tk.earlier_note(quest, task_id, done)
        if done:
            st.caption(tr("quest.keys.checksum_note", address=wallet.address))


def _sign_and_verify(wallet: Wallet) -> None:
    with st.container(border=True, key="bcq_l4_sign_card"):
        st.markdown(f"##### :material/draw: {tr('quest.keys.sign_title')}", anchors=False)
        st.markdown(tr("quest.keys.sign_body"))
        message = st.text_input(
            tr("quest.keys.message"),
            value=tr("quest.keys.message_default"),
            key="bcq_l4_msg",
            max_chars=tk.MAX_TEXT,
        )
        if st.button(tr("quest.keys.sign"), key="bcq_l4_sign", icon=":material/draw:"):
            text = tk.clip(message)
            if not text.strip():
                st.warning(tr("quest.keys.message_empty"), icon=":material/edit:")
            else:
                made = sign(wallet, text)
                st.session_state[SIGNED] = made
                st.session_state[VERIFY_MESSAGE] = made.message
                st.session_state[VERIFY_SIGNATURE] = made.signature
        signed: Signed | None = st.session_state.get(SIGNED)
        if signed is None:
            return
        show(label(tr("quest.keys.signature")) + hash_html(signed.signature, per_row=33))
        st.markdown(f"**:material/verified_user: {tr('quest.keys.verify_title')}**")
        st.markdown(tr("quest.keys.verify_body"))
        checked = tk.clip(
            st.text_input(tr("quest.keys.message"), key=VERIFY_MESSAGE, max_chars=tk.MAX_TEXT)
        )
        signature = (
            st.text_input(tr("quest.keys.signature"), key=VERIFY_SIGNATURE, max_chars=MAX_HEX) or ""
        ).strip()[:MAX_HEX]
        signer = recover(checked, signature) if signature else None
        if signer is None:
            st.error(tr("quest.keys.not_a_signature"), icon=":material/block:")
        elif signer.lower() == wallet.address.lower():
            st.success(tr("quest.keys.verified_yours"), icon=":material/verified:")
        else:
            st.warning(
                tr("quest.keys.other_address", address=short(signer, 8, 6)),
                icon=":material/warning:",
            )
