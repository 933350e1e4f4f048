"""The benchmark's metrics, scenes and grid: numbers computed as the seed study defines them."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import numpy as np
import pytest

from core.vision import pose_bench, scenes
from core.vision.bench import average_fps, measure
from core.vision.client import WorkerClient


def test_average_fps_is_the_mean_of_per_frame_rates_not_frames_over_time() -> None:
    assert average_fps([0.1, 0.1]) == pytest.approx(10.0)
    assert average_fps([0.05, 0.2]) == pytest.approx((20 + 5) / 2)  # 12.5, while 2/0.25 = 8
    assert average_fps([]) == 0.0


def test_measure_times_only_the_model_and_stops_on_budget() -> None:
    def slow_model(frame: np.ndarray) -> int:
        time.sleep(0.02)
        return 2

    def frames():  # each frame also costs 10 ms to make, which FPS must not count
        while True:
            time.sleep(0.01)
            yield np.zeros((4, 4, 3), np.uint8)

    result = measure(frames(), slow_model, budget_s=0.3, min_frames=3)
    assert 8 <= len(result.frame_seconds) <= 12
    assert 35 <= result.fps <= 50  # ~1/0.02 s, not ~1/0.03 s
    assert len(result.frame_seconds) / result.elapsed_s < result.fps  # elapsed counts frame making
    assert result.rss_mb > 10 and result.elapsed_s >= 0.3
    assert result.as_dict()["people_mean"] == 2.0


def test_slow_models_still_get_min_frames() -> None:
    def glacial(frame: np.ndarray) -> int:
        time.sleep(0.05)
        return 0

    result = measure((np.zeros((2, 2, 3), np.uint8) for _ in range(10)), glacial, 0.01, 3)
    assert len(result.frame_seconds) == 3


@pytest.mark.parametrize("resolution", list(scenes.RESOLUTIONS))
def test_scenes_have_the_resolution_and_move(resolution: str) -> None:
    size = scenes.RESOLUTIONS[resolution]
    person = np.full((300, 100, 3), 200, np.uint8)
    photo = np.random.default_rng(0).integers(0, 255, (400, 600, 3), dtype=np.uint8)
    for clip in (
        list(scenes.walk(person, size, 5)),
        list(scenes.zoom(photo, size, 5)),
        list(scenes.crowd([person, photo], size, 5)),
    ):
        assert all(frame.shape == (size[1], size[0], 3) for frame in clip)
        assert not np.array_equal(clip[0], clip[2]), "a scene without motion"


def test_walk_crosses_the_frame() -> None:
    person = np.full((300, 100, 3), 250, np.uint8)
    frames = list(scenes.walk(person, (854, 480), 9))
    centres = [np.nonzero((f == 250).all(axis=2))[1].mean() for f in frames[1:-1]]
    assert centres == sorted(centres) and centres[-1] - centres[0] > 400


def test_uploaded_frames_are_letterboxed_and_downscaled() -> None:
    tall = np.zeros((400, 100, 3), np.uint8)
    (out,) = list(scenes.scale_frames([tall], (854, 480)))
    assert out.shape == (480, 854, 3)
    assert pose_bench.downscale(np.zeros((720, 1280, 3), np.uint8)).shape == (360, 640, 3)


def test_unknown_grid_entries_are_refused_before_running() -> None:
    with pytest.raises(ValueError):
        pose_bench.check(["mediapipe"], ["4k"], ["walk"])
    with pytest.raises(ValueError):
        pose_bench.check(["openpose"], ["480p"], ["walk"])


def test_grid_through_the_worker_gives_rows_and_csv(worker: WorkerClient) -> None:
    rows = pose_bench.grid(["mediapipe-full"], ["480p"], ["walk", "upload"], budget_s=0.3,
                           uploaded=[np.full((240, 320, 3), 90, np.uint8)] * 4)  # fmt: skip
    walk, upload = rows
    assert walk.trained and walk.fps > 5 and walk.frames >= 3 and walk.rss_mb > 100
    assert upload.scene == "upload" and upload.frames == 4 and upload.people_mean == 0
    text = pose_bench.to_csv(rows)
    assert text.splitlines()[0].startswith("model,trained,resolution,scene,fps")
    assert len(text.splitlines()) == 3


@pytest.mark.timeout(300)
def test_benchmark_script_prints_one_json_object_per_configuration() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.pose", "--quick", "--json", "--models",
         "mediapipe-full", "--resolutions", "480p", "--scenes", "walk"],
        capture_output=True, text=True, timeout=280, check=True,
    )  # fmt: skip
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 1
    row = lines[0]
    for key in ("model", "trained", "resolution", "scene", "fps", "cpu_percent", "rss_mb",
                "elapsed_s"):  # fmt: skip
        assert key in row
    assert row["model"] == "mediapipe-full" and row["resolution"] == "480p" and row["fps"] > 0
