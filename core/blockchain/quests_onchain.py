"""Checkers for levels 5-7, the levels played on a real chain (core.blockchain.chain), with
contracts (contracts_lib) and on a simulated network (consensus, double_spend).

As in core.blockchain.quests, a checker turns what happened into an Outcome whose error type
names the misconception. On the chain "what happened" is a TxResult: its error code (nonce
reused, gas too low, fee below the base fee...) already *is* the misconception, and a revert
reason from a contract is mapped to a short code so the teacher's table counts "voted twice",
not a sentence in English.
"""

from __future__ import annotations

import copy
import hashlib
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from core.blockchain.chain_types import ERROR_CODES, TRANSFER_GAS, CallResult, TxResult
from core.blockchain.consensus import Network
from core.blockchain.double_spend import exact_probability
from core.blockchain.quests import Outcome

ETHER = 10**18
GWEI = 10**9
MAX_ETHER = Decimal(1_000_000)  # more than any learner wallet holds; beyond it is a typo
HAT_PRICE_WEI = 25 * 10**16  # level 5: a felt hat from the village shop costs 0.25 ETH
MEMPOOL_MIN_TXS = 3
RISK_TARGET = 0.01  # level 7: the merchant accepts at most a 1% chance of being robbed


def ether_to_wei(amount: str | float | Decimal) -> int:
    """Ether as a learner types it ("0.25", "1,5") -> wei, exactly; ValueError when it is not a
    positive amount with at most 18 decimals. Floats go through str() so 0.1 stays 0.1."""
    text = str(amount).strip().replace(",", ".").replace(" ", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"not a number: {amount!r}") from None
    if not value.is_finite() or value <= 0 or value > MAX_ETHER:
        raise ValueError(f"out of range: {amount!r}")
    wei = value * ETHER
    if wei != wei.to_integral_value():
        raise ValueError(f"more than 18 decimals: {amount!r}")
    return int(wei)


def gwei_to_wei(amount: float | str | Decimal) -> int:
    """Gas prices as typed in gwei (0 allowed: a tip may be zero) -> wei, rounded down."""
    value = Decimal(str(amount).strip().replace(",", "."))
    if not value.is_finite() or value < 0:
        raise ValueError(f"not a gas price: {amount!r}")
    return int(value * GWEI)


def format_ether(wei: int, places: int = 4) -> str:
    """Wei as ether with a fixed number of decimals, cut (never rounded up: a balance shown
    must be spendable)."""
    scaled = Decimal(wei) / ETHER
    return f"{scaled.quantize(Decimal(1).scaleb(-places), rounding='ROUND_DOWN'):.{places}f}"


def tx_outcome_params(result: TxResult) -> dict[str, Any]:
    """The numbers feedback quotes: fee in gwei-precise ether, block, gas used."""
    params: dict[str, Any] = dict(result.params)
    if result.fee_wei is not None:
        params["fee"] = format_ether(result.fee_wei, 6)
    if result.block_number is not None:
        params["block"] = result.block_number
    if result.gas_used is not None:
        params["gas"] = result.gas_used
    return params


def failed(result: TxResult | CallResult) -> Outcome:
    return Outcome(False, error_code(result), "tx_failed", {"reason": result.detail or ""})


# --- level 5: transactions, gas and the mempool -----------------------------------------------


def check_payment(
    result: TxResult,
    to_name: str | None,
    value_wei: int,
    want_to: str = "shop",
    want_wei: int = HAT_PRICE_WEI,
) -> Outcome:
    """Pay the shop for the hat. A payment to the wrong place still went through: on a chain
    nobody can take it back, which is the lesson of the error."""
    if not result.ok:
        return failed(result)
    params = tx_outcome_params(result)
    if to_name != want_to:
        return Outcome(False, "wrong_recipient", "paid_wrong", params)
    if value_wei != want_wei:
        return Outcome(False, "wrong_amount", "paid_wrong", params)
    return Outcome(True, feedback="paid", params=params)


BrokenKind = Literal["nonce_reused", "nonce_too_high", "insufficient_gas", "fee_too_low"]
BROKEN_KINDS: tuple[BrokenKind, ...] = ("nonce_reused", "insufficient_gas", "fee_too_low")


