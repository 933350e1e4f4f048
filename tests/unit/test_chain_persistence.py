"""Levels 5-6 chain, durability: restarts across processes, several openers, rollback,
threads, and the SQLite key-value store underneath."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from core.blockchain.chain import (
    DB_FILE,
    GENESIS_BALANCE_WEI,
    WALLET_NAMES,
    ChainError,
    LearnerChain,
    TxResult,
    learner_dir,
)
from core.blockchain.kvstore import SQLiteKV

ROOT = Path(__file__).resolve().parents[2]


# --- persistence -----------------------------------------------------------------------------

WRITER = """
import json, os, sys
from pathlib import Path
from core.blockchain.chain import LearnerChain

path, abi, bytecode = Path(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3]
chain = LearnerChain.open(path)
assert chain.send("me", "friend", 10**18).ok
address = chain.deploy(abi, bytecode, "me", 41).contract_address
assert chain.transact(address, abi, "bump", 1, sender="shop").ok
chain.remember_contract("counter", address)
chain.set_auto_mine(False)
waiting = chain.send("friend", "shop", 12345).tx_hash
print(json.dumps({
    "head": chain.block(),
    "genesis": chain.block(0)["hash"],
    "balances": {n: chain.balance(n) for n in ("me", "friend", "shop")},
    "wallets": chain.wallets(),
    "address": address,
    "waiting": waiting,
}), flush=True)
os._exit(0)  # no close(), no clean-up: every action was already committed
"""


def test_chain_survives_a_process_restart(tmp_path: Path, counter: dict[str, Any]) -> None:
    path = tmp_path / "learner-7"
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", WRITER, str(path), json.dumps(counter["abi"]), counter["bytecode"]],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    before = json.loads(out.stdout)
    assert (path / DB_FILE).exists()

    with LearnerChain.open(path) as chain:
        head = chain.block()
        assert head == before["head"]  # same number, hash, state root, transactions
        assert chain.block(0)["hash"] == before["genesis"]  # type: ignore[index]
        assert chain.wallets() == before["wallets"]  # keys re-derived from the stored seed
        assert {n: chain.balance(n) for n in WALLET_NAMES} == before["balances"]
        assert chain.call(before["address"], counter["abi"], "count").value == 42  # storage
        assert chain.known_contracts() == {"counter": before["address"]}
        assert not chain.auto_mine
        assert [p["hash"] for p in chain.pending()] == [before["waiting"]]  # mempool too
        mined = chain.mine(miner="me")
        assert mined["number"] == head["number"] + 1  # type: ignore[index]
        assert mined["parent_hash"] == head["hash"]  # type: ignore[index]
        assert [r.tx_hash for r in mined["results"]] == [before["waiting"]]


def test_two_openers_of_one_directory_stay_consistent(tmp_path: Path) -> None:
    """Like two app replicas: each action starts from the stored head, so none is lost."""
    with LearnerChain.open(tmp_path) as a, LearnerChain.open(tmp_path) as b:
        assert a.wallets() == b.wallets()
        for _ in range(3):
            assert a.send("me", "friend", 1).ok
            assert b.send("me", "shop", 1).ok
        assert a.head() == b.head() == 6
        assert a.nonce("me") == b.nonce("me") == 6
        assert a.block() == b.block()


def test_shared_returns_one_chain_per_directory(tmp_path: Path) -> None:
    try:
        first = LearnerChain.shared(learner_dir(7, tmp_path))
        assert first.path == tmp_path / "chains" / "7"
        assert LearnerChain.shared(tmp_path / "chains" / ".." / "chains" / "7") is first
        assert LearnerChain.shared(learner_dir(8, tmp_path)) is not first
        LearnerChain.forget(learner_dir(7, tmp_path))  # a teacher deletes the student's data
        assert not (tmp_path / "chains" / "7").exists()
        with pytest.raises(ChainError):
            first.head()
        again = LearnerChain.shared(learner_dir(7, tmp_path))
        assert again is not first and again.wallets() != first.wallets()  # a new chain
    finally:
        LearnerChain.close_shared()


def test_learner_dir_defaults_to_the_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZERDE_DATA_DIR", str(tmp_path))
    assert learner_dir(3) == tmp_path.resolve() / "chains" / "3"


def test_an_unreadable_chain_is_one_error_code(tmp_path: Path) -> None:
    (tmp_path / DB_FILE).write_bytes(b"not a database at all" * 100)
    with pytest.raises(ChainError) as raised:
        LearnerChain.open(tmp_path)
    assert raised.value.code == "chain_unavailable"
    blocked = tmp_path / "file"
    blocked.write_text("x")
    with pytest.raises(ChainError, match="chain_unavailable"):
        LearnerChain.open(blocked / "chains")  # a file where a directory must go


def test_a_failed_action_rolls_back(fresh: LearnerChain, monkeypatch: pytest.MonkeyPatch) -> None:
    assert fresh.send("me", "friend", 1).ok
    state = (fresh.block(), fresh.balance("me"))

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(type(fresh._chain), "mine_block", boom)
    with pytest.raises(RuntimeError):
        fresh.send("me", "friend", 1)
    monkeypatch.undo()
    assert (fresh.block(), fresh.balance("me")) == state
    assert fresh.send("me", "friend", 1).block_number == 2


# --- threads ---------------------------------------------------------------------------------


@pytest.mark.parametrize("auto_mine", [True, False])
def test_eight_threads_lose_no_transaction(fresh: LearnerChain, auto_mine: bool) -> None:
    fresh.set_auto_mine(auto_mine)
    per_thread, threads = 4, 8
    results: list[TxResult] = []
    errors: list[BaseException] = []
    gate = threading.Barrier(threads)

    def worker(i: int) -> None:
        try:
            gate.wait()
            for _ in range(per_thread):
                results.append(fresh.send("me", "friend", 1000 + i))
                fresh.balance("friend")  # reads interleave with writes
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert not errors
    total = per_thread * threads
    assert len(results) == total and all(r.ok for r in results)
    assert len({r.tx_hash for r in results}) == total
    if not auto_mine:
        assert len(fresh.pending()) == total
        block = fresh.mine()
        assert block["tx_count"] == total and all(r.ok for r in block["results"])
        results = block["results"]
    paid = sum(1000 + i for i in range(threads)) * per_thread
    fees = sum(r.fee_wei or 0 for r in results)
    assert fresh.nonce("me") == total
    assert fresh.balance("friend") == GENESIS_BALANCE_WEI + paid
    assert fresh.balance("me") == GENESIS_BALANCE_WEI - paid - fees
    assert fresh.head() == (total if auto_mine else 1)


# --- the key-value store ---------------------------------------------------------------------


def test_kvstore_batches_are_all_or_nothing(tmp_path: Path) -> None:
    kv = SQLiteKV(tmp_path / "kv.sqlite3")
    kv[b"a"] = b"1"
    with kv.atomic_batch() as batch:
        batch[b"b"] = b"2"
        del batch[b"a"]
        assert b"a" not in batch and batch[b"b"] == b"2"
        assert b"b" not in kv  # not written until the batch ends
    assert b"a" not in kv and kv[b"b"] == b"2"
    with pytest.raises(RuntimeError), kv.atomic_batch() as batch:
        batch[b"c"] = b"3"
        raise RuntimeError
    assert b"c" not in kv
    with pytest.raises(RuntimeError), kv.transaction():
        kv[b"d"] = b"4"
        with kv.atomic_batch() as batch:  # joins the outer transaction
            batch[b"e"] = b"5"
        raise RuntimeError
    assert b"d" not in kv and b"e" not in kv
    with pytest.raises(KeyError):
        kv[b"missing"]
    kv.close()
    reopened = SQLiteKV(tmp_path / "kv.sqlite3")
    assert dict(reopened.items()) == {b"b": b"2"}
    reopened.close()
