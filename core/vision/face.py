"""Face recognition for the app: detect, embed (DeepFace's Dlib model in the worker), verify and
identify against a gallery. Distances are cosine distances between 128-number embeddings;
deepface's threshold for Dlib is 0.07 (same person ≈ 0.02–0.04, different ≈ 0.10–0.14)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from core.vision.client import as_image, client
from core.vision.errors import VisionError

Embedding = npt.NDArray[np.float32]
DETECTORS = ("opencv", "mtcnn", "dlib")
MODEL = "Dlib"  # its weights ship; the others need a file placed by hand
OTHER_MODELS = ("VGG-Face", "Facenet", "Facenet512", "ArcFace", "SFace", "GhostFaceNet")
PREPROCESS_STEPS = ("clahe", "denoise", "align")


@dataclass(frozen=True)
class Face:
    box: tuple[int, int, int, int]  # x, y, width, height in px
    eyes: tuple[tuple[float, float] | None, tuple[float, float] | None]  # left, right
    confidence: float
    embedding: Embedding


@dataclass(frozen=True)
class FaceScan:
    faces: tuple[Face, ...]
    threshold: float
    seconds: float

    @property
    def largest(self) -> Face | None:
        return max(self.faces, key=lambda f: f.box[2] * f.box[3], default=None)


@dataclass(frozen=True)
class Match:
    name: str
    distance: float
    accepted: bool


def photo(name: str) -> npt.NDArray[np.uint8]:
    """One of the photos shipped with the worker (astronaut, grace_hopper, zidane, bus)."""
    return np.array(client().call("photo", name=name).arrays[0], dtype=np.uint8)


def scan(image: npt.NDArray[Any], detector: str = "opencv", model: str = MODEL) -> FaceScan:
    if detector not in DETECTORS:
        raise ValueError(f"detector must be one of {DETECTORS}")
    reply = client().call("face_represent", [as_image(image)], detector=detector, model=model)
    faces = tuple(
        Face(
            box=tuple(int(v) for v in meta["box"]),  # type: ignore[arg-type]
            eyes=tuple(None if e is None else (float(e[0]), float(e[1])) for e in meta["eyes"]),  # type: ignore[arg-type]
            confidence=float(meta["confidence"]),
            embedding=np.asarray(vector, dtype=np.float32),
        )
        for meta, vector in zip(reply.header["faces"], reply.arrays, strict=True)
    )
    return FaceScan(faces, float(reply.header["threshold"]), float(reply.header["seconds"]))


def cosine_distance(a: npt.NDArray[Any], b: npt.NDArray[Any]) -> float:
    a64, b64 = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(1.0 - a64 @ b64 / (np.linalg.norm(a64) * np.linalg.norm(b64) + 1e-12))


def verify(
    img_a: npt.NDArray[Any], img_b: npt.NDArray[Any], detector: str = "opencv"
) -> tuple[bool, float]:
    """Are the largest faces in the two images the same person? (verified, distance)"""
    first, second = scan(img_a, detector), scan(img_b, detector)
    for which, found in (("first", first), ("second", second)):
        if found.largest is None:
            raise VisionError("no_face", which=which)
    assert first.largest is not None and second.largest is not None
    distance = cosine_distance(first.largest.embedding, second.largest.embedding)
    return distance <= first.threshold, distance


def identify(
    embedding: Embedding, gallery: list[tuple[str, Embedding]], threshold: float
) -> Match | None:
    """The nearest enrolled person; ``accepted`` only if nearer than the threshold."""
    if not gallery:
        return None
    distances = [(cosine_distance(embedding, vector), name) for name, vector in gallery]
    distance, name = min(distances)
    return Match(name, distance, distance <= threshold)


def preprocess_stages(
    image: npt.NDArray[Any], steps: tuple[str, ...], detector: str = "opencv"
) -> list[tuple[str, npt.NDArray[np.uint8]]]:
    unknown = [s for s in steps if s not in PREPROCESS_STEPS]
    if unknown:
        raise ValueError(f"unknown preprocessing steps {unknown}")
    reply = client().call(
        "face_preprocess", [as_image(image)], steps=list(steps), detector=detector
    )
    return list(zip(reply.header["stages"], reply.arrays, strict=True))


def demography(image: npt.NDArray[Any]) -> list[dict[str, Any]]:
    """Age, gender and emotion: needs DeepFace weights that cannot ship (a clear message)."""
    return list(client().call("face_demography", [as_image(image)]).header["faces"])
