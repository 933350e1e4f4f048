"""Level 6 contracts on a real (in-memory) EVM: the behaviour students are told about must hold.

One chain per module keeps the suite fast; every test deploys its own contracts, so tests only
share account balances and compare before/after values.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from core.blockchain import contracts_lib
from core.blockchain.contracts_lib import compile_contract, deploy, exploit_steps

if TYPE_CHECKING:
    from eth_typing import ChecksumAddress
    from web3 import Web3

ETHER = 10**18
ZERO = "0x0000000000000000000000000000000000000000"


@pytest.fixture(scope="module")
def w3() -> Iterator[Web3]:
    from web3 import EthereumTesterProvider, Web3

    yield Web3(EthereumTesterProvider())


@pytest.fixture(scope="module")
def accounts(w3: Web3) -> list[ChecksumAddress]:
    return list(w3.eth.accounts)


def reverted() -> type[Exception]:
    from eth_tester.exceptions import TransactionFailed  # type: ignore[import-untyped]

    return TransactionFailed  # type: ignore[no-any-return]


def fee(w3: Web3, tx_hash: Any) -> int:
    receipt = w3.eth.wait_for_transaction_receipt(tx_hash)
    return int(receipt["gasUsed"]) * int(receipt["effectiveGasPrice"])


# --- the library ---------------------------------------------------------------------------


def test_every_contract_compiles() -> None:
    names = contracts_lib.available()
    assert names == [
        "class_ballot",
        "piggy_bank_fixed",
        "piggy_bank_vulnerable",
        "quiz_token",
    ]
    for name in names:
        compiled = compile_contract(name)
        assert compiled.name == name
        assert compiled.bytecode.startswith("0x") and len(compiled.bytecode) > 2
        int(compiled.bytecode, 16)
        assert any(item.get("type") == "function" for item in compiled.abi)


def test_compile_is_cached_and_accepts_the_suffix() -> None:
    assert compile_contract("quiz_token") is compile_contract("quiz_token.vy")
    assert "@deploy" in contracts_lib.source("quiz_token.vy")


@pytest.mark.parametrize("bad", ["nope", "../keys", "quiz_token.py", "", "contracts/quiz_token"])
def test_unknown_names_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="unknown contract"):
        compile_contract(bad)
    with pytest.raises(ValueError, match="unknown contract"):
        contracts_lib.source(bad)


def test_the_fix_is_one_owner_check() -> None:
    def code(name: str) -> list[str]:
        body = contracts_lib.source(name).split('"""', 2)[2]  # after the module docstring
        return [line for line in body.splitlines() if not line.strip().startswith("#")]

    diff = difflib.ndiff(code("piggy_bank_vulnerable"), code("piggy_bank_fixed"))
    changed = [line for line in diff if line.startswith(("+ ", "- "))]
    assert changed == ['+     assert msg.sender == self.owner, "only the owner"']


# --- quiz token ----------------------------------------------------------------------------


def test_quiz_token_reward_and_transfer(w3: Web3, accounts: list[ChecksumAddress]) -> None:
    teacher, alice, bob = accounts[0], accounts[1], accounts[2]
    token = deploy(w3, "quiz_token", "Quiz Points", "QP", sender=teacher)
    assert token.functions.name().call() == "Quiz Points"
    assert token.functions.symbol().call() == "QP"
    assert token.functions.decimals().call() == 0
    assert token.functions.owner().call() == teacher

    token.functions.reward(alice, 10).transact({"from": teacher})
    assert token.functions.balanceOf(alice).call() == 10
    assert token.functions.totalSupply().call() == 10

    with pytest.raises(reverted(), match="only the teacher can reward"):
        token.functions.reward(alice, 1_000).transact({"from": alice})
    with pytest.raises(reverted(), match="not enough points"):
        token.functions.transfer(bob, 11).transact({"from": alice})

    token.functions.transfer(bob, 4).transact({"from": alice})
    assert token.functions.balanceOf(alice).call() == 6
    assert token.functions.balanceOf(bob).call() == 4
    assert token.functions.totalSupply().call() == 10

    logs = token.events.Transfer.get_logs(from_block=0)
    assert [(e.args.sender, e.args.receiver, e.args.amount) for e in logs] == [
        (ZERO, alice, 10),
        (alice, bob, 4),
    ]


