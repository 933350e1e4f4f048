"""The traffic lab in a real browser: a student compares the four controllers on SUMO and
looks at the intersection, then trains PPO live (the curve grows while it trains) and sees it
tested against the plans. Nothing leaves loopback."""

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


@pytest.fixture(scope="module")
def seeded(zerde_data_dir: Path, zerde_server: str) -> str:
    seed_class(zerde_data_dir, ("marat", "Marat B."), "11C", ("alua", "Alua T."), PASSWORD)
    return zerde_server


def predict(page: Page, question: str, option: str) -> None:
    lock_prediction(page, "traffic", question, option)


def test_compare_controllers_then_train_ppo(
    browser: Browser, seeded: str, artifacts_dir: Path
) -> None:
    requests: list[str] = []
    with fresh_page(browser, requests) as page:
        page.set_viewport_size({"width": 1400, "height": 1100})
        page.goto(seeded)
        signed_in(page, "alua", PASSWORD)
        open_page(page, "Traffic lab", "traffic")
        predict(page, "pressure_vs_fixed", "At least 10% less waiting")
        predict(page, "best_controller", "Max-pressure (reacts to queues)")
        main(page).get_by_role("button", name="Run the four controllers").click()
        bars = main(page).locator(".st-key-traffic_bars .js-plotly-plot")
        expect(bars).to_be_visible(timeout=120_000)
        settle(page)
        shot_at(page, artifacts_dir, "traffic_00_compare", ".st-key-traffic_bars")
        view = main(page).locator(".st-key-traffic_frame")
        expect(view.locator(".js-plotly-plot")).to_be_visible()
        # Play is plotly's own button: the vehicles move in the browser, without a rerun
        active = "document.querySelector('.st-key-traffic_frame .js-plotly-plot')"
        active += ".layout.sliders[0].active"
        shown = page.evaluate(f"() => {active}")
        view.get_by_text("Play", exact=True).click()
        page.wait_for_function(f"() => {active} !== {shown}", timeout=10_000)
        view.get_by_text("Pause", exact=True).click()
        shot_at(page, artifacts_dir, "traffic_01_intersection", ".st-key-traffic_frame")

        main(page).get_by_role("tab", name="Reinforcement learning").click()
        settle(page)
        steps = main(page).locator(".st-key-traffic_rl_steps").get_by_role("slider")
        steps.focus()
        steps.press("Home")  # the smallest budget: 1,000 decisions
        settle(page)
        predict(page, "rl_vs_tuned", "More waiting")
        main(page).get_by_role("button", name="Train and test").click()
        curve = main(page).locator(".st-key-traffic_rl_curve")
        expect(curve).to_be_visible(timeout=120_000)
        shot_at(page, artifacts_dir, "traffic_02_training_live", ".st-key-traffic_rl_curve")
        expect(main(page).locator(".st-key-traffic_rl_bars .js-plotly-plot")).to_be_visible(
            timeout=240_000
        )
        settle(page)
        shot_at(page, artifacts_dir, "traffic_03_policy_vs_plans", ".st-key-traffic_rl_bars")
    assert_loopback_only(requests)
