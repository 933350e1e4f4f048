"""Pose estimation for the app: people with keypoints, whichever backend ran in the worker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from core.vision.catalogue import pose_model
from core.vision.client import as_image, client


@dataclass(frozen=True)
class Person:
    keypoints: npt.NDArray[np.float32]  # (K, 3): x px, y px, visibility 0..1
    box: tuple[float, float, float, float] | None
    score: float

    def visible(self, threshold: float = 0.5) -> int:
        return int((self.keypoints[:, 2] >= threshold).sum())


@dataclass(frozen=True)
class PoseFrame:
    people: tuple[Person, ...]
    model: str
    trained: bool  # False: an untrained YOLO architecture, timed but its keypoints mean nothing
    skeleton: str
    infer_ms: float
    worker_rss_mb: float


def estimate_frame(image: npt.NDArray[Any], backend: str = "mediapipe") -> PoseFrame:
    pose_model(backend)  # an unknown name fails here, before a worker starts
    reply = client().call("pose", [as_image(image)], model=backend)
    header = reply.header
    people = tuple(
        Person(np.asarray(points, dtype=np.float32), _box(meta["box"]), float(meta["score"]))
        for meta, points in zip(header["people"], reply.arrays, strict=True)
    )
    return PoseFrame(
        people,
        header["model"],
        bool(header["trained"]),
        header["skeleton"],
        float(header["infer_ms"]),
        float(header["rss_mb"]),
    )


def estimate(image: npt.NDArray[Any], backend: str = "mediapipe") -> list[Person]:
    """People found in an RGB image, each with ``keypoints`` (x, y, visibility)."""
    return list(estimate_frame(image, backend).people)


def _box(value: Any) -> tuple[float, float, float, float] | None:
    return (
        None
        if value is None
        else (float(value[0]), float(value[1]), float(value[2]), float(value[3]))
    )
