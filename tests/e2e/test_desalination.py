"""Desalination in a real browser: a student compares reverse osmosis with the NF → RO hybrid
and nanofiltration on seawater (table, words, whether the hybrid saves energy, the energy chart
over its thermodynamic floor and NF's own floor, ions, Sankey, cost),
meets a translated message for an impossible pressure, then answers a village exercise."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from core.desalination.village import VILLAGES, judge_choice
from core.i18n import t
from tests.e2e.helpers import (
    assert_loopback_only,
    choose,
    click_until,
    fresh_page,
    main,
    open_page,
    seed_class,
    settle,
    shot,
    shot_at,
    signed_in,
)

PASSWORD = "Caspian-Shore-2026"


@pytest.fixture(scope="module")
def seeded(zerde_data_dir: Path, zerde_server: str) -> str:
    seed_class(zerde_data_dir, ("gulnar", "Gulnar A."), "10B", ("arman", "Arman K."), PASSWORD)
    return zerde_server


def open_lab(page: Page, url: str) -> None:
    page.goto(url)
    signed_in(page, "arman", PASSWORD)
    open_page(page, "Desalination", "desalination")
    expect(main(page).get_by_test_id("stDataFrame").first).to_be_visible(timeout=60_000)
    settle(page)


def choose_methods(page: Page, names: list[str]) -> None:
    """Clear the multiselect and pick ``names`` by typing, as a keyboard user would."""
    box = page.locator(".st-key-desal_methods")
    box.get_by_role("button", name="Clear all").click()
    settle(page)
    for name in names:
        box.locator("input").fill(name)
        page.get_by_role("option", name=name, exact=True).click()
        settle(page)
    page.keyboard.press("Escape")


def test_compare_ro_and_the_hybrid_on_seawater(
    browser: Browser, seeded: str, artifacts_dir: Path
) -> None:
    requests: list[str] = []
    with fresh_page(browser, requests) as page:
        page.set_viewport_size({"width": 1400, "height": 1100})
        open_lab(page, seeded)
        choose_methods(page, ["Reverse osmosis", "NF → RO hybrid", "Nanofiltration"])
        table = main(page).locator(".st-key-desal_table")
        expect(table).to_be_visible(timeout=60_000)
        expect(main(page).locator(".st-key-desal_explanations")).to_contain_text("Reverse osmosis.")
        expect(main(page).locator(".st-key-desal_explanations")).to_contain_text("NF → RO hybrid.")
        verdict = main(page).locator(".st-key-desal_hybrid_verdict")
        expect(verdict).to_contain_text("Does the hybrid save energy here? No:")
        settle(page)
        shot(page, artifacts_dir, "desal_01_compare_table")
        shot_at(page, artifacts_dir, "desal_01b_hybrid_verdict", ".st-key-desal_hybrid_verdict")
        chart = main(page).locator(".st-key-desal_sec_chart")
        expect(chart.locator(".js-plotly-plot")).to_be_visible(timeout=60_000)
        names = page.evaluate(
            "() => document.querySelector('.st-key-desal_sec_chart .js-plotly-plot')"
            ".data.map(t => t.name)"
        )
        assert "Thermodynamic minimum" in names and "Reverse osmosis" in names, names
        assert "Nanofiltration: minimum for its own product" in names, names
        shot_at(page, artifacts_dir, "desal_02_energy_chart", ".st-key-desal_sec_chart")
        main(page).get_by_role("tab", name="Ions").click()
        shot_at(page, artifacts_dir, "desal_03_ions", ".st-key-desal_ion_chart")
        main(page).get_by_role("tab", name="Water and salt flows").click()
        expect(main(page).locator(".st-key-desal_sankey .js-plotly-plot")).to_be_visible()
        shot_at(page, artifacts_dir, "desal_04_sankey", ".st-key-desal_sankey")
        main(page).get_by_role("tab", name="Cost and CO₂").click()
        shot_at(page, artifacts_dir, "desal_05_cost", ".st-key-desal_cost_chart")

        settings = main(page).get_by_test_id("stExpander").filter(has_text="Reverse osmosis")
        by_pressure = page.locator(".st-key-desal_ro_by_pressure label")
        click_until(settings.first.locator("summary"), lambda: expect(by_pressure).to_be_visible())
        field = page.locator(".st-key-desal_ro_pressure input")
        click_until(by_pressure, lambda: expect(field).to_be_visible())
        settle(page)
        field.fill("20")
        field.press("Enter")
        settle(page)
        expect(main(page).get_by_text("below this water's osmotic pressure")).to_be_visible()
        shot_at(page, artifacts_dir, "desal_06_pressure_too_low", "stAlert")
    assert_loopback_only(requests)


def test_which_method_for_the_village(browser: Browser, seeded: str, artifacts_dir: Path) -> None:
    village = VILLAGES[0]
    verdict = judge_choice(village, "ro")
    right = verdict.acceptable[0]
    requests: list[str] = []
    with fresh_page(browser, requests) as page:
        open_lab(page, seeded)
        main(page).get_by_role("tab", name="Which method for this village?").click()
        card = main(page).locator(f".st-key-desal_village_card_{village.id}")
        expect(card).to_be_visible()
        choose(card, "Distillation (MSF)")
        click_until(
            card.get_by_role("button", name="Design it"),
            lambda: expect(card.get_by_text("Not this time.")).to_be_visible(timeout=60_000),
        )
        settle(page)
        shot(page, artifacts_dir, "desal_07_village_wrong")
        right_label = t(f"desal.method.{right}", "en")
        choose(card, right_label)
        click_until(
            card.get_by_role("button", name="Design it"),
            lambda: expect(card.get_by_text("Right:")).to_be_visible(timeout=60_000),
        )
        settle(page)
        shot(page, artifacts_dir, "desal_08_village_right")
    assert_loopback_only(requests)
