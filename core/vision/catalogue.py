"""Which pose models exist and which files make them real. Shared by the app (to explain what to
place where) and the worker (to load it), so both agree on names and file names."""

from __future__ import annotations

from dataclasses import dataclass

MEDIAPIPE_SIZES = ("lite", "full", "heavy")
YOLO_SIZES = ("n", "s", "m", "l", "x")


@dataclass(frozen=True)
class PoseModel:
    id: str  # e.g. "mediapipe-full", "yolov8n-pose"
    family: str  # "mediapipe" or "yolo"
    size: str
    weights_file: str | None  # None: ships inside the installed package

    @property
    def skeleton(self) -> str:
        return "blazepose33" if self.family == "mediapipe" else "coco17"


def _mediapipe(size: str) -> PoseModel:
    # Only the full model's .tflite is inside the mediapipe 0.10.21 wheel; lite and heavy are
    # downloaded by mediapipe on first use, which cannot happen offline.
    weights = None if size == "full" else f"pose_landmark_{size}.tflite"
    return PoseModel(f"mediapipe-{size}", "mediapipe", size, weights)


POSE_MODELS: tuple[PoseModel, ...] = (
    *(_mediapipe(size) for size in MEDIAPIPE_SIZES),
    *(PoseModel(f"yolov8{s}-pose", "yolo", s, f"yolov8{s}-pose.pt") for s in YOLO_SIZES),
)
ALIASES = {"mediapipe": "mediapipe-full", "yolo": "yolov8n-pose"}
BY_ID = {model.id: model for model in POSE_MODELS}


def pose_model(name: str) -> PoseModel:
    """Look up a model by id or alias; an unknown name is a ValueError listing the choices."""
    model = BY_ID.get(ALIASES.get(name, name))
    if model is None:
        raise ValueError(f"unknown pose model {name!r}; choose one of {sorted(BY_ID)}")
    return model
