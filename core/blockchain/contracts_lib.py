"""Level 6: real smart contracts, written in Vyper and compiled on the classroom server.

The sources live next to this module as .vy files so students read exactly the code that runs.
They are compiled at run time rather than shipped as bytecode, so a teacher can edit a contract
(or a student can diff the vulnerable piggy bank against the fixed one) without a build step, and
the ABI always matches the source. Compiling takes ~0.1-0.2 s, so results are cached per process.

Only names of the bundled sources are accepted: `name` never becomes an arbitrary path.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from web3 import Web3
    from web3.contract import Contract

CONTRACTS_DIR = Path(__file__).resolve().parent / "contracts"
SUFFIX = ".vy"


@dataclass(frozen=True)
class Compiled:
    name: str
    abi: list[dict[str, Any]]
    bytecode: str  # 0x-hex deployment (init) code


@dataclass(frozen=True)
class ExploitStep:
    actor: str  # "teacher", "student" or "attacker": who sends the transaction
    function: str  # contract function called
    args: tuple[str, ...]  # symbolic arguments, e.g. ("attacker",) for the attacker's address
    value_wei: int  # ether sent along; the exact amount is illustrative
    effect: str  # what the teacher should see happen; English answer-key note
    reverts: bool = False  # the step is expected to fail (shows the damage, not a mistake)


def available() -> list[str]:
    return sorted(path.stem for path in CONTRACTS_DIR.glob(f"*{SUFFIX}"))


def _normalise(name: str) -> str:
    stem = name.removesuffix(SUFFIX)
    if stem not in available():
        raise ValueError(f"unknown contract {name!r}; available: {', '.join(available())}")
    return stem


def source(name: str) -> str:
    return (CONTRACTS_DIR / f"{_normalise(name)}{SUFFIX}").read_text(encoding="utf-8")


def compile_contract(name: str) -> Compiled:
    return _compile(_normalise(name))


@cache
def _compile(stem: str) -> Compiled:
    """Cached on the normalised name so "x" and "x.vy" share one compilation."""
    import vyper  # type: ignore[import-untyped]

    output = vyper.compile_code(source(stem), output_formats=["abi", "bytecode"])
    return Compiled(name=stem, abi=list(output["abi"]), bytecode=str(output["bytecode"]))


def deploy(w3: Web3, name: str, *args: Any, sender: str | None = None) -> Contract:
    """Deploy and wait, so lessons get a ready contract in one call; `sender` becomes the owner.

    Defaults to the chain's first account, which the quest treats as the teacher.
    """
    compiled = compile_contract(name)
    factory = w3.eth.contract(abi=compiled.abi, bytecode=compiled.bytecode)
    tx_hash = factory.constructor(*args).transact({"from": sender or w3.eth.accounts[0]})
    receipt = w3.eth.wait_for_transaction_receipt(tx_hash)
    address = receipt["contractAddress"]
    if address is None:
        raise RuntimeError(f"deploying {name} produced no contract address")
    return w3.eth.contract(address=address, abi=compiled.abi)


# The teacher's answer key for the piggy bank. Kept as data, not as a script, so the lesson can
# reveal it step by step and nothing here ever sends a transaction on its own.
PIGGY_BANK_BUG = (
    "change_owner() has no `assert msg.sender == self.owner`: any account can make itself the "
    "owner, and sweep() trusts whoever the owner is."
)
PIGGY_BANK_FIX = (
    'Add `assert msg.sender == self.owner, "only the owner"` at the top of change_owner() '
    "(see piggy_bank_fixed.vy). Every function that changes who is in control needs the same "
    "check as the functions that control protects."
)


def exploit_steps(name: str = "piggy_bank_vulnerable") -> tuple[ExploitStep, ...]:
    """Only the vulnerable piggy bank has an intended exploit; asking for another is a mistake."""
    if _normalise(name) != "piggy_bank_vulnerable":
        raise ValueError(f"no exploit is planned for {name!r}")
    ether = 10**18
    return (
        ExploitStep(
            actor="student",
            function="deposit",
            args=(),
            value_wei=2 * ether,
            effect="Honest classmates save coins; deposits(student) and the contract balance grow.",
        ),
        ExploitStep(
            actor="attacker",
            function="change_owner",
            args=("attacker",),
            value_wei=0,
            effect="Succeeds although the attacker is not the teacher: owner() now returns the "
            "attacker's address and an OwnerChanged event is logged.",
        ),
        ExploitStep(
            actor="attacker",
            function="sweep",
            args=(),
            value_wei=0,
            effect="Passes the owner check and sends the whole balance to the attacker, who never "
            "deposited anything; a Swept event shows the amount.",
        ),
        ExploitStep(
            actor="student",
            function="withdraw",
            args=("deposits(student)",),
            value_wei=0,
            effect="Reverts: the books still say the student saved money, but the coins are gone, "
            "so the payout fails. Against piggy_bank_fixed step 2 reverts with 'only the owner'.",
            reverts=True,
        ),
    )
