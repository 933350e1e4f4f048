"""Blockchain quest levels 5-6 on per-learner EVM chains, measured on this machine.

    python -m benchmarks.chain_game           # 30 learners, full run (well under 2 minutes)
    python -m benchmarks.chain_game --quick   # 5 learners, few actions: a smoke test

Every learner gets a persisted chain (`LearnerChain.open(dir)`) in a temporary directory, as
the app does. Actions are interleaved across learners, like a class working at once but with
one click in flight at a time (the sequential p50/p95 are the targets). A burst section then
has every learner click "send" at the same moment, to show what the GIL does to latency.

Targets: p95 < 150 ms per quest action, < 30 MB of memory per learner chain.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

TARGET_P95_MS = 150.0
TARGET_MB_PER_LEARNER = 30.0

COUNTER = """
# pragma version ^0.4.0
count: public(uint256)

event Bumped:
    who: indexed(address)
    count: uint256

@deploy
def __init__(start: uint256):
    self.count = start

@external
def bump(by: uint256):
    assert by < 10, "too big"
    self.count += by
    log Bumped(who=msg.sender, count=self.count)
"""


def say(line: str = "") -> None:
    print(line, flush=True)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "SHORT"


@dataclass
class Timings:
    samples: dict[str, list[float]] = field(default_factory=dict)

    def time(self, action: str, fn: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        result = fn()
        self.samples.setdefault(action, []).append((time.perf_counter() - started) * 1e3)
        return result

    def stats(self, action: str) -> tuple[int, float, float, float]:
        values = sorted(self.samples[action])
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        return len(values), statistics.median(values), p95, values[-1]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 learners, few actions")
    parser.add_argument("--learners", type=int, default=None)
    args = parser.parse_args(argv)
    if args.learners is None:
        args.learners = 5 if args.quick else 30
    args.rounds = 2 if args.quick else 6
    return args


def rss_mb() -> float:
    import psutil  # type: ignore[import-untyped]

    return float(psutil.Process().memory_info().rss) / 2**20


def compile_counter() -> dict[str, Any]:
    import vyper  # type: ignore[import-untyped]

    out = vyper.compile_code(COUNTER, output_formats=["abi", "bytecode"])
    return {"abi": out["abi"], "bytecode": out["bytecode"]}


def check(ok: bool, what: str) -> None:
    if not ok:
        raise SystemExit(f"benchmark action failed: {what}")


def play_round(chain: Any, counter: dict[str, Any], timings: Timings) -> None:
    """One round of levels 5-6 for one learner: what a few minutes of the quest costs."""
    abi, bytecode = counter["abi"], counter["bytecode"]
    for _ in range(3):
        r = timings.time("send tx (auto-mine)", lambda: chain.send("me", "friend", 10**15))
        check(r.ok, f"send: {r}")
    timings.time("balance read", lambda: chain.balance("friend"))
    refused = timings.time("refused send (error code)", lambda: chain.send("me", "friend", 10**30))
    check(refused.error == "insufficient_funds", f"refused: {refused}")
    deployed = timings.time("deploy contract", lambda: chain.deploy(abi, bytecode, "me", 1))
    check(deployed.ok, f"deploy: {deployed}")
    address = deployed.contract_address
    for by in (1, 2):
        r = timings.time("contract transact", partial(chain.transact, address, abi, "bump", by))
        check(r.ok, f"transact: {r}")
    timings.time("contract call", lambda: chain.call(address, abi, "count"))
    r = timings.time("reverted transact", lambda: chain.transact(address, abi, "bump", 50))
    check(r.error == "reverted", f"revert: {r}")
    timings.time("read logs", lambda: chain.logs(address, abi, "Bumped"))

    chain.set_auto_mine(False)
    for i, sender in enumerate(("me", "friend", "shop")):
        tip = (i + 1) * 10**9
        r = timings.time("send to mempool", partial(chain.send, sender, "me", 10**14, tip_wei=tip))
        check(r.pending, f"mempool send: {r}")
    block = timings.time("manual mine (3 txs)", lambda: chain.mine(miner="shop"))
    check(block["tx_count"] == 3 and block["tips_wei"] > 0, f"mine: {block['tx_count']}")
    chain.set_auto_mine(True)


def burst(chains: list[Any], timings: Timings) -> None:
    """Every learner presses "send" at the same moment (one thread per learner)."""
    gate = threading.Barrier(len(chains))

    def click(chain: Any) -> None:
        gate.wait()
        r = timings.time("burst: all learners send at once", lambda: chain.send("me", "shop", 1))
        check(r.ok, f"burst send: {r}")

    threads = [threading.Thread(target=click, args=(c,)) for c in chains]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def traced_chain_bytes(root: Path, counter: dict[str, Any]) -> float:
    """Python-level bytes one more learner keeps alive after a round (tracemalloc, untimed)."""
    from core.blockchain.chain import LearnerChain

    gc.collect()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    chain = LearnerChain.open(root / "traced")
    play_round(chain, counter, Timings())
    gc.collect()
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    grown = sum(s.size_diff for s in after.compare_to(before, "filename"))
    chain.close()
    return grown / 2**20


QUEST_ACTIONS = (
    "send tx (auto-mine)",
    "deploy contract",
    "manual mine (3 txs)",
    "contract transact",
)


def report_latencies(timings: Timings) -> bool:
    """Print every action; the quest actions are held to the p95 target."""
    say(f"{'action':36} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    all_ok = True
    for action in timings.samples:
        n, p50, p95, worst = timings.stats(action)
        mark = ""
        if action in QUEST_ACTIONS:
            ok = p95 < TARGET_P95_MS
            all_ok &= ok
            mark = f"  target p95 < {TARGET_P95_MS:.0f} ms: {verdict(ok)}"
        say(f"{action:36} {n:5d} {p50:8.1f} {p95:8.1f} {worst:8.1f}{mark}")
    return all_ok


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    say(f"Zerde chain game benchmark — Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    say(f"learners={args.learners} rounds/learner={args.rounds}")

    t0 = time.perf_counter()
    from core.blockchain.chain import LearnerChain

    counter = compile_counter()
    with tempfile.TemporaryDirectory(prefix="zerde_chain_bench_") as tmp:
        root = Path(tmp)
        warm = LearnerChain.open(root / "warm-up")  # imports, first chain, first web3
        play_round(warm, counter, Timings())
        warm.close()
        say(f"imports + vyper compile + first chain: {(time.perf_counter() - t0):.2f} s")

        gc.collect()
        rss_before = rss_mb()
        timings = Timings()
        chains = []
        for i in range(args.learners):
            path = root / f"learner-{i:02d}"
            chains.append(timings.time("open new chain", partial(LearnerChain.open, path)))
        for _ in range(args.rounds):
            for chain in chains:
                play_round(chain, counter, timings)
        gc.collect()
        rss_after = rss_mb()
        burst(chains, timings)

        heads = [c.head() for c in chains]
        for chain in chains:
            chain.close()  # the last connection folds the write-ahead log into the file
        disk = sum(f.stat().st_size for f in root.glob("learner-*/*")) / args.learners
        reopen = Path(root / "learner-00")
        reopened = timings.time("reopen persisted chain", lambda: LearnerChain.open(reopen))
        check(reopened.head() == heads[0], "reopened head")
        reopened.close()
        traced = traced_chain_bytes(root, counter)

    say()
    all_ok = report_latencies(timings)
    per_learner = (rss_after - rss_before) / args.learners
    mem_ok = per_learner < TARGET_MB_PER_LEARNER
    all_ok &= mem_ok
    say()
    say(
        f"memory: RSS {rss_before:.0f} -> {rss_after:.0f} MB for {args.learners} chains = "
        f"{per_learner:.2f} MB per learner (target < {TARGET_MB_PER_LEARNER:.0f} MB): "
        f"{verdict(mem_ok)}"
    )
    say(f"memory: tracemalloc, one more learner after one round: {traced:.2f} MB (Python objects)")
    say(
        f"chain size: {statistics.mean(heads):.0f} blocks per learner, "
        f"{disk / 1024:.0f} KiB on disk per learner"
    )
    say("burst = all learners click at once on one process: the GIL serialises them; informative")
    say()
    say(f"overall: {verdict(all_ok)} in {time.perf_counter() - started:.1f} s")
    return 0 if all_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
