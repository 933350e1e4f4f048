"""Face detection, preprocessing and embedding inside the worker, through DeepFace.

Recognition uses DeepFace's Dlib model, whose weights ship in ``face-recognition-models``. Every
other model (and age/gender/emotion analysis) stays reachable: deepface's downloader is replaced
by a check that names the file and the folder, so a teacher can copy the file in by hand."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from core.vision.worker.pose_models import MissingWeights

Image = npt.NDArray[np.uint8]
DETECTORS = ("opencv", "mtcnn", "dlib")
RECOGNITION_MODEL = "Dlib"  # the one whose weights ship (face-recognition-models)
MODELS = ("Dlib", "VGG-Face", "Facenet", "Facenet512", "ArcFace", "SFace", "GhostFaceNet")
LOCK = threading.Lock()  # TensorFlow graphs and dlib detectors are shared by every request
_READY: list[bool] = []  # set once deepface's downloader is replaced


def _ready() -> Any:
    """Import deepface once, with its downloader replaced by a clear 'place file' error."""
    from deepface import DeepFace
    from deepface.commons import weight_utils

    from core.vision.worker.offline import link_dlib_weights

    if not _READY:
        folder = link_dlib_weights()

        def local_only(file_name: str, source_url: Any, compress_type: Any = None) -> str:
            target = folder / file_name
            if target.is_file():
                return str(target)
            raise MissingWeights(file_name, folder)

        weight_utils.download_weights_if_necessary = local_only
        _READY.append(True)
    return DeepFace


def represent(
    image: Image, detector: str = "opencv", model: str = RECOGNITION_MODEL
) -> list[dict[str, Any]]:
    """Every face found: embedding, box, eyes and detector confidence. No face: an empty list."""
    if detector not in DETECTORS:
        raise ValueError(f"detector must be one of {DETECTORS}")
    deepface = _ready()
    with LOCK:
        try:
            found = deepface.represent(
                image[:, :, ::-1].copy(), model_name=model, detector_backend=detector, align=True
            )
        except ValueError as exc:
            if "could not be detected" in str(exc) or "Face could not" in str(exc):
                return []
            raise
    return [
        {
            "embedding": np.asarray(face["embedding"], dtype=np.float32),
            "box": [int(face["facial_area"][k]) for k in ("x", "y", "w", "h")],
            "eyes": [_point(face["facial_area"].get(k)) for k in ("left_eye", "right_eye")],
            "confidence": float(face.get("face_confidence") or 0.0),
        }
        for face in found
    ]


def threshold(model: str = RECOGNITION_MODEL) -> float:
    from deepface.modules.verification import find_threshold

    return float(find_threshold(model, "cosine"))


def analyse_demography(image: Image, detector: str = "opencv") -> list[dict[str, Any]]:
    """Age, gender and emotion need weights that cannot ship; with them placed, this works."""
    deepface = _ready()
    with LOCK:
        found = deepface.analyze(
            image[:, :, ::-1].copy(),
            actions=("age", "gender", "emotion"),
            detector_backend=detector,
            silent=True,
        )
    return [
        {k: face[k] for k in ("age", "dominant_gender", "dominant_emotion") if k in face}
        for face in found
    ]


def aligned_face(image: Image, detector: str = "opencv", size: int = 160) -> Image | None:
    """The first face, cropped and rotated so the eyes are level (deepface's alignment)."""
    deepface = _ready()
    with LOCK:
        try:
            faces = deepface.extract_faces(
                image[:, :, ::-1].copy(), detector_backend=detector, align=True, color_face="rgb"
            )
        except ValueError:
            return None
    if not faces:
        return None
    face = np.clip(np.asarray(faces[0]["face"]) * 255.0, 0, 255).astype(np.uint8)
    import cv2

    return np.asarray(cv2.resize(face, (size, size)), dtype=np.uint8)


def clahe(image: Image, clip: float = 2.0) -> Image:
    """Contrast-limited equalisation of lightness only, so colours keep their hue."""
    import cv2

    lab = cv2.cvtColor(image, cv2.COLOR_RGB2LAB)
    lab[:, :, 0] = cv2.createCLAHE(clipLimit=clip, tileGridSize=(8, 8)).apply(lab[:, :, 0])
    return np.asarray(cv2.cvtColor(lab, cv2.COLOR_LAB2RGB), dtype=np.uint8)


def denoise(image: Image, strength: float = 7.0) -> Image:
    import cv2

    out = cv2.fastNlMeansDenoisingColored(image, None, strength, strength, 7, 21)
    return np.asarray(out, dtype=np.uint8)


def preprocess(image: Image, steps: list[str], detector: str = "opencv") -> list[tuple[str, Image]]:
    """The study's pipeline stage by stage, so the page can show before and after each step."""
    stages: list[tuple[str, Image]] = [("original", image)]
    current = image
    for step in steps:
        if step == "clahe":
            current = clahe(current)
        elif step == "denoise":
            current = denoise(current)
        elif step == "align":
            face = aligned_face(current, detector)
            if face is None:
                stages.append(("no_face", current))
                continue
            current = face
        else:
            raise ValueError(f"unknown preprocessing step {step!r}")
        stages.append((step, current))
    return stages


def _point(value: Any) -> list[float] | None:
    return None if value is None else [float(value[0]), float(value[1])]


def weights_folder() -> Path:
    return Path(os.environ["DEEPFACE_HOME"]) / ".deepface" / "weights"
