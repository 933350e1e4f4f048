"""Pose estimators inside the worker, loaded once and kept. Each returns people as keypoint
arrays in pixels, (x, y, visibility), so the app never needs to know which library ran."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from core.vision.catalogue import PoseModel, pose_model

Image = npt.NDArray[np.uint8]


@dataclass
class Person:
    keypoints: npt.NDArray[np.float32]  # (K, 3): x px, y px, visibility 0..1
    box: tuple[float, float, float, float] | None  # x0, y0, x1, y1 in px
    score: float


class MissingWeights(Exception):
    def __init__(self, filename: str, folder: Path) -> None:
        super().__init__(f"place {filename} in {folder}")
        self.filename = filename
        self.folder = folder


@dataclass
class Estimator:
    model: PoseModel
    trained: bool
    run: Callable[[Image], list[Person]]
    lock: threading.Lock  # mediapipe graphs and torch modules are not safe across threads


_LOADED: dict[str, Estimator] = {}
_LOADING = threading.Lock()


def estimator(name: str, models_dir: Path) -> Estimator:
    model = pose_model(name)
    with _LOADING:
        if model.id not in _LOADED:
            loader = _mediapipe if model.family == "mediapipe" else _yolo
            _LOADED[model.id] = loader(model, models_dir)
        return _LOADED[model.id]


def _mediapipe(model: PoseModel, models_dir: Path) -> Estimator:
    import mediapipe as mp

    if model.weights_file is not None:
        packaged = Path(mp.__file__).parent / "modules" / "pose_landmark" / model.weights_file
        if not packaged.exists():
            offered = models_dir / model.weights_file
            if not offered.is_file():
                raise MissingWeights(model.weights_file, models_dir)
            shutil.copyfile(offered, packaged)
    complexity = ("lite", "full", "heavy").index(model.size)
    pose = mp.solutions.pose.Pose(
        static_image_mode=False, model_complexity=complexity, min_detection_confidence=0.5
    )

    def run(image: Image) -> list[Person]:
        result = pose.process(image)
        if result.pose_landmarks is None:
            return []
        height, width = image.shape[:2]
        points = np.array(
            [(p.x * width, p.y * height, p.visibility) for p in result.pose_landmarks.landmark],
            dtype=np.float32,
        )
        seen = points[points[:, 2] > 0.5]
        box = None
        if len(seen):
            box = (*seen[:, :2].min(axis=0).tolist(), *seen[:, :2].max(axis=0).tolist())
        return [Person(points, box, float(points[:, 2].mean()))]

    return Estimator(model, True, run, threading.Lock())


def _yolo(model: PoseModel, models_dir: Path) -> Estimator:
    from core.vision.worker.offline import define_torchvision_nms

    define_torchvision_nms()
    import torch
    from ultralytics import YOLO

    torch.set_num_threads(1)
    weights = models_dir / str(model.weights_file)
    trained = weights.is_file()
    net = YOLO(str(weights) if trained else f"{model.id}.yaml", task="pose")

    def run(image: Image) -> list[Person]:
        result = net.predict(image[:, :, ::-1], imgsz=640, verbose=False, device="cpu")[0]
        if result.keypoints is None or len(result.boxes) == 0:
            return []
        points = result.keypoints.data.cpu().numpy().astype(np.float32)
        boxes = result.boxes.xyxy.cpu().numpy()
        scores = result.boxes.conf.cpu().numpy()
        return [
            Person(points[i], tuple(float(v) for v in boxes[i]), float(scores[i]))  # type: ignore[arg-type]
            for i in range(len(points))
        ]

    return Estimator(model, trained, run, threading.Lock())


def loaded() -> dict[str, Any]:
    return {name: {"trained": e.trained} for name, e in _LOADED.items()}
