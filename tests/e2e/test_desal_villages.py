"""Desalination, issue 22, in a real browser: the corrected village answers (Aral shore: reverse
osmosis designed at a low flux; Aktau: electrodialysis refused by the lab's own rule; Caspian
resort: no method meets every rule, so "none of them" is right) and the custom water table
that reads what a Russian student types ("1500,5" is 1 500.5 mg/L, not 15 005), keeping the
chosen methods while an analysis is invalid."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from core.desalination.village import VILLAGES
from tests.e2e.helpers import (
    assert_loopback_only,
    choose,
    choose_language,
    click_until,
    fresh_page,
    main,
    metric_value,
    open_page,
    seed_class,
    settle,
    shot,
    signed_in,
)

PASSWORD = "Aral-Shore-Station-26"
ROW_PX = 35  # Glide data grid: header and row height at Streamlit's default density


@pytest.fixture(scope="module")
def seeded(zerde_data_dir: Path, zerde_server: str) -> str:
    seed_class(zerde_data_dir, ("saule", "Saule T."), "10C", ("nurlan", "Nurlan B."), PASSWORD)
    return zerde_server


def open_lab(page: Page, url: str, link: str = "Desalination") -> None:
    page.goto(url)
    signed_in(page, "nurlan", PASSWORD)
    open_page(page, link, "desalination")
    expect(main(page).get_by_test_id("stDataFrame").first).to_be_visible(timeout=60_000)
    settle(page)


def design(card: Locator, option: str, outcome: str) -> None:
    choose(card, option)
    click_until(
        card.get_by_role("button", name="Design it"),
        lambda: expect(card.get_by_text(outcome).first).to_be_visible(timeout=120_000),
    )


def village(page: Page, village_id: str) -> Locator:
    title = {"aral_shore": "Aral shore", "aktau": "Aktau", "caspian_resort": "Caspian resort"}
    main(page).locator(".st-key-desal_village").get_by_text(title[village_id], exact=True).click()
    settle(page)
    card = main(page).locator(f".st-key-desal_village_card_{village_id}")
    expect(card).to_be_visible()
    return card


def test_the_corrected_village_answers(browser: Browser, seeded: str, artifacts_dir: Path) -> None:
    assert {v.id for v in VILLAGES} >= {"aral_shore", "aktau", "caspian_resort"}
    requests: list[str] = []
    with fresh_page(browser, requests) as page:
        page.set_viewport_size({"width": 1400, "height": 1500})
        open_lab(page, seeded)
        main(page).get_by_role("tab", name="Which method for this village?").click()
        settle(page)

        card = village(page, "aral_shore")
        design(card, "Reverse osmosis", "Right:")
        expect(card.get_by_test_id("stDataFrame")).to_contain_text("Reverse osmosis")
        settle(page)
        card.scroll_into_view_if_needed()
        shot(page, artifacts_dir, "desal22_01_aral_ro_right")

        card = village(page, "aktau")
        design(card, "Electrodialysis", "Not this time.")
        expect(card.get_by_text("The best choice here is Reverse osmosis")).to_be_visible()
        expect(card.get_by_test_id("stDataFrame")).to_contain_text(
            "electrodialysis is for brackish water"
        )
        card.scroll_into_view_if_needed()
        shot(page, artifacts_dir, "desal22_02_aktau_ed_refused")

        card = village(page, "caspian_resort")
        design(card, "Distillation (MED)", "Not this time.")
        expect(card.get_by_text("The best choice here is none of the methods")).to_be_visible()
        design(card, "None of them can meet every rule", "Right: within the lab's rules")
        expect(card.get_by_test_id("stDataFrame")).to_contain_text("calcite scaling")
        card.scroll_into_view_if_needed()
        shot(page, artifacts_dir, "desal22_03_caspian_none")
    assert_loopback_only(requests)


def type_into_cell(page: Page, editor: Locator, row: int, text: str) -> None:
    """Select the mg/L cell of ``row`` in the ion table and type over it, as a student does."""
    box = editor.bounding_box()
    assert box is not None
    x = box["x"] + box["width"] * 0.75
    y = box["y"] + ROW_PX * (row + 1) + ROW_PX / 2
    page.mouse.dblclick(x, y)  # opens the cell's editor
    overlay = page.locator("#portal textarea, #portal input").first
    expect(overlay).to_be_visible()
    overlay.fill(text)
    overlay.press("Enter")
    settle(page)


def test_a_russian_student_types_a_decimal_comma(
    browser: Browser, seeded: str, artifacts_dir: Path
) -> None:
    requests: list[str] = []
    with fresh_page(browser, requests) as page:
        page.set_viewport_size({"width": 1400, "height": 1300})
        page.goto(seeded)
        signed_in(page, "nurlan", PASSWORD)
        choose_language(page, "Русский")
        settle(page)
        open_page(page, "Опреснение воды", "desalination")
        expect(main(page).get_by_test_id("stDataFrame").first).to_be_visible(timeout=60_000)
        settle(page)
        methods = page.locator(".st-key-desal_methods")
        methods.get_by_role("button", name="Clear all").click()
        settle(page)
        methods.locator("input").fill("Обратный осмос")
        page.get_by_role("option", name="Обратный осмос", exact=True).click()
        page.keyboard.press("Escape")
        settle(page)

        water = page.locator(".st-key-desal_water")
        water.click()
        page.get_by_role("option", name="Мой собственный анализ воды").click()
        settle(page)
        editor = page.locator(".st-key-desal_custom_ions").get_by_test_id("stDataFrame")
        expect(editor).to_be_visible()

        editor.scroll_into_view_if_needed()
        type_into_cell(page, editor, 0, "abc")  # Na: not a number
        shot(page, artifacts_dir, "desal22_04_custom_water_not_a_number")
        expect(main(page).get_by_text("не число")).to_be_visible()
        expect(methods).to_contain_text("Обратный осмос")
        expect(methods).not_to_contain_text("Электродиализ")

        type_into_cell(page, editor, 0, "1500,5")
        expect(main(page).get_by_text("не число")).to_have_count(0)
        # 3 230 mg/L of the brackish analysis, with Na 760 → 1 500.5: 3.97 g/L, not 17.5.
        assert metric_value(page, "Солёность (TDS)") == "3,97 г/л"
        expect(methods).to_contain_text("Обратный осмос")
        expect(methods).not_to_contain_text("Электродиализ")
        shot(page, artifacts_dir, "desal22_05_custom_water_decimal_comma")
    assert_loopback_only(requests)
