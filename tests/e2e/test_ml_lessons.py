"""A student in the ML lab: predicts, uploads a CSV (a broken one first), trains a decision tree
on it, then meets the wine challenge; and trains a neural network whose curves grow live."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import Browser, Page, expect

from core.ml.lessons import ACTIVITY
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


@pytest.fixture(scope="module")
def seeded(zerde_data_dir: Path, zerde_server: str) -> str:
    seed_class(zerde_data_dir, ("aigerim", "Aigerim N."), "10B", ("dana", "Dana K."), PASSWORD)
    return zerde_server


def exam_csv(folder: Path, *, with_names: bool) -> Path:
    """A class's own data: hours of study and sleep, attendance, and whether the exam was passed."""
    rng = np.random.default_rng(7)
    study, sleep = rng.uniform(0, 10, 120), rng.uniform(4, 10, 120)
    attendance = rng.integers(50, 101, 120)
    passed = (0.6 * study + 0.4 * sleep + 0.03 * attendance + rng.normal(0, 1, 120)) > 8.5
    rows = [
        (f"student {i}," if with_names else "") + f"{s:.1f},{z:.1f},{a},{'yes' if p else 'no'}"
        for i, (s, z, a, p) in enumerate(zip(study, sleep, attendance, passed, strict=True))
    ]
    header = ("name," if with_names else "") + "study_hours,sleep_hours,attendance,passed"
    path = folder / ("exam_with_names.csv" if with_names else "exam.csv")
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def choose(page: Page, key: str, option: str) -> None:
    box = page.locator(f".st-key-{key} input").first
    box.scroll_into_view_if_needed()
    box.click()
    box.fill(option.split(" ", maxsplit=1)[0])
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def lesson(page: Page, family: str, name: str) -> None:
    main(page).locator(f".st-key-ml_lesson_{family}").get_by_text(name, exact=True).click()
    settle(page)


def open_lab(page: Page, url: str) -> None:
    page.goto(url)
    signed_in(page, "dana", PASSWORD)
    open_page(page, "Machine learning", "ml_lessons")
    expect(main(page).locator(".st-key-ml_lesson_supervised")).to_be_visible(timeout=60_000)
    settle(page)


def test_csv_tree_and_challenge(
    browser: Browser, seeded: str, artifacts_dir: Path, tmp_path: Path
) -> None:
    requests: list[str] = []
    with fresh_page(browser, requests) as page:
        open_lab(page, seeded)
        lesson(page, "supervised", "Classifiers compared")
        expect(main(page).get_by_text("Make your prediction first")).to_be_visible()
        predict(page, ACTIVITY, "classification")
        expect(main(page).get_by_test_id("stPlotlyChart").first).to_be_visible()
        shot_at(page, artifacts_dir, "ml_01_moons_tree")

        choose(page, "mlc", "My own CSV file…")
        upload = page.locator(".st-key-mlc_file input[type=file]")
        upload.set_input_files(str(exam_csv(tmp_path, with_names=True)))
        settle(page)
        expect(main(page).get_by_text("too many different values")).to_be_visible()
        expect(main(page).get_by_text("name")).not_to_have_count(0)
        shot(page, artifacts_dir, "ml_02_csv_error")

        upload.set_input_files(str(exam_csv(tmp_path, with_names=False)))
        settle(page)
        expect(main(page).get_by_text("120 rows and 3 features loaded")).to_be_visible()
        expect(main(page).get_by_test_id("stMetric")).to_have_count(4)
        tree_score = float(metric_value(page, "Test accuracy"))
        assert 0.5 < tree_score <= 1.0
        expect(main(page).get_by_test_id("stPlotlyChart").first).to_be_visible()
        shot_at(page, artifacts_dir, "ml_03_csv_tree")

        choose(page, "mlc", "Wine (178 × 13)")
        challenge = main(page).locator(".st-key-ml_challenge_card_classification")
        page.locator(".st-key-ml_challenge_submit_classification button").click()
        expect(challenge.get_by_text("Too many features")).to_be_visible()
        features = page.locator(".st-key-mlc_features_wine")
        features.get_by_role("button", name="Clear all").click()
        settle(page)
        # names no other wine feature contains: the list filters fuzzily and Enter takes them all
        for name in ("proline", "od280/od315_of_diluted_wines", "color_intensity"):
            box = features.locator("input")
            box.click()
            box.fill(name[:8])
            expect(page.get_by_role("option", name=name, exact=True)).to_be_visible()
            box.press("Enter")  # picks the one option left; a click can hit a re-rendered list
            page.keyboard.press("Escape")
            settle(page)
        expect(features.get_by_text("color_intensity")).to_be_visible()
        expect(challenge.get_by_text("Features: 3 ·")).to_be_visible()
        page.locator(".st-key-ml_challenge_submit_classification button").click()
        settle(page)
        expect(challenge.get_by_text("Challenge met!")).to_be_visible()
        shot_at(
            page, artifacts_dir, "ml_04_wine_challenge", ".st-key-ml_challenge_card_classification"
        )
    assert_loopback_only(requests)