@dataclass(frozen=True)
class BrokenTx:
    """A transaction filled in wrongly by a buggy wallet app; the learner must repair it."""

    kind: BrokenKind
    nonce: int
    gas: int
    max_fee_wei: int
    tip_wei: int

    @property
    def id(self) -> str:
        """Names this exact problem: the repair form is keyed by it, so a new problem (after
        another payment used up a nonce or moved the base fee) starts with its own values."""
        text = f"{self.kind}:{self.nonce}:{self.gas}:{self.max_fee_wei}:{self.tip_wei}"
        return hashlib.sha256(text.encode()).hexdigest()[:10]


def broken_tx(kind: BrokenKind, next_nonce: int, base_fee: int) -> BrokenTx:
    """Exactly one field is wrong. A wallet that never sent anything cannot reuse a nonce, so
    it gets a nonce from the future instead (the other nonce mistake)."""
    good_fee = 2 * base_fee + GWEI
    if kind == "nonce_reused" and next_nonce == 0:
        kind = "nonce_too_high"
    nonce = {"nonce_reused": next_nonce - 1, "nonce_too_high": next_nonce + 2}.get(kind, next_nonce)
    gas = 20_000 if kind == "insufficient_gas" else TRANSFER_GAS
    max_fee = base_fee // 2 if kind == "fee_too_low" else good_fee
    return BrokenTx(kind, nonce, gas, max_fee, min(GWEI, max_fee))


PRACTICE_PRICES_WEI: tuple[int, ...] = tuple(n * 5 * 10**16 for n in (1, 2, 3, 5, 7, 9))


def practice_payment(seed: int) -> tuple[str, int]:
    """A practice round's payment: to whom (a wallet name) and exactly how much, from a seed."""
    rng = random.Random(seed)
    return rng.choice(("shop", "friend")), rng.choice(PRACTICE_PRICES_WEI)


def check_fixed_tx(result: TxResult) -> Outcome:
    if result.ok:
        return Outcome(True, feedback="tx_fixed", params=tx_outcome_params(result))
    return failed(result)


def check_mined_block(block: Mapping[str, Any], miner_address: str) -> Outcome:
    """Mine a block of at least MEMPOOL_MIN_TXS transactions and keep the tips yourself."""
    txs = int(block.get("tx_count", 0))
    params = {"txs": txs, "tips": format_ether(int(block.get("tips_wei", 0)), 6)}
    if txs == 0:
        return Outcome(False, "mined_empty_block", "block_small", params)
    if txs < MEMPOOL_MIN_TXS:
        return Outcome(False, "block_too_small", "block_small", params)
    if str(block.get("miner", "")).lower() != miner_address.lower():
        return Outcome(False, "tips_to_other", "tips_elsewhere", params)
    return Outcome(True, feedback="block_mined", params=params)


# --- level 6: contracts -----------------------------------------------------------------------

REVERT_ERRORS: dict[str, str] = {
    "only the teacher can reward": "not_owner",
    "only the teacher can add proposals": "not_owner",
    "only the owner": "not_owner",
    "already voted": "voted_twice",
    "no such proposal": "no_such_proposal",
    "voting has started": "voting_started",
    "not enough points": "not_enough_points",
    "not enough saved": "not_enough_saved",
    "send some coins": "empty_deposit",
    "no receiver address": "zero_address",
    "no student address": "zero_address",
    "no new owner": "zero_address",
}


def error_code(result: TxResult | CallResult) -> str:
    """The code a failure is counted and explained by: a contract's revert reason becomes its
    own code (quest.error.voted_twice...), anything else keeps the chain's code."""
    if result.error == "reverted":
        return REVERT_ERRORS.get((result.detail or "").strip(), "reverted")
    return result.error or "unknown_error"


def check_contract_tx(result: TxResult, feedback: str = "contract_ok") -> Outcome:
    if result.ok:
        return Outcome(True, feedback=feedback, params=tx_outcome_params(result))
    return failed(result)


MAX_PROPOSALS = 10  # the ballot contract's MAX_PROPOSALS
MAX_TITLE_BYTES = 32  # String[32] counts bytes: a Cyrillic letter takes two


