"""Unit-test fixtures for the learner chain: a tiny Vyper counter and fresh in-memory chains."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from core.blockchain.chain import LearnerChain

COUNTER = """
# pragma version ^0.4.0
count: public(uint256)
owner: public(address)

event Bumped:
    who: indexed(address)
    count: uint256

@deploy
def __init__(start: uint256):
    self.count = start
    self.owner = msg.sender

@external
def bump(by: uint256):
    assert by < 10, "too big"
    self.count += by
    log Bumped(who=msg.sender, count=self.count)

@external
def spin(n: uint256):
    for i: uint256 in range(n, bound=1000):
        self.count += 1
"""


@pytest.fixture
def fresh() -> Iterator[LearnerChain]:
    with LearnerChain.open(None) as c:
        yield c


@pytest.fixture(scope="module")
def counter() -> dict[str, Any]:
    import vyper  # type: ignore[import-untyped]

    out = vyper.compile_code(COUNTER, output_formats=["abi", "bytecode"])
    return {"abi": out["abi"], "bytecode": out["bytecode"]}
