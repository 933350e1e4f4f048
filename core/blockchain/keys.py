"""Level 4: keys, addresses and signatures with eth_account (the library web3 uses).

An Ethereum address is the last 20 bytes of the Keccak-256 hash of the public key, which is
derived from the private key; a signature proves the holder of the private key approved exactly
this message. The forgery puzzles show the three ways a claim fails: the message was changed
after signing, someone else signed it, or the "signature" is not one at all.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from typing import Literal

Verdict = Literal["genuine", "message_changed", "other_signer", "malformed"]


@dataclass(frozen=True)
class Wallet:
    address: str
    private_key: str  # 0x-hex; stays on the server, shown only to its owner in the lesson
    public_key: str

    @property
    def address_from_public_key(self) -> str:
        """Recompute the address the way the protocol does, to show it is not arbitrary."""
        from eth_utils.address import to_checksum_address
        from eth_utils.crypto import keccak

        return str(to_checksum_address(keccak(bytes.fromhex(self.public_key[2:]))[-20:]))


def public_key_hash(public_key: str) -> str:
    """Keccak-256 of the 64-byte public key, in hex: its last 20 bytes (40 digits) are the
    address, which the lesson lets the learner cut out by hand."""
    from eth_utils.crypto import keccak

    return bytes(keccak(bytes.fromhex(public_key.removeprefix("0x")))).hex()


def new_wallet(seed: int | None = None) -> Wallet:
    from eth_account import Account
    from eth_keys.datatypes import PrivateKey

    if seed is None:
        account = Account.create()
    else:
        key = random.Random(seed).getrandbits(256).to_bytes(32, "big")
        account = Account.from_key(key)
    public = PrivateKey(account.key).public_key
    return Wallet(account.address, account.key.to_0x_hex(), public.to_hex())


@dataclass(frozen=True)
class Signed:
    message: str
    signature: str
    signer: str


def sign(wallet: Wallet, message: str) -> Signed:
    from eth_account import Account
    from eth_account.messages import encode_defunct

    signed = Account.sign_message(encode_defunct(text=message), private_key=wallet.private_key)
    return Signed(message, signed.signature.to_0x_hex(), wallet.address)


def recover(message: str, signature: str) -> str | None:
    """The address whose key made this signature over this message; None if it is no signature."""
    from eth_account import Account
    from eth_account.messages import encode_defunct

    try:
        return str(Account.recover_message(encode_defunct(text=message), signature=signature))
    except Exception:  # noqa: BLE001 - eth_account raises several types for malformed input
        return None


def verdict(message: str, signature: str, claimed: str, original: str | None = None) -> Verdict:
    """Judge a claim "`claimed` signed `message`". With the originally signed text known (the
    puzzle knows it) a changed message is told apart from a different signer."""
    signer = recover(message, signature)
    if signer is None:
        return "malformed"
    if signer.lower() == claimed.lower():
        return "genuine"
    if original is not None and original != message and recover(original, signature) == claimed:
        return "message_changed"
    return "other_signer"


@dataclass(frozen=True)
class Puzzle:
    """A signed message as a student receives it: decide whether it is genuine."""

    message: str
    signature: str
    claimed: str
    truth: Verdict


NOTE_TEMPLATE = "I, Alice, pay Bolat {amount} tenge"


def forgery_puzzles(
    alice: Wallet, mallory: Wallet, seed: int = 0, template: str = NOTE_TEMPLATE
) -> list[Puzzle]:
    """One of each kind, shuffled: genuine, amount changed after signing, signed by someone
    else, and the message's hash passed off as a signature (a hash proves nothing about who)."""
    rng = random.Random(seed)
    amount = rng.randint(2, 90) * 100
    if "{amount}" not in template:
        raise ValueError("the note template needs an {amount} placeholder")
    text = template.format(amount=amount)
    genuine = sign(alice, text)
    forged = sign(mallory, text)
    junk = "0x" + hashlib.sha256(text.encode()).hexdigest()
    puzzles = [
        Puzzle(text, genuine.signature, alice.address, "genuine"),
        Puzzle(text.replace(str(amount), str(amount * 10)), genuine.signature, alice.address,
               "message_changed"),
        Puzzle(text, forged.signature, alice.address, "other_signer"),
        Puzzle(text, junk, alice.address, "malformed"),
    ]  # fmt: skip
    rng.shuffle(puzzles)
    return puzzles
