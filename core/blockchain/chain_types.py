"""The vocabulary of the learner chain: results, error codes, and the helpers that turn py-evm's
exceptions and raw bytes into them. Kept apart from chain.py so the chain class reads on its
own."""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from eth.abc import BlockHeaderAPI, SignedTransactionAPI
    from eth.chains.base import MiningChain
    from eth_keys.datatypes import PrivateKey

ERROR_CODES: tuple[str, ...] = (
    "insufficient_funds",  # value + gas × max fee exceeds the balance (minus own pending txs)
    "nonce_reused",  # nonce already used by a mined or pending transaction of this sender
    "nonce_too_high",  # leaves a gap: an earlier nonce was never sent
    "insufficient_gas",  # gas limit below the intrinsic cost (21000 + calldata [+ creation])
    "gas_limit_exceeded",  # gas limit above the block gas limit
    "fee_too_low",  # gas price / max fee below the next block's base fee
    "invalid_address",  # not a 0x + 40 hex address, or mixed case with a wrong checksum
    "unknown_wallet",  # the sender is not one of the learner's wallets: we hold no key for it
    "amount_not_positive",  # a payment of zero or less
    "bad_arguments",  # no such contract function, or arguments that do not fit its types
    "no_contract",  # a call to an address without code (not deployed, or deployment pending)
    "reverted",  # the contract refused (assert/raise); `detail` carries the reason
    "out_of_gas",  # ran out of gas while executing: the transaction failed, the gas is paid
    "unknown_error",
)

WALLET_NAMES: tuple[str, ...] = ("me", "friend", "shop")
GENESIS_BALANCE_WEI = 100 * 10**18
CHAIN_ID = 1337  # the customary id of a local development chain
BLOCK_GAS_LIMIT = 30_000_000
TRANSFER_GAS = 21_000
DEFAULT_TIP_WEI = 10**9  # 1 gwei, what wallets suggest on a quiet network
GAS_ESTIMATE_MARGIN = 1.25  # estimated before the block is built: leave headroom, as wallets do
DB_FILE = "chain.sqlite3"
ZERO_ADDRESS = b"\x00" * 20

_META_SEED = b"zerde:seed"
_META_WALLETS = b"zerde:wallets"
_META_MEMPOOL = b"zerde:mempool"
_META_AUTO_MINE = b"zerde:auto_mine"
_META_CONTRACTS = b"zerde:contracts"
_ERROR_SELECTOR = bytes.fromhex("08c379a0")  # Error(string): what `assert x, "why"` reverts with


