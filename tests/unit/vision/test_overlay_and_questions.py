"""Overlays draw where the keypoints are; question truths follow the learner's own numbers."""

from __future__ import annotations

import numpy as np
import pytest

from core.vision import overlay, questions
from core.vision.face_experiments import ConditionPoint, ConditionResult
from core.vision.pose_bench import BenchRow


def test_skeleton_is_drawn_between_visible_joints_only() -> None:
    image = np.zeros((360, 640, 3), np.uint8)
    points = np.zeros((17, 3), np.float32)
    points[5] = (100, 100, 0.9)  # left shoulder
    points[7] = (100, 300, 0.9)  # left elbow: bone 5-7 visible
    points[6] = (500, 100, 0.9)
    points[8] = (500, 300, 0.1)  # right elbow hidden: bone 6-8 not drawn
    out = overlay.draw_people(image, [points], "coco17")
    assert out[200, 100].any() and not out[200, 500].any()
    assert not image.any(), "the input frame is left untouched"


def test_labels_and_hud_are_drawn() -> None:
    image = np.zeros((480, 854, 3), np.uint8)
    boxed = overlay.draw_labels(image, [overlay.Label((300, 200, 400, 320), "Aida")])
    assert tuple(boxed[260, 300]) == overlay.BOX_KNOWN
    hud = overlay.draw_hud(image, ["FPS 30.0", "CPU 40 %"])
    assert hud[5:60, 5:80].any()
    assert overlay.draw_hud(image, []) is image


def test_fps_meter() -> None:
    meter = overlay.FpsMeter(window=5)
    assert meter.tick(0.0) == 0.0
    for i in range(1, 10):
        fps = meter.tick(i * 0.04)
    assert fps == pytest.approx(25.0)


def _row(model: str, resolution: str, scene: str, fps: float, people: float = 1.0) -> BenchRow:
    return BenchRow(model, True, resolution, scene, fps, 50, 100, 1000, 2, 30, people)


def test_resolution_truth_follows_measured_fps() -> None:
    rows = [_row("mediapipe-full", "480p", "walk", 80), _row("mediapipe-full", "1080p", "walk", 72)]
    assert questions.resolution_truth(rows, "mediapipe-full") == ("same",)
    rows[1] = _row("mediapipe-full", "1080p", "walk", 50)
    assert questions.resolution_truth(rows, "mediapipe-full") == ("slightly_lower",)
    rows[1] = _row("mediapipe-full", "1080p", "walk", 20)
    assert questions.resolution_truth(rows, "mediapipe-full") == ("much_lower",)
    assert questions.resolution_truth(rows[:1], "mediapipe-full") == ()


def test_crowd_and_tradeoff_truths() -> None:
    rows = [
        _row("mediapipe-full", "480p", "crowd", 80, people=1.0),
        _row("yolov8n-pose", "480p", "crowd", 20, people=0.0),
        _row("yolov8x-pose", "480p", "crowd", 1.5, people=0.0),
    ]
    assert questions.crowd_count_truth(rows, "mediapipe-full", people=8) == ("one",)
    assert questions.crowd_model_truth(rows) == ("yolo",)
    assert questions.fitness_truth(rows) == ("mediapipe",)
    assert questions.judge("fitness", "yolo_x", ("mediapipe",)).error_type == "bigger_is_better"


def test_condition_clahe_and_palm_truths() -> None:
    def sweep(found: bool, verified: bool) -> ConditionResult:
        return ConditionResult("lighting", 0.07, (ConditionPoint(0.1, found, 0.2, verified),), ())

    assert questions.condition_truth(sweep(False, False)) == ("no_face",)
    assert questions.condition_truth(sweep(True, False)) == ("rejected",)
    assert questions.condition_truth(sweep(True, True)) == ("verified",)
    assert questions.clahe_truth(0.05, 0.03) == ("closer",)
    assert questions.clahe_truth(0.03, 0.05) == ("farther",)
    assert questions.palm_truth(0.02, 0.20, 0.08) == ("low_light",)
    assert questions.palm_truth(0.02, 0.021, 0.03) == ("neither",)
    assert questions.palm_truth(0.02, 0.15, 0.155) == ("low_light", "occlusion")


def test_cyrillic_names_are_drawn_not_boxes() -> None:
    image = np.zeros((480, 854, 3), np.uint8)
    box = (300, 200, 400, 320)
    for letter in "ЖҚӘ":
        drawn = overlay.draw_labels(image, [overlay.Label(box, letter)])
        missing = overlay.draw_labels(image, [overlay.Label(box, "\uffff")])
        assert not np.array_equal(drawn, missing), f"{letter} drawn as a missing glyph"
