"""The blockchain quest in Chromium: a new student plays levels 1-5 (the fifth on their own EVM
chain: pay the shop, repair a failed transaction, mine the mempool), the server is stopped and
started again over the same data directory, and the student finds XP, completed levels, wallet
balances and their mined blocks exactly as they left them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from core.i18n import t
from tests.e2e.conftest import running_server
from tests.e2e.helpers import (
    assert_loopback_only,
    fresh_page,
    main,
    open_page,
    seed_class,
    settle,
    shot,
    signed_in,
)
from tests.e2e.quest_levels import play_level_1, play_level_2, play_level_3, play_level_4

pytestmark = pytest.mark.e2e
PASSWORD = "Tulpar-2026-steppe"
STUDENT = "arman"


@pytest.fixture(scope="module")
def quest_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("zerde_quest")
    seed_class(data_dir, ("saule", "Saule Apa"), "10B", (STUDENT, "Arman Bek"), PASSWORD)
    return data_dir


def _open_quest(page: Page, url: str) -> None:
    page.goto(url)
    signed_in(page, STUDENT, PASSWORD)
    open_page(page, t("labs.blockchain.title", "en"), "blockchain_game")
    settle(page)


def _pick(page: Page, key: str, option: str) -> None:
    """Type into the selectbox's filter and take the match, as a keyboard user would."""
    combo = page.locator(f".st-key-{key} input")
    combo.scroll_into_view_if_needed()
    combo.click()
    combo.fill(option)
    page.get_by_role("option", name=option, exact=True).click()
    expect(combo).to_have_value(option)


def _fill(page: Page, key: str, value: str) -> None:
    field = page.locator(f".st-key-{key} input")
    field.fill(value)
    field.press("Tab")


def _send(page: Page, form: str, amount: str, to: str, sender: str | None = None) -> None:
    if sender is not None:
        _pick(page, f"{form}_from", sender)
    _pick(page, f"{form}_to", to)
    _fill(page, f"{form}_amount", amount)
    page.locator(f".st-key-{form}_send button").click()
    settle(page)


def _fix_form(page: Page) -> str:
    """The repair form's key, read off its send button's container class."""
    send = page.locator('[class*="st-key-bcq_l5_fix_"][class*="_send"]').first
    expect(send).to_be_visible()
    found = re.search(r"st-key-(bcq_l5_fix_\w+?)_send", send.get_attribute("class") or "")
    assert found is not None, "no repair form on the page"
    return found.group(1)


def _wallets(page: Page) -> str:
    """The three wallet cards' text, once all three are drawn (a rerun draws them in turn)."""
    wallets = page.locator(".st-key-bcq_wallets")
    expect(wallets.get_by_test_id("stMetric")).to_have_count(3)
    settle(page)
    return wallets.inner_text()


def _play_level_5(page: Page, shots: Path) -> None:
    card = page.locator(".st-key-bcq_card_send_eth")
    _send(page, "bcq_l5_pay", "0.25", to="Village shop")
    expect(card.get_by_text("Paid! The hat is yours.", exact=False)).to_be_visible()

    fix = page.locator(".st-key-bcq_card_fix_failed_tx")
    expect(fix.get_by_text("The chain refused the payment", exact=False)).to_be_visible()
    form = _fix_form(page)  # keyed by the problem it shows (level_transactions.fix_form_key)
    _fill(page, f"{form}_nonce", "1")  # one payment sent so far: the next nonce is 1
    _fill(page, f"{form}_gas", "21000")
    _fill(page, f"{form}_maxfee", "50")
    _send(page, form, "0.1", to="Aigerim")
    expect(fix.get_by_text("Fixed: the payment is in block", exact=False)).to_be_visible()

    page.locator(".st-key-bcq_l5_manual label").click()
    settle(page)
    for sender, to, tip in [("You", "Village shop", "1"), ("Aigerim", "You", "3"),
                            ("Village shop", "Aigerim", "2")]:  # fmt: skip
        _fill(page, "bcq_l5_queue_tip", tip)
        _send(page, "bcq_l5_queue", "0.01", to=to, sender=sender)
    mempool = page.locator(".st-key-bcq_card_mine_mempool")
    expect(mempool.get_by_test_id("stDataFrame")).to_have_count(1)
    shot(page, shots, "q5_mempool")
    page.locator(".st-key-bcq_l5_mine button").click()
    settle(page)
    expect(
        mempool.get_by_text("You mined a block with 3 transactions", exact=False)
    ).to_be_visible()
    expect(main(page).get_by_text("Level complete!", exact=False)).to_be_visible()
    shot(page, shots, "q5_transactions_done")


def test_new_student_plays_levels_1_to_5_and_survives_a_restart(
    browser: Browser, quest_data_dir: Path, artifacts_dir: Path
) -> None:
    requests: list[str] = []
    with running_server(quest_data_dir) as url, fresh_page(browser, requests) as page:
        _open_quest(page, url)
        shot(page, artifacts_dir, "q0_quest_map")
        for play in (play_level_1, play_level_2, play_level_3, play_level_4):
            play(page, artifacts_dir)
        _play_level_5(page, artifacts_dir)
        xp_before = page.locator('[data-testid="stMetric"]').first.inner_text()
        wallets_before = _wallets(page)

    with running_server(quest_data_dir) as url, fresh_page(browser, requests) as page:
        _open_quest(page, url)
        assert page.locator('[data-testid="stMetric"]').first.inner_text() == xp_before
        expect(main(page).get_by_text(re.compile(r"Levels completed\s*5 / 7"))).to_be_visible()
        page.locator(".st-key-bcq_open_transactions button").click()
        settle(page)
        assert _wallets(page) == wallets_before  # balances read back from the stored chain
        expect(page.locator(".st-key-bcq_card_mine_mempool").get_by_text("solved")).to_be_visible()
        shot(page, artifacts_dir, "q6_after_restart")
    assert_loopback_only(requests)
