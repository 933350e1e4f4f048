"""A student in the RL lab: plays the grid by hand and watches Q-learning learn it; trains PPO on
CartPole, sees the reward curve rise live and the replay play; trains Q-learning on the lake."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from core.rl.lessons import ACTIVITY
from tests.e2e.helpers import (
    assert_loopback_only,
    fresh_page,
    main,
    metric_value,
    open_page,
    predict,
    seed_class,
    settle,
    shot,
    shot_at,
    signed_in,
)

pytestmark = pytest.mark.e2e
PASSWORD = "Tulpar-2026-steppe"
SHORTEST = ("Right", "Up", "Up", "Right", "Right", "Up", "Up", "Right")
ARROWS = {"Up": "↑", "Right": "→", "Down": "↓", "Left": "←"}


@pytest.fixture(scope="module")
def seeded(zerde_data_dir: Path, zerde_server: str) -> str:
    seed_class(zerde_data_dir, ("asel", "Asel T."), "11A", ("timur", "Timur B."), PASSWORD)
    return zerde_server


def open_lab(page: Page, url: str) -> None:
    page.goto(url)
    signed_in(page, "timur", PASSWORD)
    open_page(page, "Reinforcement learning", "rl_lessons")
    expect(main(page).locator(".st-key-rl_predict_card_be_agent")).to_be_visible(timeout=60_000)
    settle(page)


def open_lesson(page: Page, family: str, family_label: str, name: str) -> None:
    if family != "concepts":
        main(page).locator(".st-key-rl_family").get_by_text(family_label, exact=True).click()
        settle(page)
    main(page).locator(f".st-key-rl_lesson_{family}").get_by_text(name, exact=True).click()
    settle(page)


def metric(page: Page, label: str) -> Locator:
    return main(page).get_by_test_id("stMetric").filter(has_text=label).first


def curve(page: Page, index: int = 0) -> list[float]:
    """The y values of the first line of a plotly chart, read from the browser."""
    return page.evaluate(
        "(i) => document.querySelectorAll('.js-plotly-plot')[i].data[0].y"
        ".filter(v => v !== null && !Number.isNaN(v))",
        index,
    )


def test_be_the_agent_then_watch_q_learning(
    browser: Browser, seeded: str, artifacts_dir: Path
) -> None:
    requests: list[str] = []
    with fresh_page(browser, requests) as page:
        open_lab(page, seeded)
        predict(page, ACTIVITY, "be_agent")
        for step, move in enumerate(SHORTEST, start=1):
            main(page).get_by_role("button", name=ARROWS[move], exact=True).click()
            # one click at a time: a second click on the same button during the rerun is merged
            expect(metric(page, "Steps").get_by_test_id("stMetricValue")).to_have_text(str(step))
        expect(main(page).get_by_text("You reached the flag!")).to_be_visible()
        assert metric_value(page, "Return G") == "3.00"
        shot_at(page, artifacts_dir, "rl_01_played_grid", ".st-key-rlg_board")
        page.locator(".st-key-rl_challenge_submit_be_agent button").click()
        settle(page)
        card = main(page).locator(".st-key-rl_challenge_card_be_agent")
        expect(card.get_by_text("Challenge met!")).to_be_visible()
        shot_at(page, artifacts_dir, "rl_02_q_learning_grid", ".st-key-rlg_learning")
        page.locator(".st-key-rlg_learning").get_by_text("Play", exact=False).first.click()
        page.wait_for_timeout(1500)
        shot_at(page, artifacts_dir, "rl_03_q_learning_grid_playing", ".st-key-rlg_learning")
    assert_loopback_only(requests)


def test_ppo_learns_cartpole_live_and_the_replay_plays(
    browser: Browser, seeded: str, artifacts_dir: Path
) -> None:
    requests: list[str] = []
    with fresh_page(browser, requests) as page:
        open_lab(page, seeded)
        open_lesson(page, "deep", "Deep RL", "Deep RL on CartPole")
        predict(page, ACTIVITY, "deep_rl")
        main(page).get_by_role("button", name="Train", exact=True).click()
        expect(main(page).get_by_text("Working…")).to_be_visible(timeout=20_000)
        expect(main(page).get_by_test_id("stPlotlyChart").first).to_be_visible(timeout=20_000)
        expect(main(page).get_by_role("button", name="Stop")).to_be_visible()
        # the live chart is redrawn every 0.5 s: scroll the Train button (above it) to the top
        page.evaluate("document.querySelector('.st-key-rld_go').scrollIntoView({block: 'start'})")
        page.wait_for_timeout(400)
        shot(page, artifacts_dir, "rl_04_ppo_live")
        expect(metric(page, "Evaluation reward")).to_be_visible(timeout=120_000)
        settle(page)
        rewards = curve(page)
        assert len(rewards) > 10 and max(rewards[-5:]) > 3 * rewards[0], rewards
        assert float(metric_value(page, "Evaluation reward").split(" ")[0]) >= 200
        shot_at(page, artifacts_dir, "rl_05_ppo_done", ".st-key-rld_chart")
        main(page).get_by_role("button", name="Watch the agent").click()
        video = main(page).locator("video").first
        expect(video).to_be_visible(timeout=30_000)
        page.wait_for_function(
            "() => { const v = document.querySelector('video'); return v && v.currentTime > 1; }",
            timeout=15_000,
        )
        assert page.evaluate("document.querySelector('video').videoWidth") == 600
        shot_at(page, artifacts_dir, "rl_06_ppo_replay", ".st-key-rld_replay_box")
        main(page).get_by_role("button", name="Save agent").click()
        settle(page)
        expect(main(page).get_by_text("Saved as")).to_be_visible()
    assert_loopback_only(requests)


def test_q_learning_on_the_lake_and_the_bandit(
    browser: Browser, seeded: str, artifacts_dir: Path
) -> None:
    requests: list[str] = []
    with fresh_page(browser, requests) as page:
        open_lab(page, seeded)
        open_lesson(page, "concepts", "Ideas", "Explore or exploit")
        predict(page, ACTIVITY, "bandit")
        expect(main(page).get_by_test_id("stPlotlyChart")).to_have_count(2)
        shot_at(page, artifacts_dir, "rl_07_bandit")
        open_lesson(page, "tabular", "Q-table", "Q-learning")
        predict(page, ACTIVITY, "q_learning")
        main(page).get_by_role("button", name="Train", exact=True).click()
        expect(metric(page, "Greedy policy succeeds")).to_be_visible(timeout=60_000)
        settle(page)
        assert metric_value(page, "Greedy policy succeeds") == "100%"
        shot_at(page, artifacts_dir, "rl_08_lake_trained", ".st-key-rlq_board")
    assert_loopback_only(requests)
