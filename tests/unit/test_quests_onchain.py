"""Levels 5-7: checkers over real chain results (nonce reuse, gas, fees, reverts), the
contracts of the quest, the staged fork and the double-spend confirmations."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.blockchain import contracts_lib as lib
from core.blockchain.chain import LearnerChain, TxResult
from core.blockchain.double_spend import exact_probability
from core.blockchain.ledger import Ledger
from core.blockchain.quests import check_mined_block as check_pow_block
from core.blockchain.quests_onchain import (
    BROKEN_KINDS,
    ETHER,
    HAT_PRICE_WEI,
    REVERT_ERRORS,
    VOCABULARY,
    broken_tx,
    check_bug_pick,
    check_confirmations,
    check_contract_tx,
    check_fix,
    check_fixed_tx,
    check_fork_choice,
    check_heist,
    check_majority,
    check_mined_block,
    check_payment,
    check_vote,
    check_winner,
    error_code,
    ether_to_wei,
    fork_outcome,
    format_ether,
    gwei_to_wei,
    majority_branch,
    minimal_confirmations,
    parse_proposals,
    practice_payment,
    staged_fork,
)
from core.i18n import has_key


@pytest.mark.parametrize(
    ("text", "wei"),
    [("0.25", HAT_PRICE_WEI), ("0,25", HAT_PRICE_WEI), (0.1, ETHER // 10), ("1", ETHER),
     (Decimal("0.000000000000000001"), 1)],
)  # fmt: skip
def test_ether_amounts_are_exact(text: str | float | Decimal, wei: int) -> None:
    assert ether_to_wei(text) == wei


@pytest.mark.parametrize(
    "text", ["", "abc", "-1", "0", "nan", "inf", "1e30", "0.0000000000000000001"]
)
def test_bad_ether_amounts_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        ether_to_wei(text)


def test_paying_the_shop(fresh: LearnerChain) -> None:
    right = fresh.send("me", "shop", HAT_PRICE_WEI)
    assert check_payment(right, "shop", HAT_PRICE_WEI).correct
    assert check_payment(right, "friend", HAT_PRICE_WEI).error_type == "wrong_recipient"
    assert check_payment(right, "shop", ETHER).error_type == "wrong_amount"
    broke = fresh.send("me", "shop", 10_000 * ETHER)
    outcome = check_payment(broke, "shop", 10_000 * ETHER)
    assert not outcome.correct and outcome.error_type == "insufficient_funds"


@pytest.mark.parametrize("kind", [*BROKEN_KINDS, "nonce_too_high"])
def test_each_broken_transaction_fails_for_its_reason_and_the_fix_passes(
    fresh: LearnerChain, kind: str
) -> None:
    fresh.send("me", "friend", ETHER)  # so "me" has a nonce to reuse
    tx = broken_tx(kind, fresh.nonce("me"), fresh.base_fee())  # type: ignore[arg-type]
    result = fresh.send(
        "me", "friend", ETHER // 10, gas=tx.gas, nonce=tx.nonce, tip_wei=tx.tip_wei,
        max_fee_wei=tx.max_fee_wei,
    )  # fmt: skip
    outcome = check_fixed_tx(result)
    assert not outcome.correct and outcome.error_type == tx.kind == kind
    repaired = fresh.send("me", "friend", ETHER // 10, nonce=fresh.nonce("me"))
    assert check_fixed_tx(repaired).correct


def test_a_wallet_without_history_gets_a_future_nonce_instead() -> None:
    assert broken_tx("nonce_reused", 0, 10**9).kind == "nonce_too_high"


def test_mining_the_mempool_pays_tips_to_the_miner(fresh: LearnerChain) -> None:
    fresh.set_auto_mine(False)
    me = fresh.wallets()["me"]
    assert check_mined_block(fresh.mine("me"), me).error_type == "mined_empty_block"
    fresh.send("friend", "shop", ETHER, tip_wei=3 * 10**9)
    assert check_mined_block(fresh.mine("me"), me).error_type == "block_too_small"
    for sender, tip in [("friend", 1), ("shop", 2), ("friend", 5)]:
        fresh.send(sender, "me", ETHER, tip_wei=tip * 10**9)
    assert check_mined_block(fresh.mine("friend"), me).error_type == "tips_to_other"
    for sender, tip in [("friend", 1), ("shop", 2), ("friend", 5)]:
        fresh.send(sender, "shop", ETHER, tip_wei=tip * 10**9)
    block = fresh.mine("me")
    outcome = check_mined_block(block, me)
    assert outcome.correct and block["tips_wei"] == 21_000 * 8 * 10**9


def test_contract_reverts_become_friendly_translated_codes(fresh: LearnerChain) -> None:
    token = lib.compile_contract("quiz_token")
    deployed = fresh.deploy(token.abi, token.bytecode, "me", "Apples", "APL")
    assert deployed.ok and deployed.contract_address
    address = deployed.contract_address
    reward = fresh.transact(address, token.abi, "reward", fresh.wallets()["friend"], 5)
    assert check_contract_tx(reward).correct
    stolen = fresh.transact(
        address, token.abi, "reward", fresh.wallets()["friend"], 5, sender="friend"
    )
    outcome = check_contract_tx(stolen)
    assert outcome.error_type == "not_owner" and outcome.params["reason"]
    # with an explicit gas limit the failing call is mined and paid for
    paid = fresh.transact(
        address, token.abi, "transfer", fresh.wallets()["me"], 99, sender="shop", gas=60_000
    )
    assert paid.block_number is not None and error_code(paid) == "not_enough_points"
    starved = fresh.transact(address, token.abi, "reward", fresh.wallets()["shop"], 1, gas=22_000)
    assert error_code(starved) == "out_of_gas"
    for code in {*REVERT_ERRORS.values(), "out_of_gas", "reverted"}:
        assert code in VOCABULARY["contracts"]
        assert has_key(f"quest.error.{code}") and has_key(f"misconceptions.{code}"), code


def test_voting_twice_is_refused_and_the_winner_rule(fresh: LearnerChain) -> None:
    ballot = lib.compile_contract("class_ballot")
    address = fresh.deploy(ballot.abi, ballot.bytecode, "me", ["Charyn", "Kolsai"]).contract_address
    assert address is not None
    assert check_contract_tx(fresh.transact(address, ballot.abi, "vote", 1)).correct
    again = fresh.transact(address, ballot.abi, "vote", 0)
    assert error_code(again) == "voted_twice"
    assert error_code(fresh.transact(address, ballot.abi, "vote", 7, sender="friend")) == (
        "no_such_proposal"
    )
    assert check_winner(1, [0, 1]).correct
    assert check_winner(0, [0, 1]).error_type == "misread_votes"
    assert check_winner(1, [1, 1]).error_type == "tie_rule"
    assert check_winner(0, []).error_type == "no_votes_yet"


def test_piggy_bank_exploit_and_fix(fresh: LearnerChain) -> None:
    bank = lib.compile_contract("piggy_bank_vulnerable")
    address = fresh.deploy(bank.abi, bank.bytecode, "friend").contract_address
    assert address is not None
    fresh.transact(address, bank.abi, "deposit", sender="shop", value=2 * ETHER)
    me = fresh.wallets()["me"]
    owner = fresh.call(address, bank.abi, "owner").value
    assert check_heist(fresh.balance(address), owner, me).error_type == "not_owner_yet"
    assert error_code(fresh.transact(address, bank.abi, "sweep")) == "not_owner"
    assert fresh.transact(address, bank.abi, "change_owner", me).ok
    owner = fresh.call(address, bank.abi, "owner").value
    assert check_heist(fresh.balance(address), owner, me).error_type == "forgot_sweep"
    assert fresh.transact(address, bank.abi, "sweep").ok
    assert check_heist(fresh.balance(address), owner, me).correct

    fixed = lib.compile_contract("piggy_bank_fixed")
    safe = fresh.deploy(fixed.abi, fixed.bytecode, "friend").contract_address
    assert safe is not None
    assert error_code(fresh.transact(safe, fixed.abi, "change_owner", me)) == "not_owner"

    assert check_bug_pick("change_owner").correct
    assert check_bug_pick("sweep").error_type == "blamed_guarded_function"
    assert check_bug_pick("deposit").error_type == "blamed_safe_function"
    assert check_fix("owner_check").correct
    assert check_fix("not_self").error_type == "fix_bypassable"
    assert check_fix("sweep_check").error_type == "fix_already_there"


@pytest.mark.parametrize("seed", range(12))
def test_staged_fork_resolves_to_the_longer_branch(seed: int) -> None:
    scenario = staged_fork(seed)
    network = scenario.network
    assert not network.converged()  # the tie split the villages
    truth = fork_outcome(scenario)
    assert scenario.tips[truth] in network.chain(scenario.extended)
    assert check_fork_choice(scenario, truth).correct
    assert check_fork_choice(scenario, "split").error_type == "forks_persist"
    other = "b" if truth == "a" else "a"
    # the block is found on the branch fewer villages hold: "most villages win" and "the
    # longest chain wins" give different answers, and picking the former says so
    assert majority_branch(scenario) == other
    assert check_fork_choice(scenario, other).error_type == "majority_of_nodes_wins"
    assert not network.converged()  # checking did not deliver the block


def test_staged_forks_draw_the_winner_on_either_side() -> None:
    """The longer branch is A in some rounds and B in others: its label gives nothing away."""
    assert {fork_outcome(staged_fork(seed)) for seed in range(12)} == {"a", "b"}
    assert len({staged_fork(seed).finder for seed in range(12)}) > 1


def test_a_wrong_winner_prediction_does_not_give_the_winner_away() -> None:
    wrong = check_winner(0, [0, 2, 1])
    assert (wrong.correct, wrong.error_type, wrong.params) == (False, "misread_votes", {})
    assert check_winner(1, [0, 2, 1]).params == {"n": 2}  # named once predicted right
    assert check_winner(0, [0, 0, 0]).error_type == "no_votes_yet"  # a tie of nothing


def test_a_refused_second_vote_is_graded_as_voting_twice(fresh: LearnerChain) -> None:
    ballot = lib.compile_contract("class_ballot")
    deployed = fresh.deploy(ballot.abi, ballot.bytecode, "me", ["Charyn", "Kolsai"])
    assert deployed.contract_address is not None
    address = deployed.contract_address
    assert check_vote(fresh.transact(address, ballot.abi, "vote", 1)).correct
    again = check_vote(fresh.transact(address, ballot.abi, "vote", 0))
    assert (again.correct, again.error_type) == (False, "voted_twice")


def test_each_broken_transaction_has_its_own_id() -> None:
    base = broken_tx("nonce_reused", 3, 10**9)
    assert base.id == broken_tx("nonce_reused", 3, 10**9).id
    assert base.id != broken_tx("nonce_reused", 4, 10**9).id  # another nonce used up
    assert base.id != broken_tx("fee_too_low", 3, 10**9).id
    assert base.id != broken_tx("nonce_reused", 3, 2 * 10**9).id  # the base fee moved


def test_practice_payments_come_from_the_seed() -> None:
    assert practice_payment(7) == practice_payment(7)
    payments = {practice_payment(seed) for seed in range(30)}
    assert {to for to, _ in payments} == {"shop", "friend"} and len(payments) > 4
    assert all(wei > 0 for _, wei in payments)


def test_confirmations_against_the_exact_race() -> None:
    need = minimal_confirmations(0.1)
    assert need is not None and exact_probability(0.1, need) < 0.01
    assert exact_probability(0.1, need - 1) >= 0.01
    assert check_confirmations(0.1, need).correct
    assert check_confirmations(0.1, need - 1).error_type == "too_few_confirmations"
    assert minimal_confirmations(0.55) is None
    assert check_confirmations(0.55, 100).error_type == "too_few_confirmations"
    assert check_majority("none").correct
    assert check_majority("sixty").error_type == "confirmations_stop_majority"


def test_proof_of_work_block_is_rechecked() -> None:
    ledger = Ledger(difficulty=0)
    ledger.add_block("wool")
    result = ledger.mine(1, 2)
    assert check_pow_block(ledger, result, 2).correct
    ledger.edit(1, "stolen wool")
    assert check_pow_block(ledger, result, 2).error_type == "target_not_met"


def test_fixed_tx_feedback_quotes_the_fee() -> None:
    outcome = check_fixed_tx(TxResult(ok=True, tx_hash="0x1", block_number=3, gas_used=21_000,
                                      fee_wei=21_000 * 10**9))  # fmt: skip
    assert outcome.params == {"fee": "0.000021", "block": 3, "gas": 21_000}


def test_gas_prices_and_ether_display() -> None:
    assert gwei_to_wei("1.5") == 1_500_000_000 and gwei_to_wei(0) == 0
    with pytest.raises(ValueError):
        gwei_to_wei("-1")
    assert format_ether(HAT_PRICE_WEI) == "0.2500"
    assert format_ether(ETHER - 1, 2) == "0.99"  # cut, never rounded up


def test_ballot_options_are_checked_before_deploying() -> None:
    assert parse_proposals(" Charyn \n\nKolsai\n") == ["Charyn", "Kolsai"]
    for text, code in [
        ("one", "too_few"),
        ("\n".join(map(str, range(11))), "too_many"),
        ("Шарын шатқалы мен Көлсай көлдері\nB", "too_long"),
        ("A\nA", "repeated"),
    ]:
        with pytest.raises(ValueError, match=code):
            parse_proposals(text)
