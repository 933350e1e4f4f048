"""The vision lab in a real browser with Chromium's fake camera fed from a Y4M clip made from a
shipped photo (bus.jpg): the live video runs through the vision worker, the pose skeleton is
drawn on the frames that come back, and the FPS counter moves. Then a short benchmark run draws
its charts. Nothing leaves loopback."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from PIL import Image as PILImage
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from core.vision.scenes import zoom
from tests.e2e.conftest import CHROMIUM_ARGS, ROOT
from tests.e2e.helpers import (
    assert_loopback_only,
    fresh_page,
    lock_prediction,
    main,
    metric_value,
    open_page,
    seed_class,
    settle,
    shot_at,
    signed_in,
)

PASSWORD = "Kamera-Jelbe-2026"
BUS = next(
    (ROOT / ".venv-vision" / "lib").glob("python3*/site-packages/ultralytics/assets/bus.jpg")
)
BONE = np.array([0, 230, 255])
FPS_ABOVE_ONE = """() => {
  const values = document.querySelectorAll(
    ".st-key-vision_live_numbers [data-testid='stMetricValue']");
  return values.length > 0 && parseFloat(values[0].innerText) > 1;
}"""


@pytest.fixture(scope="module")
def camera_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five seconds of bus.jpg with a slow zoom, as Chromium's fake camera expects (Y4M)."""
    import imageio_ffmpeg

    photo = np.asarray(PILImage.open(BUS).convert("RGB"))
    frames = list(zoom(photo, (640, 480), 50, depth=0.15))
    clip = tmp_path_factory.mktemp("camera") / "bus.y4m"
    subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-f", "rawvideo",
         "-pix_fmt", "rgb24", "-s", "640x480", "-r", "10", "-i", "-", "-pix_fmt", "yuv420p",
         str(clip)],
        input=b"".join(f.tobytes() for f in frames), check=True,
    )  # fmt: skip
    return clip


@pytest.fixture(scope="module")
def camera_browser(chromium_path: Path, camera_clip: Path) -> Iterator[Browser]:
    args = [
        *CHROMIUM_ARGS,
        "--use-fake-ui-for-media-stream",  # the permission prompt is answered "allow"
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={camera_clip}",
    ]
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(chromium_path), args=args)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def seeded(zerde_data_dir: Path, zerde_server: str) -> str:
    seed_class(zerde_data_dir, ("aruzhan", "Aruzhan K."), "10B", ("timur", "Timur A."), PASSWORD)
    return zerde_server


@contextmanager
def lab_page(browser: Browser, url: str, requests: list[str]) -> Iterator[Page]:
    with fresh_page(browser, requests) as page:
        page.set_viewport_size({"width": 1400, "height": 1100})
        page.goto(url)
        signed_in(page, "timur", PASSWORD)
        open_page(page, "Vision lab", "vision_lab")
        yield page


def _bone_pixels(page: object) -> int:
    """Pixels of the skeleton colour in the video the server sends back."""
    frame = page.frame_locator("iframe[title*='webrtc']").first  # type: ignore[attr-defined]
    data = frame.locator("video").first.evaluate(
        """v => { const c = document.createElement('canvas'); c.width = v.videoWidth;
        c.height = v.videoHeight; const g = c.getContext('2d'); g.drawImage(v, 0, 0);
        return Array.from(g.getImageData(0, 0, c.width, c.height).data); }"""
    )
    pixels = np.asarray(data, dtype=np.int32).reshape(-1, 4)[:, :3]
    return int((np.abs(pixels - BONE).max(axis=1) < 40).sum())


def test_live_pose_on_the_fake_camera(
    camera_browser: Browser, seeded: str, artifacts_dir: Path
) -> None:
    requests: list[str] = []
    with lab_page(camera_browser, seeded, requests) as page:
        frame = page.frame_locator("iframe[title*='webrtc']").first
        frame.get_by_role("button", name="Start the camera").click()
        numbers = main(page).locator(".st-key-vision_live_numbers")
        expect(numbers).to_be_visible(timeout=90_000)
        page.wait_for_function(FPS_ABOVE_ONE, timeout=120_000)
        fps = float(metric_value(page, "FPS"))
        assert fps > 1, fps
        assert _bone_pixels(page) > 200, "no skeleton drawn on the returned video"
        shot_at(page, artifacts_dir, "vision_00_live_pose", ".st-key-vision_live_view")
        frame.get_by_role("button", name="Stop").click()
        settle(page)

        main(page).get_by_role("tab", name="Pose benchmark").click()
        settle(page)
        lock_prediction(page, "vision", "resolution", "About the same (within 15%)")
        main(page).get_by_role("button", name="Run the benchmark").click()
        chart = main(page).locator(".st-key-vision_bench_chart_fps .js-plotly-plot")
        expect(chart).to_be_visible(timeout=180_000)
        settle(page)
        shot_at(page, artifacts_dir, "vision_01_benchmark", ".st-key-vision_bench_chart_fps")
        verdict = main(page).get_by_test_id("stAlert").filter(has_text="Pose models shrink")
        expect(verdict).to_be_visible()
        shot_at(
            page, artifacts_dir, "vision_02_benchmark_verdict", ".st-key-vision_q_card_resolution"
        )
    assert_loopback_only(requests)


def test_face_verification_and_palm_veins(
    camera_browser: Browser, seeded: str, artifacts_dir: Path
) -> None:
    requests: list[str] = []
    with lab_page(camera_browser, seeded, requests) as page:
        main(page).get_by_role("tab", name="Face recognition").click()
        expect(metric_value_locator(page, "Verdict")).to_have_text(
            "Different people", timeout=90_000
        )
        shot_at(page, artifacts_dir, "vision_03_face_verify", ".st-key-vision_verdict")

        main(page).get_by_role("tab", name="Palm veins").click()
        lock_prediction(page, "vision", "palm_condition", "A covered palm")
        main(page).get_by_role("button", name="Train and test").click()
        spread = main(page).locator(".st-key-vision_palm_spread .js-plotly-plot")
        expect(spread).to_be_visible(timeout=180_000)
        accuracy = float(metric_value(page, "Accuracy on new people").rstrip("%"))
        assert accuracy > 80, accuracy
        shot_at(page, artifacts_dir, "vision_04_palm_results", ".st-key-vision_palm_spread")
    assert_loopback_only(requests)


def metric_value_locator(page: Page, label: str) -> Locator:
    block = main(page).get_by_test_id("stMetric").filter(has_text=label).first
    return block.get_by_test_id("stMetricValue")
