"""Contracts on a learner chain: deploy, transact, call and read events. A mixin of
LearnerChain (chain.py), kept apart so each file reads on its own; every method holds the
chain's lock like the rest of the class."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, cast

from core.blockchain.chain_types import (
    _META_CONTRACTS,
    CallResult,
    ChainError,
    TxResult,
    _abi_errors,
    _checksum,
    _fail,
    _hex_bytes,
    _one_line,
    _Order,
    _untyped,
)

if TYPE_CHECKING:
    from eth.abc import StateAPI
    from eth.chains.base import MiningChain
    from eth_keys.datatypes import PrivateKey
    from eth_typing import Address
    from web3 import Web3
    from web3.contract import Contract

    from core.blockchain.kvstore import SQLiteKV


class ContractCalls:
    """Needs the chain state LearnerChain sets up in __init__ (declared here for type checks)."""

    _lock: Any
    _w3: Web3 | None
    _backend: Any
    _chain: MiningChain
    _keys: dict[str, PrivateKey]
    _kv: SQLiteKV

    if TYPE_CHECKING:

        def locked(self, write: bool = False) -> AbstractContextManager[None]: ...
        def _address(self, who: str) -> Address: ...
        def _submit(self, order: _Order) -> TxResult: ...
        def _state(self) -> StateAPI: ...

    def remember_contract(self, label: str, address: str) -> None:
        """Name a deployed contract ("token", "ballot"...) so the lesson finds it again after a
        restart; kept in the chain database, next to the contract itself."""
        with self.locked(write=True):
            known = self.known_contracts()
            known[label] = _checksum(self._address(address))
            self._kv[_META_CONTRACTS] = json.dumps(known).encode()

    def known_contracts(self) -> dict[str, str]:
        with self.locked():
            raw = self._kv.get(_META_CONTRACTS, b"{}")
            found: dict[str, str] = json.loads(raw)
            return found

    def web3(self) -> Web3:
        """A Web3 on this chain, for reads; use it inside `with chain.locked():`."""
        with self._lock:
            if self._w3 is None:
                self._w3 = self._make_web3()
            return self._w3

    def _make_web3(self) -> Web3:
        from web3 import EthereumTesterProvider, Web3

        tester = _untyped("eth_tester")
        backend_class = _untyped("eth_tester.backends.pyevm.main").PyEVMBackend
        # Its __init__ would build a fresh genesis chain; skip it and hand it ours instead
        # (`chain` and `account_keys` are all the backend's state).
        backend = backend_class.__new__(backend_class)
        backend.chain = self._chain
        backend.account_keys = tuple(self._keys.values())
        self._backend = backend
        return Web3(EthereumTesterProvider(tester.EthereumTester(backend=backend)))

    def contract(self, address: str, abi: list[dict[str, Any]]) -> Contract:
        """A web3 contract object (`functions`, `events`, encoding); use it inside `locked()`."""
        with self.locked():
            checksum = cast(Any, _checksum(self._address(address)))
            contract: Contract = self.web3().eth.contract(address=checksum, abi=cast(Any, abi))
            return contract

    def deploy(
        self,
        abi: list[dict[str, Any]],
        bytecode: str,
        sender: str,
        *args: Any,
        value: int = 0,
        gas: int | None = None,
        tip_wei: int | None = None,
    ) -> TxResult:
        """Create a contract; `contract_address` is known even while the deployment waits."""
        with self.locked():
            factory = self.web3().eth.contract(abi=cast(Any, abi), bytecode=cast(Any, bytecode))
            try:
                data = _hex_bytes(factory.constructor(*args).data_in_transaction)
            except _abi_errors() as exc:
                return _fail("bad_arguments", _one_line(exc))
            return self._submit(_Order(sender, None, value, data, gas, tip=tip_wei))

    def transact(
        self,
        address: str,
        abi: list[dict[str, Any]],
        fn_name: str,
        *args: Any,
        sender: str = "me",
        value: int = 0,
        gas: int | None = None,
        tip_wei: int | None = None,
    ) -> TxResult:
        """Call a contract function in a transaction.

        Without `gas`, a revert found while estimating is reported and nothing is sent (as
        wallets do); with an explicit `gas`, the failing transaction is mined and paid for.
        """
        with self.locked():
            try:
                data = _hex_bytes(self.contract(address, abi).encode_abi(fn_name, args=args))
            except ChainError as exc:
                return _fail(exc.code, exc.detail)
            except _abi_errors() as exc:
                return _fail("bad_arguments", _one_line(exc))
            return self._submit(_Order(sender, address, value, data, gas, tip=tip_wei))

    def call(
        self,
        address: str,
        abi: list[dict[str, Any]],
        fn_name: str,
        *args: Any,
        sender: str | None = None,
    ) -> CallResult:
        """Read a contract function at the latest block (pending transactions not included)."""
        from web3.exceptions import BadFunctionCallOutput, ContractLogicError

        reverted = (_untyped("eth_tester.exceptions").TransactionFailed, ContractLogicError)

        with self.locked():
            try:
                target = self._address(address)
                contract = self.contract(address, abi)
                tx = {} if sender is None else {"from": _checksum(self._address(sender))}
            except ChainError as exc:
                return CallResult(ok=False, error=exc.code, detail=exc.detail)
            if not self._state().get_code(target):
                return CallResult(ok=False, error="no_contract", detail=f"no code at {address}")
            try:
                value = contract.functions[fn_name](*args).call(cast(Any, tx))
            except _abi_errors() as exc:
                return CallResult(ok=False, error="bad_arguments", detail=_one_line(exc))
            except reverted as exc:
                reason = str(exc.args[0]).removeprefix("execution reverted: ")
                return CallResult(ok=False, error="reverted", detail=reason)
            except BadFunctionCallOutput as exc:
                return CallResult(ok=False, error="unknown_error", detail=_one_line(exc))
            return CallResult(ok=True, value=value)

    def logs(
        self, address: str, abi: list[dict[str, Any]], event_name: str, from_block: int = 0
    ) -> list[dict[str, Any]]:
        """Decoded events of one contract, oldest first.

        Read straight from py-evm's receipts, skipping blocks whose bloom filter rules the
        contract out: eth-tester's `get_logs` serialises every block, ~5 ms per block.
        """
        from eth_bloom.bloom import BloomFilter
        from eth_utils.abi import event_abi_to_log_topic

        with self.locked():
            target = self._address(address)
            event = self.contract(address, abi).events[event_name]()
            topic = int.from_bytes(event_abi_to_log_topic(cast(Any, event.abi)), "big")
            chaindb = self._chain.chaindb
            head = int(self._chain.get_canonical_head().block_number)
            found = []
            for number in range(max(from_block, 0), head + 1):
                header = chaindb.get_canonical_block_header_by_number(cast(Any, number))
                if target in BloomFilter(header.bloom):
                    for entry in self._raw_logs(number, target, topic):
                        args = event.process_log(cast(Any, entry))["args"]
                        found.append(
                            {
                                "event": event_name,
                                "args": dict(args),
                                "block_number": number,
                                "tx_hash": entry["transactionHash"].to_0x_hex(),
                                "log_index": entry["logIndex"],
                                "address": entry["address"],
                            }
                        )
            return found

    def _raw_logs(self, number: int, target: bytes, topic: int) -> Iterator[dict[str, Any]]:
        """One block's logs from `target` with first topic `topic`, shaped as web3 LogReceipts."""
        from hexbytes import HexBytes

        block = self._chain.get_canonical_block_by_number(cast(Any, number))
        receipts = block.get_receipts(self._chain.chaindb)
        log_index = 0
        for tx_index, (tx, receipt) in enumerate(zip(block.transactions, receipts, strict=True)):
            for log in receipt.logs:
                if log.address == target and log.topics and log.topics[0] == topic:
                    yield {
                        "address": _checksum(log.address),
                        "topics": [HexBytes(t.to_bytes(32, "big")) for t in log.topics],
                        "data": HexBytes(log.data),
                        "blockNumber": number,
                        "blockHash": HexBytes(block.header.hash),
                        "transactionHash": HexBytes(tx.hash),
                        "transactionIndex": tx_index,
                        "logIndex": log_index,
                        "removed": False,
                    }
                log_index += 1
