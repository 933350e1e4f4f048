"""Environment that keeps every library in the worker from reaching the network.

ultralytics checks GitHub for fonts and updates, deepface downloads weights on first use and
torchvision's CUDA wheel refuses to import beside CPU torch. Each is told, before import, to
stay local; these are the facts recorded in STACK_NOTES."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

_NMS_DEFINED: list[bool] = []  # a list, so no `global` is needed
DLIB_FILES = ("dlib_face_recognition_resnet_model_v1.dat", "shape_predictor_5_face_landmarks.dat")


def prepare(home: Path) -> None:
    """Set offline switches and point caches into ``home`` (the worker's data folder)."""
    home.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("YOLO_OFFLINE", "1")
    os.environ.setdefault("YOLO_AUTOINSTALL", "False")
    os.environ.setdefault("YOLO_CONFIG_DIR", str(home / "ultralytics"))
    os.environ.setdefault("DEEPFACE_HOME", str(home / "deepface"))
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")


def link_dlib_weights() -> Path:
    """deepface looks for its Dlib files in $DEEPFACE_HOME/.deepface/weights; the package
    face-recognition-models ships exactly those files, so link them instead of downloading."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its pkg_resources import warns
        import face_recognition_models

    source = Path(face_recognition_models.__file__).parent / "models"
    weights = Path(os.environ["DEEPFACE_HOME"]) / ".deepface" / "weights"
    weights.mkdir(parents=True, exist_ok=True)
    for name in DLIB_FILES:
        target = weights / name
        if not target.exists():
            target.symlink_to(source / name)
    return weights


def define_torchvision_nms() -> None:
    """The registry's torchvision is a CUDA build; it imports beside CPU torch only once its
    ``nms`` operators exist. A plain-torch greedy NMS stands in (YOLO needs nothing else)."""
    import torch

    if _NMS_DEFINED:
        return
    _NMS_DEFINED.append(True)
    for op in ("nms", "qnms"):
        torch.library.define(
            f"torchvision::{op}", "(Tensor dets, Tensor scores, float iou_threshold) -> Tensor"
        )

    @torch.library.impl("torchvision::nms", "CPU")
    def _nms(boxes: Any, scores: Any, iou_threshold: float) -> Any:
        order = scores.argsort(descending=True)
        areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
        keep = []
        while order.numel() > 0:
            best = order[0]
            keep.append(best)
            rest = order[1:]
            top_left = torch.maximum(boxes[best, :2], boxes[rest, :2])
            bottom_right = torch.minimum(boxes[best, 2:], boxes[rest, 2:])
            inter = (bottom_right - top_left).clamp(min=0).prod(dim=1)
            iou = inter / (areas[best] + areas[rest] - inter)
            order = rest[iou <= iou_threshold]
        return torch.stack(keep) if keep else torch.empty(0, dtype=torch.long)
