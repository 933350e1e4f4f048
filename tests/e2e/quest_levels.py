"""Play levels 1-4 of the blockchain quest in a real browser, the way a student does.

The AppTest suite (tests/app/test_blockchain_game.py) checks each task's logic; these functions
check that a student can actually finish the levels through the page: widgets they can reach,
values that arrive at the server, and reruns that show the feedback. Every answer is worked out
from what the page shows (texts, seals, nonces, signatures), with the project's own pure
functions in core.blockchain, never from server state: the secret tampered block is found by
recomputing the seals shown, the forged notes by recovering their signers.

Each `play_level_<n>(page, shots)` expects a page signed in as a student on the quest
(/blockchain_game) with the level unlocked; it opens the level, solves every task, takes one
screenshot of the finished level and moves on with "Next level".
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from core.blockchain.hashing import Algorithm, avalanche, digest, search
from core.blockchain.keys import public_key_hash, recover
from core.blockchain.ledger import GENESIS_PREVIOUS, Block, expected_attempts
from core.blockchain.quests import LEVELS, Level
from core.i18n import t
from tests.e2e.helpers import heading, main, settle, shot

LEVEL_DIFFICULTY = 2  # the record book's blocks are mined to two zeros (level_blocks.DIFFICULTY)
ALGORITHMS: dict[Algorithm, str] = {"sha256": "SHA-256", "keccak256": "Keccak-256"}


def _t(key: str, **params: object) -> str:
    return t(key, "en", **params)


def _key(page: Page, key: str) -> Locator:
    return page.locator(f".st-key-{key}")


def _card(page: Page, task_id: str) -> Locator:
    return _key(page, f"bcq_card_{task_id}")


def _keyed(scope: Locator, prefix: str) -> Locator:
    """Elements whose widget key starts with `prefix` (keys that carry a round or generation)."""
    return scope.locator(f'[class*="st-key-{prefix}"]')


def _click(button: Locator) -> None:
    button.click()
    settle(button.page)


def _enter(field: Locator, value: str, key: str = "Enter") -> None:
    """Type a value and commit it (Enter; Control+Enter for a text area) so Streamlit gets it."""
    expect(field).to_be_editable()
    field.fill(value)
    field.press(key)
    settle(field.page)


def _check(scope: Locator, name: str) -> None:
    _click(scope.locator(f".st-key-bcq_{name}_check button"))


def _hex(scope: Locator, label: str) -> Locator:
    """The hash picture shown under a small label (visuals.label + visuals.hash_html)."""
    title = scope.locator(".zq-label", has_text=re.compile(f"^{re.escape(label)}$"))
    return title.locator("xpath=following-sibling::div[contains(@class, 'zq-hash')][1]")


def _hex_text(scope: Locator, label: str) -> str:
    return (_hex(scope, label).first.text_content() or "").strip()


def _slide_to(slider: Locator, value: int) -> None:
    """Drive a slider (a range input) with the keyboard: PageUp/PageDown move a tenth of the
    range, which is 10 on the 0-100 sliders here (the 1-5 one needs arrows only)."""
    thumb = slider.get_by_role("slider")
    thumb.focus()
    current = int(thumb.input_value())
    while abs(value - current) >= 10:
        thumb.press("PageUp" if value > current else "PageDown")
        current += 10 if value > current else -10
    while current != value:
        thumb.press("ArrowRight" if value > current else "ArrowLeft")
        current += 1 if value > current else -1
    expect(thumb).to_have_value(str(value))
    settle(slider.page)


def _level(level_id: str) -> Level:
    return next(level for level in LEVELS if level.id == level_id)


def _title(level: Level) -> str:
    return _t("quest.level_title", n=level.number, title=_t(f"quest.level.{level.id}"))


def _open_level(page: Page, level_id: str) -> None:
    """Open a level from its card on the quest map (harmless when it is shown already)."""
    button = _key(page, f"bcq_open_{level_id}").locator("button")
    expect(button).to_be_enabled()
    _click(button)
    expect(heading(page, _title(_level(level_id)))).to_be_visible()


def _finish(page: Page, shots: Path, level_id: str, name: str) -> None:
    """The level's celebration and its screenshot, then on to the next level."""
    level = _level(level_id)
    badge = _t(f"quest.badge.level_{level_id}")
    done = main(page).get_by_text(_t("quest.level_done", xp=level.xp, badge=badge))
    expect(done).to_be_visible()
    following = _key(page, "bcq_next_level").locator("button")
    expect(following).to_be_visible()
    done.scroll_into_view_if_needed()
    shot(page, shots, name)
    _click(following)
    expect(heading(page, _title(LEVELS[level.number]))).to_be_visible()


