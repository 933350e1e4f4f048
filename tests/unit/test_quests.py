import pytest

from core.blockchain.hashing import digest, search
from core.blockchain.keys import forgery_puzzles, new_wallet
from core.blockchain.ledger import Ledger
from core.blockchain.quests import (
    LEVELS,
    TASKS,
    check_address_answer,
    check_attempts_guess,
    check_avalanche,
    check_forgery_verdict,
    check_keccak_vs_sha,
    check_prefix_answer,
    check_repaired,
    check_tampered_pick,
)
from core.locale import PLURAL_CATEGORIES as CATEGORIES
from core.locale import plural_category, plural_key


def test_levels_are_numbered_and_tasks_unique() -> None:
    assert [level.number for level in LEVELS] == list(range(1, 8))
    assert len(TASKS) == sum(len(level.tasks) for level in LEVELS)
    assert all(t.skill.startswith("chain.") and t.xp > 0 for t in TASKS.values())


def test_avalanche_guess() -> None:
    assert check_avalanche("Zerde", "zerde", 0.5).correct
    low = check_avalanche("Zerde", "zerde", 0.01)
    assert (low.correct, low.error_type) == (False, "expects_small_change")
    assert check_avalanche("Zerde", "zerde", 1.0).error_type == "expects_total_change"


def test_prefix_answers() -> None:
    good = search("Bolat", "00")
    assert check_prefix_answer(good, "00").correct
    assert check_prefix_answer("", "00").error_type == "empty_input"
    text = next(
        t
        for t in (f"x{i}" for i in range(10_000))
        if digest(t).endswith("00") and not digest(t).startswith("00")
    )
    assert check_prefix_answer(text, "00").error_type == "prefix_at_wrong_end"
    assert check_prefix_answer("Bolat", "0000").error_type == "prefix_not_met"


def test_which_algorithm() -> None:
    shown = digest("hello", "keccak256")
    assert check_keccak_vs_sha("hello", "keccak256", shown).correct
    assert check_keccak_vs_sha("hello", "sha256", shown).error_type == "algorithm_confused"


def test_tampered_block_pick_and_repair() -> None:
    ledger = Ledger(difficulty=1)
    for i in range(4):
        ledger.add_block(f"tx {i}")
    ledger.edit(2, "tx 2 (changed)")
    assert check_tampered_pick(ledger, 2).correct
    assert check_tampered_pick(ledger, 3).error_type == "picked_later_block"
    assert check_tampered_pick(ledger, 1).error_type == "picked_earlier_block"
    ledger.mine(2)
    assert check_repaired(ledger).error_type == "block_not_remined"  # block 3 now mismatches
    for i in (3, 4):
        ledger.mine(i)
    assert check_repaired(ledger).correct


def test_attempts_guess() -> None:
    assert check_attempts_guess(3, 4096).correct
    assert check_attempts_guess(3, 48).error_type == "linear_not_exponential"
    assert check_attempts_guess(3, 10**9).error_type == "order_of_magnitude"


def test_address_and_forgery_checks() -> None:
    alice, mallory = new_wallet(seed=1), new_wallet(seed=2)
    assert check_address_answer(alice.address, alice.address.lower()).correct
    assert check_address_answer(alice.address, alice.private_key).error_type == (
        "gave_private_key_or_hash"
    )
    by_truth = {p.truth: p for p in forgery_puzzles(alice, mallory, seed=3)}
    assert check_forgery_verdict(by_truth["genuine"], "genuine").correct
    assert check_forgery_verdict(by_truth["other_signer"], "genuine").error_type == (
        "accepted_forged"
    )
    assert check_forgery_verdict(by_truth["genuine"], "other_signer").error_type == (
        "rejected_genuine"
    )
    assert check_forgery_verdict(by_truth["malformed"], "genuine").error_type == (
        "confused_hash_with_signature"
    )
    assert check_forgery_verdict(by_truth["message_changed"], "other_signer").error_type == (
        "wrong_forgery_reason"
    )


@pytest.mark.parametrize("prefix", ["", "zz"])
def test_bad_prefix(prefix: str) -> None:
    with pytest.raises(ValueError):
        check_prefix_answer("x", prefix)


def test_naming_a_block_without_recomputing_its_seal_is_a_guess() -> None:
    ledger = Ledger(difficulty=1)
    for i in range(4):
        ledger.add_block(f"tx {i}")
    ledger.edit(2, "tx 2 (changed)")
    guess = check_tampered_pick(ledger, 2, recomputed={0, 1})
    assert (guess.correct, guess.error_type) == (False, "guessed_without_recomputing")
    assert check_tampered_pick(ledger, 2, recomputed={2}).correct
    assert check_tampered_pick(ledger, 3, recomputed={3}).error_type == "picked_later_block"


def test_prefix_feedback_names_the_prefix_asked_for() -> None:
    good = search("Bolat", "7f")
    assert check_prefix_answer(good, "7f").params["prefix"] == "7f"
    assert check_prefix_answer(good, "7f").correct
    assert not check_prefix_answer(search("Bolat", "00"), "7f").correct


@pytest.mark.parametrize(
    ("lang", "counts"),
    [
        ("en", {1: "one", 2: "other", 5: "other", 21: "other"}),
        ("ru", {1: "one", 2: "few", 4: "few", 5: "many", 11: "many", 21: "one", 22: "few"}),
        ("kk", {1: "one", 2: "other", 5: "other"}),
    ],
)
def test_plural_categories_follow_cldr(lang: str, counts: dict[int, str]) -> None:
    assert {n: plural_category(n, lang) for n in counts} == counts
    assert plural_key("quest.pow.moved", 1, lang) == "quest.pow.moved.one"


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
def test_every_counted_text_has_all_four_forms(lang: str) -> None:
    from core.i18n import catalogue

    for key in ("quest.pow.predict_body", "quest.pow.moved", "quest.consensus.converged"):
        assert all(f"{key}.{c}" in catalogue(lang) for c in CATEGORIES), key
