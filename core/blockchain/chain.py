"""Levels 5-6: a real EVM chain of the learner's own, offline, kept across app restarts.

Each learner gets a private py-evm chain (the engine behind eth-tester) with three funded
wallets, so transactions, fees, nonces, mining and contracts behave exactly as on Ethereum,
without a network and without one learner's mistakes showing up on another's chain.

Design choices, and why:

* The chain database is a SQLite file (`kvstore.SQLiteKV`) in the learner's directory. py-evm
  stores headers, blocks, receipts and state-trie nodes in it, so a reopened chain has the
  same head, hashes, balances and contract storage; replaying transactions would not (block
  timestamps and `prevrandao` differ on each run). Every action is one SQLite transaction.
* The chain object keeps nothing between calls that is not in the database: each action
  rebuilds the pending header from the stored head. A crash, a rolled-back action or a second
  process writing the same directory (two app replicas) cannot leave it out of step.
* Transactions are signed here with wallet keys derived from a random seed stored with the
  chain, and checked before the EVM sees them, so every failure becomes one short code from
  `ERROR_CODES` (for translated feedback and telemetry) instead of a py-evm message.
* Manual mining keeps our own mempool (eth-tester hides pending transactions and keeps only one
  per sender). It is stored in the chain database, so it survives a restart too. Tips reach the
  miner because the pending header's coinbase is set *before* transactions are applied
  (eth-tester's `mine_blocks(coinbase=...)` sets it afterwards and pays nobody).
* py-evm is not thread-safe: every public method holds the chain's re-entrant lock.
* web3, eth-tester and py-evm are imported inside functions: importing them takes about a
  second, which pages that never open a chain should not pay.
"""

from __future__ import annotations

import json
import secrets
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from core.blockchain.chain_contracts import ContractCalls
from core.blockchain.chain_mining import MempoolMining
from core.blockchain.chain_types import (
    _META_AUTO_MINE,
    _META_MEMPOOL,
    _META_SEED,
    _META_WALLETS,
    BLOCK_GAS_LIMIT,
    CHAIN_ID,
    DB_FILE,
    DEFAULT_TIP_WEI,
    ERROR_CODES,
    GAS_ESTIMATE_MARGIN,
    GENESIS_BALANCE_WEI,
    TRANSFER_GAS,
    WALLET_NAMES,
    ZERO_ADDRESS,
    CallResult,
    ChainError,
    TxResult,
    _base_fee,
    _chain_class,
    _checksum,
    _derive_key,
    _fail,
    _hex,
    _one_line,
    _Order,
    _Pending,
    _revert_reason,
    _untyped,
)
from core.blockchain.kvstore import SQLiteKV

__all__ = [
    "BLOCK_GAS_LIMIT",
    "DB_FILE",
    "ERROR_CODES",
    "GENESIS_BALANCE_WEI",
    "WALLET_NAMES",
    "CallResult",
    "ChainError",
    "LearnerChain",
    "TxResult",
    "learner_dir",
]

if TYPE_CHECKING:
    from eth.abc import SignedTransactionAPI, StateAPI
    from eth.chains.base import MiningChain
    from eth_keys.datatypes import PrivateKey
    from eth_typing import Address
    from web3 import Web3


def learner_dir(user_id: int, data_dir: Path | None = None) -> Path:
    """Where a learner's chain lives: ZERDE_DATA_DIR/chains/<user id> (core.learner_files knows
    every per-learner folder, so deleting a learner's data finds this one too)."""
    from core.learner_files import chain_dir

    return chain_dir(user_id, data_dir)