# --- level 1: hashing -------------------------------------------------------------------------


def play_level_1(page: Page, shots: Path) -> None:
    _open_level(page, "hashing")
    _avalanche(page)
    _find_prefix(page)
    _which_seal(page)
    _finish(page, shots, "hashing", "q1_hashing")


def _avalanche(page: Page) -> None:
    """Change one letter, then guess the share of flipped bits the hash really shows."""
    card = _card(page, "avalanche")
    base = _t("quest.hashing.avalanche_base")
    changed = base.replace("Kegen", "Kegan")
    _enter(card.locator(".st-key-bcq_l1_aval_text input"), changed)
    percent = round(100 * avalanche(base, changed).share)
    _slide_to(card.locator(".st-key-bcq_l1_aval_guess"), percent)
    _check(card, "avalanche")
    expect(card.get_by_text(_t("quest.feedback.avalanche_right", percent=percent))).to_be_visible()


def _find_prefix(page: Page) -> None:
    """Type a text whose SHA-256 starts with 00 (found by counting up, as a miner does)."""
    card = _card(page, "find_prefix")
    found = search("Bolat", "00")
    _enter(card.locator(".st-key-bcq_l1_prefix_text input"), found)
    expect(_hex(card, "SHA-256")).to_have_text(digest(found))
    _check(card, "find_prefix")
    expect(card.get_by_text("Found it!")).to_be_visible()


def _which_seal(page: Page) -> None:
    """Recompute both hashes of the record shown and pick the function that gives its seal."""
    card = _card(page, "keccak_vs_sha")
    text = card.locator("code").first.text_content() or ""
    seal = _hex_text(card, _t("quest.hashing.algo_seal"))
    truth = next(name for name in ALGORITHMS if digest(text, name) == seal)
    _click(card.locator(".st-key-bcq_l1_algo_pick").get_by_text(ALGORITHMS[truth], exact=True))
    _check(card, "keccak_vs_sha")
    expect(card.get_by_text(_t("quest.feedback.algorithm_right"))).to_be_visible()


# --- level 2: blocks --------------------------------------------------------------------------


def play_level_2(page: Page, shots: Path) -> None:
    _open_level(page, "blocks")
    _find_tampered(page)
    _repair_chain(page)
    _finish(page, shots, "blocks", "q2_blocks")


def _tampered_index(blocks: Locator) -> int:
    """Recompute each block's seal from its data, nonce and the seal before it (the previous
    hash is the block before's recorded seal: the tamperer did not re-mine)."""
    previous = GENESIS_PREVIOUS
    for index in range(blocks.count()):
        block = blocks.nth(index)
        data = block.locator(".zq-data").inner_text()
        nonce = int(re.findall(r"Nonce: (\d+)", block.inner_text())[0])
        seal = _hex_text(block, _t("quest.blocks.seal"))
        if Block(index, data, previous, LEVEL_DIFFICULTY, nonce).compute_hash() != seal:
            return index
        previous = seal
    raise AssertionError("every seal on the page matches its block")


def _find_tampered(page: Page) -> None:
    card = _card(page, "find_tampered")
    blocks = _keyed(card, "zq")
    expect(blocks).to_have_count(5)
    index = _tampered_index(blocks)
    _click(_keyed(blocks.nth(index), "bcq_l2_re_").locator("button"))  # the page agrees
    expect(blocks.nth(index).get_by_text(_t("quest.blocks.seal_broken"))).to_be_visible()
    pick = _keyed(card, "bcq_l2_pick_").get_by_text(f"Block #{index}", exact=True)
    _click(pick)
    _check(card, "find_tampered")
    expect(card.get_by_text(_t("quest.feedback.tamper_found", index=index))).to_be_visible()


def _repair_chain(page: Page) -> None:
    """Change block 2's amount, then mine it and every block after it, left to right."""
    card = _card(page, "repair_chain")
    blocks = _keyed(card, "zq")
    expect(blocks).to_have_count(5)
    data = blocks.nth(2).locator("textarea")
    _enter(data, re.sub(r"\d+", "999", data.input_value()), "Control+Enter")
    expect(card.get_by_text(_t("quest.blocks.chain_invalid", n=2))).to_be_visible()
    for index in range(2, 5):
        _click(_keyed(blocks.nth(index), "bcq_l2_mine_").locator("button"))
        expect(blocks.nth(index)).to_have_class(re.compile(r"st-key-zqok_"))
    expect(card.get_by_text(_t("quest.blocks.chain_valid"))).to_be_visible()
    _check(card, "repair_chain")
    expect(card.get_by_text(_t("quest.feedback.chain_repaired"))).to_be_visible()


