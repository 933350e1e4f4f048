import pytest

from core.blockchain.hashing import avalanche, digest, search, solves


def test_known_vectors() -> None:
    assert digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    # Ethereum's Keccak-256 of the empty string (not SHA3-256, which is a7ffc6f8...)
    assert digest("", "keccak256") == (
        "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    )


@pytest.mark.parametrize("algorithm", ["sha256", "keccak256"])
def test_one_letter_changes_about_half_the_bits(algorithm: str) -> None:
    result = avalanche("Zerde", "zerde", algorithm)  # type: ignore[arg-type]
    assert result.total_bits == 256
    assert 0.3 < result.share < 0.7


def test_prefix_puzzle() -> None:
    answer = search("Aigerim", "00")
    assert solves(answer, "00")
    assert not solves("Aigerim", "000000"[:2]) or digest("Aigerim").startswith("00")


@pytest.mark.parametrize("prefix", ["", "xyz", "0000000"])
def test_bad_prefixes_are_refused(prefix: str) -> None:
    with pytest.raises(ValueError):
        solves("text", prefix)
