"""Pose backends on shipped photos: MediaPipe finds a person on bus.jpg with landmarks where the
person stands; an untrained YOLO runs (for timing) and says so."""

from __future__ import annotations

import numpy as np
import pytest

from core.vision import pose
from core.vision.catalogue import POSE_MODELS, pose_model
from core.vision.client import WorkerClient
from core.vision.skeletons import BLAZEPOSE33_EDGES, COCO17_EDGES, EDGES


def test_mediapipe_finds_the_person_on_bus_jpg(photos: dict[str, np.ndarray]) -> None:
    people = pose.estimate(photos["bus"], backend="mediapipe")
    assert len(people) == 1
    person = people[0]
    assert person.keypoints.shape == (33, 3)
    assert person.visible() >= 20
    xs, ys = person.keypoints[:, 0], person.keypoints[:, 1]
    height, width = photos["bus"].shape[:2]
    assert 0 <= np.median(xs) <= width and 0.3 * height <= np.median(ys) <= height
    nose, left_ankle = person.keypoints[0], person.keypoints[27]
    assert nose[1] < left_ankle[1], "the head should be above the feet"
    assert left_ankle[1] - nose[1] > 0.3 * height, "a standing person spans the frame"


def test_mediapipe_finds_nobody_in_an_empty_frame(photos: dict[str, np.ndarray]) -> None:
    empty = np.full((480, 640, 3), 128, np.uint8)
    assert pose.estimate(empty, backend="mediapipe-full") == []


def test_untrained_yolo_runs_and_is_marked_untrained(photos: dict[str, np.ndarray]) -> None:
    frame = pose.estimate_frame(photos["bus"], backend="yolov8n-pose")
    assert frame.trained is False
    assert frame.skeleton == "coco17"
    assert frame.infer_ms > 0
    for person in frame.people:
        assert person.keypoints.shape == (17, 3)


def test_unknown_backend_fails_before_the_worker(worker: WorkerClient) -> None:
    with pytest.raises(ValueError, match="unknown pose model"):
        pose.estimate(np.zeros((8, 8, 3), np.uint8), backend="openpose")


def test_catalogue_and_skeletons_agree() -> None:
    assert {m.id for m in POSE_MODELS} >= {"mediapipe-full", "yolov8n-pose", "yolov8x-pose"}
    assert pose_model("mediapipe").id == "mediapipe-full"
    assert pose_model("yolov8m-pose").weights_file == "yolov8m-pose.pt"
    assert max(max(e) for e in BLAZEPOSE33_EDGES) == 32
    assert max(max(e) for e in COCO17_EDGES) == 16
    assert set(EDGES) == {m.skeleton for m in POSE_MODELS}
