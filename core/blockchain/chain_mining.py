"""The learner chain's mempool, mining and block reads: a mixin of LearnerChain (chain.py), kept
apart so each file reads on its own. Every public method holds the chain's lock like the rest of
the class; the mempool lives in the chain database, so it survives a restart."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from core.blockchain.chain_types import (
    _META_AUTO_MINE,
    _META_MEMPOOL,
    ZERO_ADDRESS,
    TxResult,
    _base_fee,
    _checksum,
    _hex,
    _hex_bytes,
    _one_line,
    _Pending,
    _price,
    _revert_reason,
    _validation_code,
)

if TYPE_CHECKING:
    from eth.abc import BlockAPI, ComputationAPI, SignedTransactionAPI
    from eth.chains.base import MiningChain
    from eth_typing import Address

    from core.blockchain.kvstore import SQLiteKV


class MempoolMining:
    """Needs the chain state LearnerChain sets up in __init__ (declared here for type checks)."""

    _kv: SQLiteKV
    _chain: MiningChain
    _names: dict[bytes, str]
    _decoded: dict[bytes, SignedTransactionAPI]
    _senders: dict[bytes, Address]

    if TYPE_CHECKING:

        def locked(self, write: bool = False) -> AbstractContextManager[None]: ...
        def _address(self, who: str) -> Address: ...
        def _sync(self, coinbase: bytes = ZERO_ADDRESS) -> None: ...
        def _sender(self, tx: SignedTransactionAPI) -> Address: ...
        @staticmethod
        def _created(tx: SignedTransactionAPI) -> Address: ...

    # ------------------------------------------------------------------ mempool

    @property
    def auto_mine(self) -> bool:
        with self.locked():
            return self._kv[_META_AUTO_MINE] == b"1"

    def set_auto_mine(self, on: bool) -> dict[str, Any] | None:
        """Off = mempool mode: sends wait for `mine()`. Switching it on mines what waits."""
        with self.locked(write=True):
            self._kv[_META_AUTO_MINE] = b"1" if on else b"0"
            if on and self._load_mempool():
                return self._mine_pending(ZERO_ADDRESS)
            return None

    def _load_mempool(self) -> list[_Pending]:
        entries = json.loads(self._kv[_META_MEMPOOL])
        builder = self._chain.get_vm(self._chain.header).get_transaction_builder()
        pool = []
        for entry in entries:
            raw = bytes.fromhex(entry["raw"])
            tx = self._decoded.get(raw)
            if tx is None:
                tx = self._decoded[raw] = builder.decode(raw)
                if tx.hash in self._senders:
                    vars(tx)["sender"] = self._senders[tx.hash]  # as in `_sign`
            pool.append(_Pending(tx, raw, float(entry["t"])))
        return pool

    def _save_mempool(self, pool: Sequence[_Pending]) -> None:
        entries = [{"raw": p.raw.hex(), "t": p.submitted_at} for p in pool]
        self._kv[_META_MEMPOOL] = json.dumps(entries).encode()
        self._decoded = {p.raw: p.tx for p in pool}

    def pending(self) -> list[dict[str, Any]]:
        """The learner's view of submitted, not yet mined transactions, in submission order."""
        with self.locked():
            base_fee = _base_fee(self._chain.header)
            return [
                self._tx_dict(p.tx, base_fee) | {"submitted_at": p.submitted_at}
                for p in self._load_mempool()
            ]

    # ------------------------------------------------------------------ mining

    def mine(self, miner: str | None = None) -> dict[str, Any]:
        """Mine one block with every pending transaction, highest tip first.

        `miner` (a wallet name or address) receives the tips; base fees are burnt. Returns the
        block (see `block()`) plus `tips_wei`, `burnt_wei` and `results` (one TxResult per
        transaction, including any dropped as no longer valid).
        """
        with self.locked(write=True):
            return self._mine_pending(ZERO_ADDRESS if miner is None else self._address(miner))

    def _mine_pending(self, coinbase: bytes) -> dict[str, Any]:
        pool = self._load_mempool()
        self._save_mempool([])
        return self._mine(self._order(pool), coinbase)

    def _order(self, pool: Sequence[_Pending]) -> list[SignedTransactionAPI]:
        """Highest tip first, like a block builder, while each sender's nonces stay in order."""
        base_fee = _base_fee(self._chain.header)
        queues: dict[bytes, list[_Pending]] = {}
        for p in sorted(pool, key=lambda p: (p.tx.nonce, p.submitted_at)):
            queues.setdefault(self._sender(p.tx), []).append(p)

        def priority(sender: bytes) -> tuple[int, float]:
            head = queues[sender][0]
            return (base_fee - _price(head.tx, base_fee), head.submitted_at)

        ordered: list[SignedTransactionAPI] = []
        while queues:
            best = min(queues, key=priority)
            ordered.append(queues[best].pop(0).tx)
            if not queues[best]:
                del queues[best]
        return ordered

    def _mine(self, txs: Sequence[SignedTransactionAPI], coinbase: bytes) -> dict[str, Any]:
        from eth_utils.exceptions import ValidationError

        self._sync(coinbase)  # the coinbase must be set before transactions pay their tips
        chain = self._chain
        base_fee = _base_fee(chain.header)
        applied: list[tuple[SignedTransactionAPI, int, ComputationAPI]] = []
        dropped: list[TxResult] = []
        cumulative = 0
        for tx in txs:
            try:
                _, receipt, computation = chain.apply_transaction(tx)
            except ValidationError as exc:
                code, detail = _validation_code(str(exc)), _one_line(exc)
                dropped.append(TxResult(False, _hex(tx.hash), code, detail))
                continue
            applied.append((tx, receipt.gas_used - cumulative, computation))
            cumulative = receipt.gas_used
        block = chain.mine_block(mix_hash=os.urandom(32))
        results = [
            self._outcome(tx, gas_used, computation, int(block.number), base_fee)
            for tx, gas_used, computation in applied
        ]
        tips = sum(gas * (_price(tx, base_fee) - base_fee) for tx, gas, _ in applied)
        summary = self._block_dict(block)
        summary |= {"tips_wei": tips, "burnt_wei": base_fee * cumulative}
        summary["results"] = results + dropped
        return summary

    def _outcome(
        self,
        tx: SignedTransactionAPI,
        gas_used: int,
        computation: ComputationAPI,
        number: int,
        base_fee: int,
    ) -> TxResult:
        result = TxResult(
            ok=not computation.is_error,
            tx_hash=_hex(tx.hash),
            block_number=number,
            gas_used=gas_used,
            fee_wei=gas_used * _price(tx, base_fee),
            contract_address=None if tx.to else _checksum(self._created(tx)),
        )
        if computation.is_error:
            from eth.exceptions import OutOfGas

            error = computation.error
            code = "out_of_gas" if isinstance(error, OutOfGas) else "reverted"
            reason = _revert_reason(error) or type(error).__name__
            result = replace(result, error=code, detail=reason, contract_address=None)
        return result

    # ------------------------------------------------------------------ blocks and receipts

    def block(self, number: int | str = "latest") -> dict[str, Any] | None:
        """A mined block with its transactions; None if there is no such block yet."""
        with self.locked():
            head = int(self._chain.get_canonical_head().block_number)
            n = head if number == "latest" else number
            if not isinstance(n, int) or not 0 <= n <= head:
                return None
            return self._block_dict(self._chain.get_canonical_block_by_number(cast(Any, n)))

    def _block_dict(self, block: BlockAPI) -> dict[str, Any]:
        header = block.header
        base_fee = _base_fee(header)
        receipts = block.get_receipts(self._chain.chaindb)
        txs = []
        previous = 0
        for tx, receipt in zip(block.transactions, receipts, strict=True):
            info = self._tx_dict(tx, base_fee)
            info["gas_used"] = receipt.gas_used - previous
            info["status"] = 1 if receipt.state_root == b"\x01" else 0
            info["fee_wei"] = info["gas_used"] * info["effective_gas_price"]
            previous = receipt.gas_used
            txs.append(info)
        return {
            "number": int(header.block_number),
            "hash": _hex(header.hash),
            "parent_hash": _hex(header.parent_hash),
            "timestamp": int(header.timestamp),
            "miner": _checksum(header.coinbase),
            "miner_name": self._names.get(header.coinbase),
            "gas_used": int(header.gas_used),
            "gas_limit": int(header.gas_limit),
            "base_fee_per_gas": base_fee,
            "state_root": _hex(header.state_root),
            "tx_count": len(txs),
            "transactions": txs,
        }

    def _tx_dict(self, tx: SignedTransactionAPI, base_fee: int) -> dict[str, Any]:
        to = bytes(tx.to)
        sender = self._sender(tx)
        return {
            "hash": _hex(tx.hash),
            "from": _checksum(sender),
            "from_name": self._names.get(sender),
            "to": _checksum(to) if to else None,
            "to_name": self._names.get(to),
            "value": int(tx.value),
            "nonce": int(tx.nonce),
            "gas": int(tx.gas),
            "type": 0 if tx.type_id is None else int(tx.type_id),
            "max_fee_per_gas": int(tx.max_fee_per_gas),
            "max_priority_fee_per_gas": int(tx.max_priority_fee_per_gas),
            "effective_gas_price": _price(tx, base_fee),
        }

    def receipt(self, tx_hash: str) -> dict[str, Any] | None:
        """A mined transaction with block number, gas used, fee and status; None if not mined."""
        from eth.exceptions import TransactionNotFound

        with self.locked():
            try:
                number, index = self._chain.chaindb.get_transaction_index(
                    cast(Any, _hex_bytes(tx_hash))
                )
            except (TransactionNotFound, ValueError):
                return None
            block = self._block_dict(self._chain.get_canonical_block_by_number(number))
            found: dict[str, Any] = block["transactions"][index]
            return found | {"block_number": number}
