import pytest

from core.blockchain.ledger import GENESIS_PREVIOUS, Ledger, expected_attempts


def _chain(n: int = 5, difficulty: int = 2) -> Ledger:
    ledger = Ledger(difficulty=difficulty)
    for i in range(1, n):
        ledger.add_block(f"Aigerim pays Bolat {i} tenge")
    return ledger


def test_a_mined_chain_is_valid_and_linked() -> None:
    ledger = _chain()
    assert ledger.validate() is None
    assert ledger.blocks[0].previous_hash == GENESIS_PREVIOUS
    for prev, block in zip(ledger.blocks, ledger.blocks[1:], strict=False):
        assert block.previous_hash == prev.hash
        assert block.hash.startswith("00")
        assert block.hash == block.compute_hash()


@pytest.mark.parametrize("index", [0, 2, 4])
def test_tampering_with_data_invalidates_that_block(index: int) -> None:
    ledger = _chain()
    ledger.edit(index, "Aigerim pays Bolat 1,000,000 tenge")
    assert ledger.validate() == index
    assert ledger.block_problem(index) == "hash_mismatch"


def test_re_mining_an_edited_block_breaks_the_next_link_until_it_is_re_mined_too() -> None:
    ledger = _chain()
    ledger.edit(2, "changed")
    ledger.mine(2)
    assert ledger.block_problem(2) is None
    assert ledger.validate() == 3
    assert ledger.block_problem(3) == "hash_mismatch"  # its previous_hash now points to block 2
    ledger.mine(3)
    ledger.mine(4)
    assert ledger.validate() is None


def test_mining_reports_attempts_and_the_expectation() -> None:
    ledger = Ledger(difficulty=0)
    block = ledger.add_block("x")
    result = ledger.mine(block.index, 3)
    assert result.hash.startswith("000")
    assert result.attempts == result.nonce + 1
    assert result.expected_attempts == expected_attempts(3) == 4096
    assert ledger.blocks[block.index].difficulty == 3


def test_measured_attempts_average_near_16_to_the_difficulty() -> None:
    ledger = Ledger(difficulty=0)
    attempts = [ledger.mine(ledger.add_block(f"block {i}").index, 2).attempts for i in range(200)]
    mean = sum(attempts) / len(attempts)
    assert 256 * 0.75 < mean < 256 * 1.25


def test_raising_difficulty_after_mining_makes_the_block_invalid() -> None:
    ledger = _chain(3, 1)
    assert not ledger.blocks[1].hash.startswith("000000")  # fixed data: a fixed hash
    ledger.blocks[1].difficulty = 6
    assert ledger.block_problem(1) == "difficulty_not_met"
    assert ledger.validate() == 1


@pytest.mark.parametrize("difficulty", [-1, 7])
def test_out_of_range_difficulty_is_refused(difficulty: int) -> None:
    with pytest.raises(ValueError):
        Ledger(difficulty=difficulty)
    with pytest.raises(ValueError):
        Ledger().mine(0, difficulty)
