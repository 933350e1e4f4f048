"""One frame from any source (live webcam, snapshot, upload, network camera) annotated for the
projector: pose skeletons or recognised faces, plus a HUD of what it cost. The same function
serves every source, so what a class sees live is what the tests check."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from core import locale
from core.vision import face, overlay, pose

Image = npt.NDArray[np.uint8]
TASKS = ("pose", "face")


@dataclass
class LiveSettings:
    """What the live view does; the page replaces it, the video thread reads it."""

    task: str = "pose"
    backend: str = "mediapipe"
    detector: str = "opencv"
    gallery: list[tuple[str, npt.NDArray[np.float32]]] = field(default_factory=list)
    unknown: str = "?"  # the translated "unknown" label
    fps: float = 0.0  # written by the video thread, shown by the page
    infer_ms: float = 0.0
    people: int = 0


@dataclass(frozen=True)
class Annotated:
    image: Image
    people: int
    infer_ms: float
    worker_rss_mb: float
    trained: bool
    names: tuple[str, ...] = ()


def annotate(image: npt.NDArray[Any], settings: LiveSettings) -> Annotated:
    if settings.task == "pose":
        found = pose.estimate_frame(image, settings.backend)
        drawn = overlay.draw_people(
            np.asarray(image, np.uint8), [p.keypoints for p in found.people], found.skeleton
        )
        return Annotated(
            drawn, len(found.people), found.infer_ms, found.worker_rss_mb, found.trained
        )
    if settings.task == "face":
        start = time.perf_counter()
        scan = face.scan(image, settings.detector)
        labels: list[overlay.Label] = []
        names: list[str] = []
        for one in scan.faces:
            match = face.identify(one.embedding, settings.gallery, scan.threshold)
            known = match is not None and match.accepted
            text = f"{match.name} ({match.distance:.3f})" if known and match else settings.unknown
            names.append(match.name if known and match else "")
            x, y, w, h = one.box
            labels.append(overlay.Label((x, y, x + w, y + h), text, known))
        drawn = overlay.draw_labels(np.asarray(image, np.uint8), labels)
        elapsed = (time.perf_counter() - start) * 1000
        return Annotated(drawn, len(scan.faces), elapsed, 0.0, True, tuple(names))
    raise ValueError(f"unknown task {settings.task!r}; choose one of {TASKS}")


def hud_lines(
    result: Annotated,
    fps: float | None,
    cpu_percent: float | None,
    model: str,
    untrained: str = "untrained",
    lang: str = "en",
) -> list[str]:
    """Numbers and the model's name; ``untrained`` (translated) warns that keypoints are noise.
    The numbers and units are written the reader's way (``lang``)."""
    lines = [model if result.trained else f"{model}: {untrained}"]
    if fps is not None:
        lines.append(f"FPS {locale.number(fps, lang, 1)}")
    lines.append(locale.quantity(result.infer_ms, "ms", lang, 0))
    if cpu_percent is not None:
        lines.append(f"CPU {locale.percent(cpu_percent / 100, lang)}")
    if result.worker_rss_mb:
        lines.append(f"RAM {locale.quantity(result.worker_rss_mb / 1024, 'GB', lang, 1)}")
    return lines