class LearnerChain(MempoolMining, ContractCalls):
    """One chain per learner; every call holds the chain's lock (py-evm is not thread-safe)."""

    _shared: dict[Path, LearnerChain] = {}  # noqa: RUF012 - the process-wide registry
    _shared_lock = threading.Lock()

    def __init__(self, kv: SQLiteKV, path: Path | None) -> None:
        """Use `open()` or `shared()`."""
        self._kv = kv
        self.path = path
        self._lock = threading.RLock()
        self._closed = False
        self._w3: Web3 | None = None
        self._backend: Any = None  # eth-tester's, behind `web3()`; untyped
        # Recovering a sender from a signature costs ~7 ms with eth-keys' pure-Python backend,
        # about a third of a transaction: remember what we already know.
        self._decoded: dict[bytes, SignedTransactionAPI] = {}  # raw mempool entry -> tx
        self._senders: dict[bytes, Address] = {}  # tx hash -> sender
        with kv.transaction():
            if _META_SEED not in kv:
                self._create_genesis()
            seed = kv[_META_SEED]
            names = json.loads(kv[_META_WALLETS])
        self._keys: dict[str, PrivateKey] = {n: _derive_key(seed, n) for n in names}
        self._addresses: dict[str, Address] = {
            n: cast("Address", k.public_key.to_canonical_address()) for n, k in self._keys.items()
        }
        self._names: dict[bytes, str] = {a: n for n, a in self._addresses.items()}
        self._chain: MiningChain = _chain_class()(cast(Any, kv))

    # ------------------------------------------------------------------ opening and closing

    @classmethod
    def open(cls, path: Path | None) -> LearnerChain:
        """`None`: a throw-away chain in memory; a directory: created, or reopened as it was."""
        if path is None:
            return cls(SQLiteKV(None), None)
        try:
            path.mkdir(parents=True, exist_ok=True)
            return cls(SQLiteKV(path / DB_FILE), path)
        except (OSError, sqlite3.Error) as exc:  # a full disk, a read-only or corrupt file
            raise ChainError("chain_unavailable", _one_line(exc)) from exc

    @classmethod
    def shared(cls, path: Path) -> LearnerChain:
        """One open chain per directory per process, so a learner's two tabs share one lock."""
        key = path.resolve()
        with cls._shared_lock:
            chain = cls._shared.get(key)
            if chain is None or chain._closed:
                chain = cls.open(key)
                cls._shared[key] = chain
            return chain

    @classmethod
    def close_shared(cls) -> None:
        with cls._shared_lock:
            for chain in cls._shared.values():
                chain.close()
            cls._shared.clear()

    @classmethod
    def forget(cls, path: Path) -> None:
        """Close a shared chain and delete its directory (a teacher deleting a student's data)."""
        key = path.resolve()
        with cls._shared_lock:
            chain = cls._shared.pop(key, None)
            if chain is not None:
                chain.close()
            shutil.rmtree(key, ignore_errors=True)

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._kv.close()

    def __enter__(self) -> LearnerChain:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _create_genesis(self) -> None:
        pyevm = _untyped("eth_tester.backends.pyevm.main")

        seed = secrets.token_bytes(32)
        names = list(WALLET_NAMES)
        state = {
            _derive_key(seed, n).public_key.to_canonical_address(): {
                "balance": GENESIS_BALANCE_WEI,
                "nonce": 0,
                "code": b"",
                "storage": {},
            }
            for n in names
        }
        params = pyevm.get_default_genesis_params(overrides={"gas_limit": BLOCK_GAS_LIMIT})
        _chain_class().from_genesis(cast(Any, self._kv), params, cast(Any, state))
        self._kv[_META_SEED] = seed
        self._kv[_META_WALLETS] = json.dumps(names).encode()
        self._kv[_META_AUTO_MINE] = b"1"
        self._kv[_META_MEMPOOL] = b"[]"

    # ------------------------------------------------------------------ locking

    @contextmanager
    def locked(self, write: bool = False) -> Iterator[None]:
        """Hold the chain: needed around direct use of `contract()` or `web3()` objects.

        `write=True` also makes the block one SQLite transaction, for transactions sent
        through web3 directly (they are always mined at once and get no error codes).
        """
        with self._lock:
            if self._closed:
                raise ChainError("closed", "the chain has been closed")
            if not write:
                self._sync()
                yield
                return
            try:
                with self._kv.transaction():
                    self._sync()  # read the head only once we hold the database's write lock
                    yield
            except BaseException:
                # py-evm may have cached what was just rolled back: start from the database
                self._chain = _chain_class()(cast(Any, self._kv))
                if self._backend is not None:
                    self._backend.chain = self._chain
                raise

    def _sync(self, coinbase: bytes = ZERO_ADDRESS) -> None:
        """Rebuild the pending header from the stored head (fresh timestamp, base fee, miner)."""
        chain = self._chain
        chain.header = chain.create_header_from_parent(
            chain.get_canonical_head(), coinbase=coinbase
        )

    # ------------------------------------------------------------------ wallets and reads

    @property
    def accounts(self) -> list[str]:
        """The learner's wallet addresses, in the order of `WALLET_NAMES`."""
        return [_checksum(a) for a in self._addresses.values()]

    def wallets(self) -> dict[str, str]:
        """Wallet name -> checksummed address."""
        return {n: _checksum(a) for n, a in self._addresses.items()}

    def name_of(self, address: str) -> str | None:
        """The wallet name of an address; None for a contract or a stranger."""
        try:
            return self._names.get(self._address(address))
        except ChainError:
            return None

    def private_key(self, wallet: str) -> str:
        """For the keys lesson: show it only to the learner who owns the chain."""
        return str(self._keys[wallet].to_hex())

    def _address(self, who: str) -> Address:
        """A wallet name or a 0x address -> 20 bytes; a mixed-case address must checksum."""
        if who in self._addresses:
            return self._addresses[who]
        from eth_utils.address import (
            is_checksum_address,
            is_checksum_formatted_address,
            is_hex_address,
            to_canonical_address,
        )

        if not isinstance(who, str) or not who.startswith("0x") or not is_hex_address(who):
            raise ChainError("invalid_address", f"not an address: {who!r}")
        if is_checksum_formatted_address(who) and not is_checksum_address(who):
            raise ChainError("invalid_address", f"wrong checksum (a typo?): {who!r}")
        return to_canonical_address(who)

    def _state(self) -> StateAPI:
        """State after the latest mined block: pending transactions are not in it."""
        return self._chain.get_vm(self._chain.header).state

    def balance(self, address: str) -> int:
        """Wei held by a wallet name or address after the latest block."""
        with self.locked():
            return int(self._state().get_balance(self._address(address)))

    def nonce(self, address: str) -> int:
        """Transactions mined from this address so far: the nonce its next one must carry."""
        with self.locked():
            return int(self._state().get_nonce(self._address(address)))

    def base_fee(self) -> int:
        """Base fee per gas of the next block: burnt, and the floor for any gas price."""
        with self.locked():
            return _base_fee(self._chain.header)

    def head(self) -> int:
        """Number of the latest mined block."""
        with self.locked():
            return int(self._chain.get_canonical_head().block_number)

    # ------------------------------------------------------------------ sending

    def send(
        self,
        sender: str,
        to: str,
        value_wei: int,
        gas: int = TRANSFER_GAS,
        gas_price_wei: int | None = None,
        nonce: int | None = None,
        tip_wei: int | None = None,
        max_fee_wei: int | None = None,
    ) -> TxResult:
        """Pay `value_wei` from one of the learner's wallets (a name or its address).

        Fees: `gas_price_wei` makes a legacy transaction (the whole price is paid, the part
        above the base fee goes to the miner); otherwise an EIP-1559 one with `tip_wei`
        (default 1 gwei) and `max_fee_wei` (default 2 × base fee + tip).
        """
        if value_wei <= 0:
            return _fail("amount_not_positive", f"value {value_wei} wei", value=value_wei)
        order = _Order(sender, to, value_wei, b"", gas, gas_price_wei, tip_wei, max_fee_wei, nonce)
        return self._submit(order)

    def _submit(self, order: _Order) -> TxResult:
        with self.locked(write=True):
            try:
                sender = self._address(order.sender)
                to = None if order.to is None else self._address(order.to)
            except ChainError as exc:
                return _fail(exc.code, exc.detail)
            key = self._keys.get(self._names.get(sender, ""))
            if key is None:
                return _fail("unknown_wallet", f"no key for {order.sender}")
            pool = self._load_mempool()
            own = [p.tx for p in pool if self._sender(p.tx) == sender]
            nonce = self._settle_nonce(sender, own, order.nonce)
            if isinstance(nonce, TxResult):
                return nonce
            fees = self._settle_fees(order)
            if isinstance(fees, TxResult):
                return fees
            gas = order.gas
            if gas is None:
                estimate = self._estimate(pool, sender, to, order.value, order.data, nonce)
                if isinstance(estimate, TxResult):
                    return estimate
                gas = min(int(estimate * GAS_ESTIMATE_MARGIN), BLOCK_GAS_LIMIT)
            limit = int(self._chain.header.gas_limit)
            if gas > limit:
                return _fail("gas_limit_exceeded", f"gas {gas} > {limit}", gas=gas, limit=limit)
            tip, max_fee, cap = fees
            tx, raw = self._sign(key, nonce, to, order, gas, tip, max_fee)
            if gas < tx.intrinsic_gas:
                needs = int(tx.intrinsic_gas)
                return _fail("insufficient_gas", f"gas {gas} < {needs}", gas=gas, required=needs)
            committed = sum(t.value + t.gas * t.max_fee_per_gas for t in own)
            available = int(self._state().get_balance(sender)) - committed
            cost = order.value + gas * cap
            if cost > available:
                return _fail(
                    "insufficient_funds",
                    f"needs {cost} wei, has {available}",
                    needed=cost,
                    available=available,
                )
            if self._kv[_META_AUTO_MINE] == b"1":
                result: TxResult = self._mine([tx], ZERO_ADDRESS)["results"][0]
                return result
            self._save_mempool([*pool, _Pending(tx, raw, time.time())])
            created = None if to is not None else _checksum(self._created(tx))
            return TxResult(ok=True, tx_hash=_hex(tx.hash), pending=True, contract_address=created)

    def _settle_nonce(
        self, sender: Address, own: Sequence[SignedTransactionAPI], asked: int | None
    ) -> int | TxResult:
        """The next free nonce counts the sender's pending transactions; no gaps, no reuse."""
        mined = int(self._state().get_nonce(sender))
        own = [t for t in own if t.nonce >= mined]  # older ones will be dropped when mining
        expected = mined + len(own)
        if asked is None:
            return expected
        if asked < mined or any(t.nonce == asked for t in own):
            return _fail("nonce_reused", f"nonce {asked} is used", nonce=asked, expected=expected)
        if asked > expected:
            detail = f"nonce {asked}, expected {expected}"
            return _fail("nonce_too_high", detail, nonce=asked, expected=expected)
        return asked

    def _settle_fees(self, order: _Order) -> tuple[int | None, int | None, int] | TxResult:
        """(tip, max fee, most paid per gas); legacy transactions have no tip or max fee."""
        base_fee = _base_fee(self._chain.header)
        if order.gas_price is not None:
            tip, max_fee, cap = None, None, order.gas_price
        else:
            tip = DEFAULT_TIP_WEI if order.tip is None else order.tip
            max_fee = 2 * base_fee + tip if order.max_fee is None else order.max_fee
            cap = max_fee
        if cap < base_fee:
            detail = f"{cap} < base fee {base_fee}"
            return _fail("fee_too_low", detail, price=cap, base_fee=base_fee)
        return tip, max_fee, cap

    def _sign(
        self,
        key: PrivateKey,
        nonce: int,
        to: Address | None,
        order: _Order,
        gas: int,
        tip: int | None,
        max_fee: int | None,
    ) -> tuple[SignedTransactionAPI, bytes]:
        """Sign with eth_account, as a wallet does; py-evm's transaction and the raw bytes."""
        from eth_account import Account

        fields: dict[str, Any] = {
            "chainId": CHAIN_ID,
            "nonce": nonce,
            "gas": gas,
            "value": order.value,
            "data": order.data,
        }
        if to is not None:
            fields["to"] = to
        if order.gas_price is not None:
            fields["gasPrice"] = order.gas_price
        else:
            fields |= {"type": 2, "maxFeePerGas": max_fee, "maxPriorityFeePerGas": tip}
        raw = bytes(Account.sign_transaction(fields, key).raw_transaction)
        builder = self._chain.get_vm(self._chain.header).get_transaction_builder()
        tx = builder.decode(raw)
        sender = cast("Address", key.public_key.to_canonical_address())
        vars(tx)["sender"] = sender  # py-evm's cached_property slot: we signed it, no ecrecover
        self._remember_sender(tx.hash, sender)
        return tx, raw

    def _remember_sender(self, tx_hash: bytes, sender: Address) -> None:
        if len(self._senders) > 10_000:  # a bound, far above one learner's quest
            self._senders.clear()
        self._senders[tx_hash] = sender

    def _sender(self, tx: SignedTransactionAPI) -> Address:
        """A block read back from the database holds new transaction objects: use the cache."""
        sender = self._senders.get(tx.hash)
        if sender is None:
            sender = tx.sender
            self._remember_sender(tx.hash, sender)
        return sender

    def _estimate(
        self,
        pool: Sequence[_Pending],
        sender: Address,
        to: Address | None,
        value: int,
        data: bytes,
        nonce: int,
    ) -> int | TxResult:
        """Gas the call needs after the learner's pending transactions, or why it fails."""
        from eth.exceptions import OutOfGas, VMError
        from eth.vm.spoof import SpoofTransaction

        vm = self._chain.get_vm(self._chain.header)
        unsigned = vm.create_unsigned_transaction(
            nonce=nonce,
            gas_price=0,
            gas=BLOCK_GAS_LIMIT,
            to=to or cast("Address", b""),
            value=value,
            data=data,
        )
        spoof = cast("SignedTransactionAPI", SpoofTransaction(unsigned, from_=sender))
        with vm.in_costless_state() as state:
            for p in sorted(pool, key=lambda p: p.tx.nonce):
                try:
                    state.apply_transaction(p.tx)
                except Exception:  # noqa: BLE001 - estimate without a broken pending tx
                    continue
            try:
                return int(self._chain.gas_estimator(state, spoof))
            except OutOfGas as exc:
                return _fail("out_of_gas", _one_line(exc) or "out of gas at the block gas limit")
            except VMError as exc:
                return _fail("reverted", _revert_reason(exc) or type(exc).__name__)

    @staticmethod
    def _created(tx: SignedTransactionAPI) -> Address:
        from eth._utils.address import generate_contract_address

        return generate_contract_address(tx.sender, tx.nonce)
