"""The teacher's morning: load the demo class, see who struggles, open the weakest student,
export the class's mastery as CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from core.accounts.service import create_first_teacher
from tests.e2e.helpers import (
    assert_loopback_only,
    click_until,
    fresh_page,
    main,
    open_page,
    server_database,
    settle,
    shot,
    signed_in,
)

pytestmark = pytest.mark.e2e
PASSWORD = "Tulpar-2026-steppe"


@pytest.fixture(scope="module")
def teacher_server(zerde_data_dir: Path, zerde_server: str) -> str:
    engine = server_database(zerde_data_dir)
    create_first_teacher("aigerim", "Aigerim N.", PASSWORD, "en", engine=engine)
    engine.dispose()
    return zerde_server


def test_demo_class_struggling_student_and_csv(
    browser: Browser, teacher_server: str, artifacts_dir: Path
) -> None:
    requests: list[str] = []
    with fresh_page(browser, requests) as page:
        page.set_viewport_size({"width": 1400, "height": 1100})
        page.goto(teacher_server)
        signed_in(page, "aigerim", PASSWORD)
        open_page(page, "Class overview", "teacher_dashboard")
        main(page).get_by_text("Try the dashboard with a demo class").click()
        main(page).get_by_role("button", name="Load a demo class").click()
        expect(main(page).get_by_text("Mastery by student and skill")).to_be_visible(timeout=60_000)
        expect(main(page).get_by_test_id("stMetricValue").first).to_have_text("24")
        expect(main(page).locator(".js-plotly-plot").first).to_be_visible()
        shot(page, artifacts_dir, "31_dashboard_class")

        main(page).get_by_role("tab", name="Students").click()
        settle(page)
        picker = main(page).locator(".st-key-dashboard_student input")
        # The list is sorted weakest first, so the first option is the most struggling student.
        first = page.get_by_role("option").first
        # A click that lands while the page is still busy is dropped: click until it opens.
        click_until(picker, lambda: expect(first).to_be_visible(timeout=5_000))
        name = first.inner_text().strip()
        first.click()
        settle(page)
        summary = main(page).get_by_test_id("stAlertContentInfo").first
        expect(summary).to_contain_text(name)
        expect(main(page).get_by_text("Recommended next")).to_be_visible()
        expect(main(page).get_by_text("Mastery over time")).to_be_visible()
        summary.scroll_into_view_if_needed()
        shot(page, artifacts_dir, "32_struggling_student")
        main(page).get_by_text("Mastery over time").scroll_into_view_if_needed()
        shot(page, artifacts_dir, "33_student_curves")

        main(page).get_by_role("tab", name="Export").click()
        with page.expect_download() as download:
            main(page).get_by_role("button", name="Download mastery (CSV)").click()
        text = Path(download.value.path()).read_text(encoding="utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        assert {r["student"] for r in rows} >= {name}
        assert len({r["user_id"] for r in rows}) == 24
        assert all(0 <= float(r["p_mastery"]) <= 1 for r in rows)
        shot(page, artifacts_dir, "34_export")
    assert_loopback_only(requests)