def parse_proposals(text: str) -> list[str]:
    """The ballot's options, one per line; ValueError(code) names what is wrong with them:
    too_few, too_many, too_long or repeated."""
    titles = [line.strip() for line in text.splitlines() if line.strip()]
    if len(titles) < 2:
        raise ValueError("too_few")
    if len(titles) > MAX_PROPOSALS:
        raise ValueError("too_many")
    if any(len(t.encode("utf-8")) > MAX_TITLE_BYTES for t in titles):
        raise ValueError("too_long")
    if len(set(titles)) != len(titles):
        raise ValueError("repeated")
    return titles


def check_winner(picked: int, votes: Sequence[int]) -> Outcome:
    """Predict the ballot's winner from the Voted events; a tie goes to the earlier option.
    A wrong prediction does not name the winner: the learner predicts again, and a prediction
    made after being told the answer would measure nothing."""
    if not votes or not any(votes):
        return Outcome(False, "no_votes_yet", "winner_wrong")
    truth = max(range(len(votes)), key=lambda i: (votes[i], -i))
    if picked == truth:
        return Outcome(True, feedback="winner_right", params={"n": truth + 1})
    tie = 0 <= picked < len(votes) and votes[picked] == votes[truth]
    return Outcome(False, "tie_rule" if tie else "misread_votes", "winner_wrong")


def check_vote(result: TxResult) -> Outcome:
    """Every vote is an answer: one that goes through is right; one the contract refuses is
    the misconception its revert names (a second vote from the same account: voted_twice)."""
    return check_contract_tx(result, "voted")


BANK_FUNCTIONS = ("deposit", "withdraw", "change_owner", "sweep")


def check_bug_pick(function: str) -> Outcome:
    """Which function lets a stranger take the savings?"""
    if function == "change_owner":
        return Outcome(True, feedback="bug_found")
    error = "blamed_guarded_function" if function == "sweep" else "blamed_safe_function"
    return Outcome(False, error, "bug_missed")


def check_heist(bank_balance_wei: int, owner: str, attacker: str) -> Outcome:
    """The exploit is done when the attacker owns the bank and it is empty."""
    params = {"left": format_ether(bank_balance_wei)}
    if owner.lower() != attacker.lower():
        return Outcome(False, "not_owner_yet", "heist_unfinished", params)
    if bank_balance_wei > 0:
        return Outcome(False, "forgot_sweep", "heist_unfinished", params)
    return Outcome(True, feedback="heist_done", params=params)


# The candidate patches, as Vyper lines; only the first closes the hole.
FIXES: dict[str, tuple[str, str]] = {
    "owner_check": ("change_owner", 'assert msg.sender == self.owner, "only the owner"'),
    "sweep_check": ("sweep", 'assert msg.sender == self.owner, "only the owner"'),
    "not_self": ("change_owner", 'assert new_owner != msg.sender, "not yourself"'),
    "withdraw_owner": ("withdraw", 'assert msg.sender == self.owner, "only the owner"'),
}
FIX_ERRORS = {
    "sweep_check": "fix_already_there",
    "not_self": "fix_bypassable",
    "withdraw_owner": "fix_wrong_function",
}


def check_fix(choice: str) -> Outcome:
    if choice == "owner_check":
        return Outcome(True, feedback="fix_right")
    return Outcome(False, FIX_ERRORS.get(choice, "fix_wrong_function"), "fix_wrong")


# --- level 7: consensus and attacks -----------------------------------------------------------

Branch = Literal["a", "b"]
ForkAnswer = Literal["a", "b", "split"]


@dataclass
class ForkScenario:
    """Two villages find a block at the same moment; the network splits; then one more block
    is found on one side. Nodes switch only to a strictly longer chain (Network._receive)."""

    network: Network
    tips: dict[Branch, str]
    finder: str  # who found the block that breaks the tie
    extended: str  # that block; not yet delivered to the others