class ChainError(ValueError):
    """A question that cannot be answered, e.g. `balance("0x12")`, or a chain that cannot be
    opened (`chain_unavailable`); `.code` is an error code."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class TxResult:
    """What happened to one transaction; `error` is one of ERROR_CODES when `ok` is False.

    A transaction can be mined and still fail (`reverted`, `out_of_gas`): then `tx_hash`,
    `block_number` and `fee_wei` are set, because the sender paid for the attempt.
    """

    ok: bool
    tx_hash: str | None = None
    error: str | None = None
    detail: str | None = None  # revert reason, or an English explanation for logs and teachers
    params: dict[str, Any] = field(default_factory=dict)  # numbers for translated feedback
    pending: bool = False  # accepted into the mempool, waiting for `mine()`
    block_number: int | None = None
    gas_used: int | None = None
    fee_wei: int | None = None  # gas_used × effective gas price (burnt base fee + tip)
    contract_address: str | None = None


@dataclass(frozen=True)
class CallResult:
    """A read-only contract call: nothing is mined, nothing is paid."""

    ok: bool
    value: Any = None
    error: str | None = None
    detail: str | None = None


@dataclass(frozen=True)
class _Order:
    """A transaction as the learner asked for it, before nonce, fees and gas are settled."""

    sender: str
    to: str | None  # None creates a contract
    value: int
    data: bytes = b""
    gas: int | None = None  # None: estimate
    gas_price: int | None = None  # set: legacy transaction
    tip: int | None = None
    max_fee: int | None = None
    nonce: int | None = None


@dataclass
class _Pending:
    tx: SignedTransactionAPI
    raw: bytes
    submitted_at: float


def _fail(code: str, detail: str = "", **params: Any) -> TxResult:
    return TxResult(ok=False, error=code, detail=detail or None, params=params)


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


def _hex(raw: bytes) -> str:
    return "0x" + raw.hex()


def _hex_bytes(text: str) -> bytes:
    return bytes.fromhex(text.removeprefix("0x"))


def _checksum(raw: bytes) -> str:
    from eth_utils.address import to_checksum_address

    return str(to_checksum_address(raw))


def _base_fee(header: BlockHeaderAPI) -> int:
    return int(header.base_fee_per_gas or 0)


def _price(tx: SignedTransactionAPI, base_fee: int) -> int:
    """Effective gas price; for a legacy transaction both fields hold its gas price."""
    return min(tx.max_fee_per_gas, base_fee + tx.max_priority_fee_per_gas)


@cache
def _chain_class() -> type[MiningChain]:
    """The chain eth-tester builds (Prague rules, constant gas limit), with our chain id."""
    from eth.chains.base import MiningChain
    from eth.vm.forks.prague import PragueVM

    class LearnerMiningChain(MiningChain):
        chain_id = CHAIN_ID
        vm_configuration = cast(Any, ((0, PragueVM),))

        def create_header_from_parent(self, parent_header: Any, **header_params: Any) -> Any:
            header_params["gas_limit"] = parent_header.gas_limit
            return super().create_header_from_parent(parent_header, **header_params)

        def get_transaction_builder(self) -> Any:
            """eth-tester's backend (behind `web3()`) expects this method of its own chain."""
            return self.get_vm().get_transaction_builder()

    return LearnerMiningChain


def _untyped(module: str) -> Any:
    """eth-tester ships no type information: import it as `Any` in one place."""
    return importlib.import_module(module)


def _derive_key(seed: bytes, name: str) -> PrivateKey:
    """Same seed and name, same key: wallets come back after a restart without storing keys."""
    from eth_keys.datatypes import PrivateKey
    from eth_utils.crypto import keccak

    return PrivateKey(keccak(seed + b"/wallet/" + name.encode("utf-8")))


def _revert_reason(error: Exception) -> str | None:
    """Decode `Error(string)` revert data; other revert data is shown as hex."""
    data = error.args[0] if error.args else b""
    if isinstance(data, str):
        return data or None
    if not isinstance(data, bytes | bytearray) or not data:
        return None
    if data[:4] == _ERROR_SELECTOR:
        from eth_abi.abi import decode

        try:
            return str(decode(["string"], bytes(data[4:]))[0])
        except Exception:  # noqa: BLE001 - malformed revert data is shown raw below
            pass
    return _hex(bytes(data))


def _abi_errors() -> tuple[type[Exception], ...]:
    """What web3 raises when a function name or its arguments do not match the ABI."""
    from web3.exceptions import ABIFunctionNotFound, MismatchedABI, Web3ValidationError

    return (ABIFunctionNotFound, MismatchedABI, Web3ValidationError, TypeError, ValueError)


def _validation_code(message: str) -> str:
    """Map py-evm's validation messages: a safety net behind our own checks."""
    text = message.lower()
    nonces = re.search(r"expected (\d+), but got (\d+)", text)
    if nonces:
        return "nonce_reused" if int(nonces[2]) < int(nonces[1]) else "nonce_too_high"
    for needle, code in (
        ("balance", "insufficient_funds"),
        ("afford", "insufficient_funds"),
        ("insufficient gas", "insufficient_gas"),
        ("base fee", "fee_too_low"),
        ("gas limit", "gas_limit_exceeded"),
    ):
        if needle in text:
            return code
    return "unknown_error"