# --- level 3: proof of work -------------------------------------------------------------------


def play_level_3(page: Page, shots: Path) -> None:
    _open_level(page, "pow")
    _predict_attempts(page)
    _mine_block(page, difficulty=3)
    _finish(page, shots, "pow", "q3_pow")


def _predict_attempts(page: Page) -> None:
    """Read the difficulty off the slider and estimate 16 to the power of it."""
    difficulty = int(_key(page, "bcq_l3_diff").get_by_role("slider").input_value())
    card = _card(page, "predict_attempts")
    expected = expected_attempts(difficulty)
    _enter(_keyed(card, "bcq_l3_guess").locator("input"), str(expected))  # keyed by question
    _check(card, "predict_attempts")
    right = _t("quest.feedback.attempts_right", expected=expected)
    expect(card.get_by_text(right)).to_be_visible()


def _mine_block(page: Page, difficulty: int) -> None:
    """Raise the difficulty, mine one block and read the tries against 16^d."""
    _slide_to(_key(page, "bcq_l3_diff"), difficulty)
    card = _card(page, "mine_block")
    label = _t("quest.pow.mine", d=difficulty)  # the slider's value has reached the server
    mine = card.locator(".st-key-bcq_l3_mine").get_by_role("button", name=label)
    expect(mine).to_be_visible()
    _click(mine)
    mined = _t("quest.feedback.mined", tries="TRIES", expected=expected_attempts(difficulty))
    pattern = re.escape(mined).replace("TRIES", r"\d+")
    expect(card.get_by_text(re.compile(pattern))).to_be_visible()
    expect(_hex(card, _t("quest.pow.mined_hash"))).to_have_text(re.compile(f"^0{{{difficulty}}}"))


# --- level 4: keys and signatures -------------------------------------------------------------


def play_level_4(page: Page, shots: Path) -> None:
    _open_level(page, "keys")
    _click(_key(page, "bcq_l4_create").locator("button"))
    _derive_address(page)
    _spot_forgeries(page)
    _finish(page, shots, "keys", "q4_keys")


def _derive_address(page: Page) -> None:
    """The address is the last 40 hex digits of the Keccak-256 of the public key."""
    wallet = _key(page, "bcq_l4_wallet_card")
    public_key = _hex_text(wallet, _t("quest.keys.public_key"))
    card = _card(page, "derive_address")
    hashed = _hex_text(card, _t("quest.keys.public_key_hash"))
    assert hashed == public_key_hash(public_key)
    _enter(card.locator(".st-key-bcq_l4_addr input"), "0x" + hashed[-40:])
    _check(card, "derive_address")
    expect(card.get_by_text(_t("quest.feedback.address_right"))).to_be_visible()


def _judge(signer: str | None, alice: str, mallory: str) -> tuple[str, str]:
    """The verdict for a recovered signer, and what "Recover the signer" should say."""
    if signer is None:
        return "malformed", _t("quest.keys.recovered_none")
    if signer.lower() == alice.lower():
        return "genuine", _t("quest.keys.recovered_alice")
    if signer.lower() == mallory.lower():
        return "other_signer", _t("quest.keys.recovered_mallory")
    short = f"{signer[:8]}…{signer[-6:]}"
    return "message_changed", _t("quest.keys.recovered_unknown", address=short)


def _spot_forgeries(page: Page) -> None:
    """Recover each note's signer, compare it with the address book and give the verdict."""
    card = _card(page, "spot_forgery")
    alice, mallory = (card.locator("code").nth(i).text_content() or "" for i in (0, 1))
    notes = _keyed(card, "zqplain_f")
    expect(notes).to_have_count(4)
    for j in range(4):
        _judge_note(notes.nth(j), alice, mallory, last=j == 3)
    expect(card.get_by_text(_t("quest.keys.forgery_done"))).to_be_visible()


def _judge_note(note: Locator, alice: str, mallory: str, last: bool) -> None:
    message = note.locator("code").first.text_content() or ""
    signature = "0x" + _hex_text(note, _t("quest.keys.signature"))
    kind, recovered = _judge(recover(message, signature), alice, mallory)
    _click(_keyed(note, "bcq_l4_rec_").locator("button"))
    expect(note.get_by_text(recovered)).to_be_visible()
    _click(_keyed(note, "bcq_l4_v_").get_by_text(_t(f"quest.keys.verdict_{kind}"), exact=True))
    _click(_keyed(note, "bcq_forgery_").locator("button"))
    if not last:  # the last right verdict closes the task: the notes give way to its badge
        expect(note.get_by_text(_t(f"quest.feedback.verdict_{kind}"))).to_be_visible()