def staged_fork(seed: int) -> ForkScenario:
    """Two villages find a block at once; the one whose block arrives first keeps the other two
    villages, so the tie splits the network three to one. The tie-breaking block is always found
    on the *minority* branch: only then do "most villages win" and "the longest chain wins" give
    different answers, so a wrong pick says which rule the learner believes. Which villages mine
    and whether the longer branch is drawn as A or B come from the seed."""
    network = Network.create(n_honest=4, latency=2, seed=seed)
    rng = random.Random(seed)
    first, second = rng.sample([n.name for n in network.honest_nodes], 2)
    majority = network.mine_block(first)[0]["block"]  # delivered first: three villages keep it
    minority = network.mine_block(second)[0]["block"]
    network.settle()
    side: Branch = "b" if rng.random() < 0.5 else "a"  # the branch that will win
    tips: dict[Branch, str] = (
        {"a": minority, "b": majority} if side == "a" else {"a": majority, "b": minority}
    )
    finder = next(n.name for n in network.honest_nodes if n.tip == minority)
    extended = network.mine_block(finder)[0]["block"]
    return ForkScenario(network, tips, finder, extended)


def majority_branch(scenario: ForkScenario) -> Branch | None:
    """The branch most villages held when the new block was found (None on an even split)."""
    network = scenario.network
    counts = {
        side: sum(1 for n in network.honest_nodes if tip in network.chain(n.tip))
        for side, tip in scenario.tips.items()
    }
    best = max(counts.values())
    leaders = [side for side, n in counts.items() if n == best]
    return leaders[0] if len(leaders) == 1 else None


def fork_outcome(scenario: ForkScenario) -> ForkAnswer:
    """What the network agrees on once the new block has reached everyone."""
    future = copy.deepcopy(scenario.network)
    future.settle()
    if not future.converged():
        return "split"
    chain = set(future.main_chain())
    return "a" if scenario.tips["a"] in chain else "b"


def check_fork_choice(scenario: ForkScenario, picked: ForkAnswer) -> Outcome:
    truth = fork_outcome(scenario)
    if picked == truth:
        return Outcome(True, feedback="fork_right", params={"branch": truth.upper()})
    if picked == "split":
        error = "forks_persist"
    else:
        holders = sum(1 for n in scenario.network.honest_nodes if n.tip == scenario.tips[picked])
        error = (
            "majority_of_nodes_wins"
            if holders * 2 > len(scenario.network.nodes)
            else ("first_seen_wins")
        )
    return Outcome(False, error, "fork_wrong", {"branch": truth.upper()})


def minimal_confirmations(q: float, target: float = RISK_TARGET, limit: int = 200) -> int | None:
    """Fewest confirmations that push the attacker's chance below `target`; None when no
    number is enough (a majority attacker always catches up)."""
    for z in range(limit + 1):
        if exact_probability(q, z) < target:
            return z
    return None


def check_confirmations(q: float, z: int, target: float = RISK_TARGET) -> Outcome:
    risk = exact_probability(q, z)
    need = minimal_confirmations(q, target)
    params = {"risk": f"{100 * risk:.2f}", "need": need if need is not None else "∞", "z": z}
    if risk < target:
        return Outcome(True, feedback="confirmations_right", params=params)
    return Outcome(False, "too_few_confirmations", "confirmations_wrong", params)


MAJORITY_ANSWERS = ("six", "sixty", "none")


def check_majority(answer: str) -> Outcome:
    """With more than half the hash power, can any number of confirmations protect a seller?"""
    if answer == "none":
        return Outcome(True, feedback="majority_right")
    return Outcome(False, "confirmations_stop_majority", "majority_wrong")


# Every error type levels 5-7 can record, per level: the teacher's table and the translations
# (misconceptions.<code> for the teacher, quest.error.<code> for the learner) cover exactly these.
VOCABULARY: dict[str, tuple[str, ...]] = {
    "transactions": (
        *ERROR_CODES,
        "wrong_recipient",
        "wrong_amount",
        "mined_empty_block",
        "block_too_small",
        "tips_to_other",
    ),
    "contracts": (
        *ERROR_CODES,
        *sorted(set(REVERT_ERRORS.values())),
        "no_votes_yet",
        "tie_rule",
        "misread_votes",
        "blamed_guarded_function",
        "blamed_safe_function",
        "not_owner_yet",
        "forgot_sweep",
        *sorted(set(FIX_ERRORS.values())),
    ),
    "consensus": (
        "forks_persist",
        "majority_of_nodes_wins",
        "first_seen_wins",
        "too_few_confirmations",
        "confirmations_stop_majority",
    ),
}
