"""Issue 22 in a real browser: the traffic lab runs RESCO's real networks (Cologne 1, then the
three signals of Cologne 3) with their recorded traffic and all four baselines, shows waiting
and delay per controller in the controllers' own colours, draws the real junction, and Play
continues from the moment the slider shows. Nothing leaves loopback."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import (
    assert_loopback_only,
    fresh_page,
    lock_prediction,
    main,
    open_page,
    seed_class,
    settle,
    shot_at,
    signed_in,
)

PASSWORD = "Bagdarsham-Zhasyl-2026"
ACTIVE = "document.querySelector('.st-key-traffic_frame .js-plotly-plot').layout.sliders[0].active"


@pytest.fixture(scope="module")
def seeded(zerde_data_dir: Path, zerde_server: str) -> str:
    seed_class(zerde_data_dir, ("dana", "Dana K."), "11D", ("erlan", "Erlan S."), PASSWORD)
    return zerde_server


def run_network(page: Page, label: str) -> None:
    main(page).locator(".st-key-traffic_sig_network").get_by_text(label, exact=True).click()
    settle(page)
    main(page).get_by_role("button", name="Run the four controllers").click()
    bars = main(page).locator(".st-key-traffic_bars .js-plotly-plot")
    expect(bars).to_be_visible(timeout=180_000)
    settle(page)


def test_real_networks_with_every_baseline(
    browser: Browser, seeded: str, artifacts_dir: Path
) -> None:
    requests: list[str] = []
    with fresh_page(browser, requests) as page:
        page.set_viewport_size({"width": 1400, "height": 1100})
        page.goto(seeded)
        signed_in(page, "erlan", PASSWORD)
        open_page(page, "Traffic lab", "traffic")
        lock_prediction(page, "traffic", "pressure_vs_fixed", "At least 10% less waiting")
        lock_prediction(page, "traffic", "best_controller", "Max-pressure (reacts to queues)")
        run_network(page, "Cologne 1 (real)")
        expect(main(page).get_by_text("Cologne with the traffic recorded")).to_be_visible()
        table = main(page).get_by_test_id("stDataFrame").first
        expect(table).to_contain_text("Mean delay per vehicle, s")
        shot_at(page, artifacts_dir, "traffic_10_cologne1_compare", ".st-key-traffic_bars")

        # Play continues from the moment shown: pick a moment on the slider, then play
        view = main(page).locator(".st-key-traffic_frame")
        expect(view.locator(".js-plotly-plot")).to_be_visible()
        assert page.evaluate(f"() => {ACTIVE}") == 0  # opens on the first moment
        rail = view.locator(".slider-rail-touch-rect").first
        box = rail.bounding_box()
        assert box is not None
        rail.click(position={"x": box["width"] * 0.6, "y": box["height"] / 2})
        page.wait_for_function(f"() => {ACTIVE} > 10", timeout=10_000)
        picked = page.evaluate(f"() => {ACTIVE}")
        view.get_by_text("Play", exact=True).click()
        page.wait_for_function(f"() => {ACTIVE} > {picked}", timeout=10_000)
        view.get_by_text("Pause", exact=True).click()
        assert page.evaluate(f"() => {ACTIVE}") > picked  # on from the picked moment, not 0
        shot_at(page, artifacts_dir, "traffic_11_cologne1_junction", ".st-key-traffic_frame")

        run_network(page, "Cologne 3 (real)")
        shot_at(page, artifacts_dir, "traffic_12_cologne3_compare", ".st-key-traffic_bars")
        shot_at(page, artifacts_dir, "traffic_13_cologne3_junctions", ".st-key-traffic_frame")
    assert_loopback_only(requests)