# --- class ballot --------------------------------------------------------------------------


def test_class_ballot(w3: Web3, accounts: list[ChecksumAddress]) -> None:
    teacher, a, b, c = accounts[0], accounts[1], accounts[2], accounts[3]
    ballot = deploy(w3, "class_ballot", ["Museum", "Mountains"], sender=teacher)
    with pytest.raises(reverted(), match="only the teacher can add proposals"):
        ballot.functions.add_proposal("Cinema").transact({"from": a})
    ballot.functions.add_proposal("Lake").transact({"from": teacher})
    assert ballot.functions.proposal_count().call() == 3
    assert ballot.functions.proposals(2).call() == "Lake"

    ballot.functions.vote(1).transact({"from": a})
    ballot.functions.vote(1).transact({"from": b})
    ballot.functions.vote(2).transact({"from": c})
    with pytest.raises(reverted(), match="already voted"):
        ballot.functions.vote(0).transact({"from": a})
    with pytest.raises(reverted(), match="no such proposal"):
        ballot.functions.vote(3).transact({"from": teacher})
    with pytest.raises(reverted(), match="voting has started"):
        ballot.functions.add_proposal("Cinema").transact({"from": teacher})

    assert ballot.functions.has_voted(a).call() is True
    assert ballot.functions.has_voted(teacher).call() is False
    assert [ballot.functions.votes(i).call() for i in range(3)] == [0, 2, 1]
    assert ballot.functions.total_votes().call() == 3
    assert ballot.functions.winner().call() == 1
    assert ballot.functions.winner_title().call() == "Mountains"

    voted = ballot.events.Voted.get_logs(from_block=0)
    assert [(e.args.voter, e.args.proposal) for e in voted] == [(a, 1), (b, 1), (c, 2)]
    added = ballot.events.ProposalAdded.get_logs(from_block=0)
    assert [e.args.title for e in added] == ["Museum", "Mountains", "Lake"]


def test_ballot_ties_and_empty(w3: Web3, accounts: list[ChecksumAddress]) -> None:
    empty = deploy(w3, "class_ballot", [])
    with pytest.raises(reverted(), match="no proposals"):
        empty.functions.winner().call()
    tie = deploy(w3, "class_ballot", ["A", "B"])
    tie.functions.vote(1).transact({"from": accounts[1]})
    tie.functions.vote(0).transact({"from": accounts[2]})
    assert tie.functions.winner_title().call() == "A"  # a tie goes to the earlier option


# --- piggy bank ----------------------------------------------------------------------------


def _fill(w3: Web3, bank: Any, savers: dict[ChecksumAddress, int]) -> None:
    for saver, amount in savers.items():
        bank.functions.deposit().transact({"from": saver, "value": amount})
    assert w3.eth.get_balance(bank.address) == sum(savers.values())


def test_vulnerable_piggy_bank_is_drained_by_an_outsider(
    w3: Web3, accounts: list[ChecksumAddress]
) -> None:
    teacher, alice, bob, mallory = accounts[0], accounts[1], accounts[2], accounts[5]
    bank = deploy(w3, "piggy_bank_vulnerable", sender=teacher)
    _fill(w3, bank, {alice: 3 * ETHER, bob: 5 * ETHER})
    assert bank.functions.deposits(mallory).call() == 0

    before = w3.eth.get_balance(mallory)
    with pytest.raises(reverted(), match="only the owner"):
        bank.functions.sweep().transact({"from": mallory})  # the front door is locked...
    spent = fee(w3, bank.functions.change_owner(mallory).transact({"from": mallory}))
    spent += fee(w3, bank.functions.sweep().transact({"from": mallory}))

    assert bank.functions.owner().call() == mallory
    assert w3.eth.get_balance(bank.address) == 0
    after = w3.eth.get_balance(mallory)
    assert after > before
    assert after == before - spent + 8 * ETHER
    with pytest.raises(reverted()):
        bank.functions.withdraw(3 * ETHER).transact({"from": alice})  # books say 3, coins gone

    changed = bank.events.OwnerChanged.get_logs(from_block=0)
    assert [(e.args.previous_owner, e.args.new_owner) for e in changed] == [(teacher, mallory)]
    swept = bank.events.Swept.get_logs(from_block=0)
    assert [(e.args.owner, e.args.amount) for e in swept] == [(mallory, 8 * ETHER)]