def test_network_trains_live(browser: Browser, seeded: str, artifacts_dir: Path) -> None:
    requests: list[str] = []
    with fresh_page(browser, requests) as page:
        open_lab(page, seeded)
        lesson(page, "supervised", "Neural network")
        predict(page, ACTIVITY, "neural_net")
        choose(page, "mln", "Handwritten digits (1797 × 64)")
        main(page).get_by_role("button", name="Train the network").click()
        expect(main(page).get_by_text("Working…")).to_be_visible(timeout=15_000)
        expect(main(page).get_by_test_id("stPlotlyChart").first).to_be_visible()
        # Stop shows while it trains; on a fast machine the 1-2 s training may already be done
        stop = main(page).get_by_role("button", name="Stop")
        expect(stop.or_(main(page).get_by_text("weights and biases"))).to_be_visible()
        shot_at(page, artifacts_dir, "ml_05_network_live", ".st-key-mln_go")
        expect(main(page).get_by_text("weights and biases")).to_be_visible(timeout=60_000)
        settle(page)
        assert float(metric_value(page, "Test accuracy")) > 0.8
        shot_at(page, artifacts_dir, "ml_06_network_done", ".st-key-mln_go")
    assert_loopback_only(requests)


TOUR = (
    ("supervised", "Linear regression", "regression"),
    ("supervised", "Over- and underfitting", "overfitting"),
    ("supervised", "Evaluating a classifier", "evaluation"),
    ("unsupervised", "k-means", "kmeans"),
    ("unsupervised", "DBSCAN", "dbscan"),
    ("unsupervised", "Hierarchical clustering", "hierarchical"),
    ("unsupervised", "PCA", "pca"),
    ("semi_supervised", "Semi-supervised learning", "semi_supervised"),
    ("applications", "Where ML is used", "applications"),
)
FAMILY_LABELS = {
    "supervised": "Supervised",
    "unsupervised": "Unsupervised",
    "semi_supervised": "Semi-supervised",
    "applications": "In real life",
}


def test_tour_of_every_lesson(browser: Browser, seeded: str, artifacts_dir: Path) -> None:
    """Each lesson's experiment renders in a real browser with its plots (screenshots checked)."""
    requests: list[str] = []
    with fresh_page(browser, requests) as page:
        open_lab(page, seeded)
        current = "supervised"
        for number, (family, name, lesson_id) in enumerate(TOUR, start=10):
            if family != current:  # clicking the selected family would unselect it
                families = main(page).locator(".st-key-ml_family")
                families.get_by_text(FAMILY_LABELS[family], exact=True).click()
                settle(page)
                current = family
            lesson(page, family, name)
            predict(page, ACTIVITY, lesson_id)
            if lesson_id == "overfitting":  # its curves are drawn in the background on request
                main(page).get_by_role("button", name="Draw the validation curve").click()
            target = "stPlotlyChart" if lesson_id != "applications" else "stDataFrame"
            expect(main(page).get_by_test_id(target).first).to_be_visible()
            expect(main(page).get_by_test_id("stException")).to_have_count(0)
            shot_at(page, artifacts_dir, f"ml_{number}_{lesson_id}", target)
    assert_loopback_only(requests)
