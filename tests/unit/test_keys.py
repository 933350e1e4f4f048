import pytest

from core.blockchain.keys import forgery_puzzles, new_wallet, recover, sign, verdict


def test_wallet_address_is_derived_from_the_public_key() -> None:
    wallet = new_wallet(seed=1)
    assert wallet.address.startswith("0x") and len(wallet.address) == 42
    assert wallet.address_from_public_key == wallet.address
    assert new_wallet(seed=1) == wallet
    assert new_wallet(seed=2).address != wallet.address
    assert new_wallet().address != new_wallet().address


def test_sign_and_recover() -> None:
    wallet = new_wallet(seed=3)
    signed = sign(wallet, "Сәлем, блокчейн!")
    assert recover(signed.message, signed.signature) == wallet.address
    assert verdict(signed.message, signed.signature, wallet.address) == "genuine"


def test_forged_signatures_are_caught() -> None:
    alice, mallory = new_wallet(seed=4), new_wallet(seed=5)
    signed = sign(alice, "pay 100")
    assert verdict("pay 1000", signed.signature, alice.address, original="pay 100") == (
        "message_changed"
    )
    assert verdict("pay 1000", signed.signature, alice.address) == "other_signer"
    forged = sign(mallory, "pay 100")
    assert verdict("pay 100", forged.signature, alice.address) == "other_signer"
    assert verdict("pay 100", "0x1234", alice.address) == "malformed"
    assert recover("pay 100", "not hex at all") is None


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_puzzles_cover_every_case_and_their_truth_holds(seed: int) -> None:
    alice, mallory = new_wallet(seed=10), new_wallet(seed=11)
    puzzles = forgery_puzzles(alice, mallory, seed)
    assert sorted(p.truth for p in puzzles) == [
        "genuine", "malformed", "message_changed", "other_signer",
    ]  # fmt: skip
    original = next(p.message for p in puzzles if p.truth == "genuine")
    for p in puzzles:
        assert verdict(p.message, p.signature, p.claimed, original=original) == p.truth


def test_puzzle_notes_follow_the_translated_template() -> None:
    alice, mallory = new_wallet(seed=10), new_wallet(seed=11)
    notes = forgery_puzzles(alice, mallory, 1, "Мен, Алиса, Болатқа {amount} теңге төлеймін")
    assert all(p.message.startswith("Мен, Алиса") for p in notes)
    with pytest.raises(ValueError):
        forgery_puzzles(alice, mallory, 1, "no placeholder")