def test_fixed_piggy_bank_resists_and_still_serves_honest_users(
    w3: Web3, accounts: list[ChecksumAddress]
) -> None:
    teacher, alice, bob, mallory, next_teacher = accounts[0], *accounts[1:3], *accounts[5:7]
    bank = deploy(w3, "piggy_bank_fixed", sender=teacher)
    _fill(w3, bank, {alice: 3 * ETHER, bob: 5 * ETHER})

    with pytest.raises(reverted(), match="only the owner"):
        bank.functions.change_owner(mallory).transact({"from": mallory})
    with pytest.raises(reverted(), match="only the owner"):
        bank.functions.sweep().transact({"from": mallory})
    with pytest.raises(reverted(), match="not enough saved"):
        bank.functions.withdraw(1).transact({"from": mallory})
    assert bank.functions.owner().call() == teacher
    assert w3.eth.get_balance(bank.address) == 8 * ETHER

    before = w3.eth.get_balance(alice)
    spent = fee(w3, bank.functions.withdraw(2 * ETHER).transact({"from": alice}))
    assert w3.eth.get_balance(alice) == before - spent + 2 * ETHER
    assert bank.functions.deposits(alice).call() == 1 * ETHER
    with pytest.raises(reverted(), match="not enough saved"):
        bank.functions.withdraw(2 * ETHER).transact({"from": alice})
    withdrawn = bank.events.Withdrawn.get_logs(from_block=0)
    assert [(e.args.student, e.args.amount) for e in withdrawn] == [(alice, 2 * ETHER)]

    # The legitimate hand-over still works, and then only the new teacher may sweep.
    bank.functions.change_owner(next_teacher).transact({"from": teacher})
    with pytest.raises(reverted(), match="only the owner"):
        bank.functions.sweep().transact({"from": teacher})
    bank.functions.sweep().transact({"from": next_teacher})
    assert w3.eth.get_balance(bank.address) == 0


def _run_steps(w3: Web3, bank: Any, roles: dict[str, ChecksumAddress]) -> list[bool]:
    """Play the answer key literally; True for each step that reverted."""
    outcomes = []
    for step in exploit_steps():
        sender = roles[step.actor]
        args: list[Any] = []
        for arg in step.args:
            if arg in roles:
                args.append(roles[arg])
            else:
                assert arg == "deposits(student)"
                args.append(bank.functions.deposits(roles["student"]).call())
        call = getattr(bank.functions, step.function)(*args)
        try:
            call.transact({"from": sender, "value": step.value_wei})
        except reverted():
            outcomes.append(True)
        else:
            outcomes.append(False)
    return outcomes


def test_answer_key_matches_both_contracts(w3: Web3, accounts: list[ChecksumAddress]) -> None:
    roles = {"teacher": accounts[0], "student": accounts[1], "attacker": accounts[7]}
    steps = exploit_steps()
    assert [s.function for s in steps] == ["deposit", "change_owner", "sweep", "withdraw"]

    vulnerable = deploy(w3, "piggy_bank_vulnerable", sender=roles["teacher"])
    assert _run_steps(w3, vulnerable, roles) == [s.reverts for s in steps]

    fixed = deploy(w3, "piggy_bank_fixed", sender=roles["teacher"])
    assert _run_steps(w3, fixed, roles) == [False, True, True, False]
    assert w3.eth.get_balance(fixed.address) == 0  # the student got every coin back

    assert contracts_lib.PIGGY_BANK_BUG and contracts_lib.PIGGY_BANK_FIX
    with pytest.raises(ValueError, match="no exploit"):
        exploit_steps("quiz_token")
