"""What the worker can be asked to do. Each handler takes the request's parameters and arrays
and returns a reply header plus arrays; errors become a reply with a code the app translates."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from core.vision import scenes
from core.vision.bench import measure
from core.vision.catalogue import POSE_MODELS
from core.vision.protocol import Message
from core.vision.worker import face_models, photos, pose_models

Handler = Callable[[dict[str, Any], list[Any], Path], Message]


def _image(arrays: list[Any]) -> Any:
    if not arrays or arrays[0].ndim != 3 or arrays[0].shape[2] != 3 or arrays[0].dtype != np.uint8:
        raise ValueError("expected one RGB uint8 image")
    return arrays[0]


def rss_mb() -> float:
    import psutil

    return float(psutil.Process().memory_info().rss / 1024**2)


def status(params: dict[str, Any], arrays: list[Any], models_dir: Path) -> Message:
    available = {}
    for model in POSE_MODELS:
        file = model.weights_file
        present = file is None or (models_dir / file).is_file()
        available[model.id] = {"weights_file": file, "present": present}
    return Message(
        {
            "pid": os.getpid(),
            "rss_mb": rss_mb(),
            "models_dir": str(models_dir),
            "pose_models": available,
            "loaded": pose_models.loaded(),
            "face_weights": str(face_models.weights_folder()),
        }
    )


def pose(params: dict[str, Any], arrays: list[Any], models_dir: Path) -> Message:
    image = _image(arrays)
    estimator = pose_models.estimator(str(params.get("model", "mediapipe")), models_dir)
    with estimator.lock:
        start = time.perf_counter()
        people = estimator.run(image)
        infer_ms = (time.perf_counter() - start) * 1000
    return Message(
        {
            "model": estimator.model.id,
            "trained": estimator.trained,
            "skeleton": estimator.model.skeleton,
            "infer_ms": infer_ms,
            "rss_mb": rss_mb(),
            "people": [{"box": p.box, "score": p.score} for p in people],
        },
        [p.keypoints for p in people],
    )


def _clip(scene: str, size: tuple[int, int], count: int, arrays: list[Any]) -> Any:
    if scene == "upload":
        return scenes.scale_frames([_image([a]) for a in arrays][:count], size)
    if scene == "walk":
        return scenes.walk(photos.photo("bus"), size, count)
    if scene == "two_people":
        return scenes.zoom(photos.photo("zidane"), size, count)
    if scene == "crowd":
        return scenes.crowd(photos.people_crops(), size, count)
    raise ValueError(f"unknown scene {scene!r}")


def bench(params: dict[str, Any], arrays: list[Any], models_dir: Path) -> Message:
    """One configuration of the benchmark: a model on a scene at a resolution."""
    estimator = pose_models.estimator(str(params["model"]), models_dir)
    size = scenes.RESOLUTIONS[str(params["resolution"])]
    clip = _clip(str(params["scene"]), size, int(params.get("frames", 60)), arrays)

    def infer(frame: Any) -> int:
        with estimator.lock:
            return len(estimator.run(frame))

    infer(next(scenes.walk(photos.photo("bus"), size, 1)))  # warm-up, not measured
    result = measure(clip, infer, budget_s=float(params.get("budget_s", 10.0)))
    return Message({"trained": estimator.trained, "model": estimator.model.id, **result.as_dict()})


def photo(params: dict[str, Any], arrays: list[Any], models_dir: Path) -> Message:
    return Message({"name": params["name"]}, [photos.photo(str(params["name"]))])


def face_represent(params: dict[str, Any], arrays: list[Any], models_dir: Path) -> Message:
    start = time.perf_counter()
    model = str(params.get("model", face_models.RECOGNITION_MODEL))
    if model not in face_models.MODELS:
        raise ValueError(f"model must be one of {face_models.MODELS}")
    faces = face_models.represent(_image(arrays), str(params.get("detector", "opencv")), model)
    return Message(
        {
            "faces": [{k: f[k] for k in ("box", "eyes", "confidence")} for f in faces],
            "threshold": face_models.threshold(model),
            "seconds": time.perf_counter() - start,
        },
        [f["embedding"] for f in faces],
    )


def face_preprocess(params: dict[str, Any], arrays: list[Any], models_dir: Path) -> Message:
    stages = face_models.preprocess(
        _image(arrays),
        [str(s) for s in params.get("steps", [])],
        str(params.get("detector", "opencv")),
    )
    return Message({"stages": [name for name, _ in stages]}, [image for _, image in stages])


def face_demography(params: dict[str, Any], arrays: list[Any], models_dir: Path) -> Message:
    found = face_models.analyse_demography(_image(arrays), str(params.get("detector", "opencv")))
    return Message({"faces": found})


def _crash(params: dict[str, Any], arrays: list[Any], models_dir: Path) -> Message:
    os._exit(3)


def _hog(params: dict[str, Any], arrays: list[Any], models_dir: Path) -> Message:
    _HOARD.append(np.ones(int(params["mb"]) * 1024**2 // 8))
    return Message({})


def _attempts(params: dict[str, Any], arrays: list[Any], models_dir: Path) -> Message:
    return Message({"attempts": list(ATTEMPTS)})


def refuse_external_network() -> None:
    """Test mode: any connection beyond loopback is refused and remembered, so a test can
    assert that the worker (not only the app) never reached the network."""
    import ipaddress
    import socket

    real = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> Any:
        if isinstance(address, tuple):
            try:
                local = ipaddress.ip_address(address[0]).is_loopback
            except ValueError:
                local = address[0] == "localhost"
            if not local:
                ATTEMPTS.append(str(address))
                raise ConnectionRefusedError(f"external network refused in tests: {address}")
        return real(self, address)

    socket.socket.connect = connect  # type: ignore[method-assign,assignment]


ATTEMPTS: list[str] = []
_HOARD: list[Any] = []
HANDLERS: dict[str, Handler] = {
    "status": status,
    "pose": pose,
    "bench": bench,
    "photo": photo,
    "face_represent": face_represent,
    "face_preprocess": face_preprocess,
    "face_demography": face_demography,
}
TEST_HANDLERS: dict[str, Handler] = {"_crash": _crash, "_hog": _hog, "_attempts": _attempts}
