"""The quest: seven levels, each a few tasks with a skill, XP and a checker that explains.

A checker turns a student's answer into an Outcome: right or wrong, and when wrong, *which*
misconception (the error type telemetry records and the dashboard counts). Checkers are pure
functions over the lesson's state, so every level's logic is unit-tested without a browser.
Levels 5-7 (transactions, contracts, consensus) are checked in core.blockchain.quests_onchain,
over the learner's chain, the contracts and the simulated network.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from core.blockchain.hashing import Algorithm, avalanche, check_prefix, digest
from core.blockchain.keys import Puzzle, Verdict
from core.blockchain.ledger import Ledger, MineResult, expected_attempts


@dataclass(frozen=True)
class Outcome:
    correct: bool
    error_type: str | None = None
    feedback: str = ""  # i18n key under quest.feedback.
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Task:
    id: str
    skill: str
    xp: int
    # A task made of several answers (e.g. one verdict per kind of forgery) is done only when
    # every part has been answered right; events carry the part in payload["part"].
    parts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Level:
    id: str
    number: int
    tasks: tuple[Task, ...]

    @property
    def xp(self) -> int:
        return sum(t.xp for t in self.tasks)


LEVELS: tuple[Level, ...] = (
    Level("hashing", 1, (
        Task("avalanche", "chain.hashing", 20),
        Task("find_prefix", "chain.hashing", 30),
        Task("keccak_vs_sha", "chain.hashing", 10),
    )),
    Level("blocks", 2, (
        Task("find_tampered", "chain.blocks", 20),
        Task("repair_chain", "chain.blocks", 30),
    )),
    Level("pow", 3, (
        Task("predict_attempts", "chain.pow", 20),
        Task("mine_block", "chain.pow", 30),
    )),
    Level("keys", 4, (
        Task("derive_address", "chain.signatures", 20),
        Task("spot_forgery", "chain.signatures", 40,
             ("genuine", "message_changed", "other_signer", "malformed")),
    )),
    Level("transactions", 5, (
        Task("send_eth", "chain.transactions", 20),
        Task("fix_failed_tx", "chain.gas", 30),
        Task("mine_mempool", "chain.transactions", 40),
    )),
    Level("contracts", 6, (
        Task("deploy_token", "chain.contracts", 30),
        Task("class_ballot", "chain.contracts", 30, ("vote", "winner")),
        Task("exploit_bank", "chain.contracts", 60, ("find_bug", "exploit", "fix")),
    )),
    Level("consensus", 7, (
        Task("longest_chain", "chain.consensus", 30),
        Task("double_spend", "chain.consensus", 50, ("confirmations", "majority")),
    )),
)  # fmt: skip
TASKS: dict[str, Task] = {t.id: t for level in LEVELS for t in level.tasks}


# --- level 1: hashing -------------------------------------------------------------------------


def check_avalanche(a: str, b: str, guessed_share: float) -> Outcome:
    """The student guesses which share of the 256 bits a small input change flips."""
    actual = avalanche(a, b).share
    if abs(guessed_share - actual) <= 0.15:
        return Outcome(True, feedback="avalanche_right", params={"percent": round(100 * actual)})
    error = "expects_small_change" if guessed_share < actual else "expects_total_change"
    return Outcome(False, error, "avalanche_wrong", {"percent": round(100 * actual)})


def check_prefix_answer(text: str, prefix: str, algorithm: Algorithm = "sha256") -> Outcome:
    target = check_prefix(prefix)
    if not text:
        return Outcome(False, "empty_input", "prefix_empty", {"prefix": target})
    got = digest(text, algorithm)
    params = {"hash": got, "prefix": target}
    if got.startswith(target):
        return Outcome(True, feedback="prefix_right", params=params)
    if got.endswith(target):
        return Outcome(False, "prefix_at_wrong_end", "prefix_wrong_end", params)
    return Outcome(False, "prefix_not_met", "prefix_wrong", params)


def check_keccak_vs_sha(text: str, picked: Algorithm, shown_hash: str) -> Outcome:
    """Which function made this hash? (Ethereum uses Keccak-256, not SHA-256.)"""
    truth: Algorithm = "keccak256" if digest(text, "keccak256") == shown_hash else "sha256"
    if picked == truth:
        return Outcome(True, feedback="algorithm_right")
    return Outcome(False, "algorithm_confused", "algorithm_wrong", {"truth": truth})


# --- level 2: blocks and the chain ------------------------------------------------------------


def check_tampered_pick(
    ledger: Ledger, picked: int, recomputed: Collection[int] | None = None
) -> Outcome:
    """Name the changed block. With `recomputed` (the blocks whose seals the learner recomputed),
    naming a block whose seal was never recomputed is a guess (one in four is right by luck), not
    a finding: it is graded as such, whichever block it names."""
    truth = ledger.validate()
    if truth is None:
        return Outcome(picked < 0, None if picked < 0 else "saw_tamper_in_valid_chain", "chain_ok")
    if recomputed is not None and picked >= 0 and picked not in recomputed:
        return Outcome(False, "guessed_without_recomputing", "tamper_guessed", {"n": picked})
    if picked == truth:
        return Outcome(True, feedback="tamper_found", params={"index": truth})
    error = "picked_later_block" if picked > truth else "picked_earlier_block"
    return Outcome(False, error, "tamper_missed", {"index": truth})


def check_repaired(ledger: Ledger) -> Outcome:
    bad = ledger.validate()
    if bad is None:
        return Outcome(True, feedback="chain_repaired")
    problem = ledger.block_problem(bad) or "hash_mismatch"
    error = "broken_link_left" if problem == "broken_link" else "block_not_remined"
    return Outcome(False, error, "chain_still_broken", {"index": bad})


# --- level 3: proof of work -------------------------------------------------------------------


def check_attempts_guess(difficulty: int, guess: int) -> Outcome:
    """Expected tries for a d-digit zero prefix are 16**d: each digit multiplies by 16."""
    truth = expected_attempts(difficulty)
    if truth / 2 <= guess <= truth * 2:
        return Outcome(True, feedback="attempts_right", params={"expected": truth})
    linear = 16 * difficulty
    error = (
        "linear_not_exponential"
        if abs(guess - linear) < abs(guess - truth)
        else "order_of_magnitude"
    )
    return Outcome(False, error, "attempts_wrong", {"expected": truth})


def check_mined_block(ledger: Ledger, result: MineResult, difficulty: int) -> Outcome:
    """A mined block must really meet its target: re-check it, never trust the miner."""
    params = {"tries": result.attempts, "expected": result.expected_attempts}
    block = ledger.blocks[result.index]
    if ledger.block_problem(result.index) is None and block.hash.startswith("0" * difficulty):
        return Outcome(True, feedback="mined", params=params)
    return Outcome(False, "target_not_met", "not_mined", params)


# --- level 4: keys and signatures -------------------------------------------------------------


def check_address_answer(true_address: str, answer: str) -> Outcome:
    if answer.strip().lower() == true_address.lower():
        return Outcome(True, feedback="address_right")
    if len(answer.strip()) == 66:
        return Outcome(False, "gave_private_key_or_hash", "address_wrong")
    return Outcome(False, "address_mismatch", "address_wrong")


def check_forgery_verdict(puzzle: Puzzle, answer: Verdict) -> Outcome:
    if answer == puzzle.truth:
        return Outcome(True, feedback=f"verdict_{puzzle.truth}")
    if puzzle.truth == "malformed" and answer == "genuine":
        error = "confused_hash_with_signature"
    elif answer == "genuine":
        error = "accepted_forged"
    elif puzzle.truth == "genuine":
        error = "rejected_genuine"
    else:
        error = "wrong_forgery_reason"
    return Outcome(False, error, f"verdict_{puzzle.truth}")
