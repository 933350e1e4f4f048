"""The pose benchmark grid (model × resolution × scene), run in the worker so the numbers are
the model's own process: its CPU and memory, not the app's. Used by the page and by
``benchmarks/pose.py``; both print or plot the same rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np
import numpy.typing as npt

from core.jobs import JobContext, Progress, silent
from core.vision.catalogue import pose_model
from core.vision.client import as_image, client
from core.vision.errors import EXPLAINED
from core.vision.media import read_video
from core.vision.scenes import RESOLUTIONS, SCENES

MAX_UPLOAD_FRAMES = 90
UPLOAD_WIDTH = 640  # uploaded frames travel at this width and are scaled up in the worker


@dataclass(frozen=True)
class BenchRow:
    model: str
    trained: bool
    resolution: str
    scene: str
    fps: float  # mean of per-frame 1/Δt, the study's "average FPS"
    cpu_percent: float  # system-wide, as psutil.cpu_percent in the study
    process_cpu_percent: float  # the worker process alone (100 = one full core)
    rss_mb: float
    elapsed_s: float
    frames: int
    people_mean: float


def check(models: Sequence[str], resolutions: Sequence[str], scenes: Sequence[str]) -> None:
    for model in models:
        pose_model(model)
    bad = [r for r in resolutions if r not in RESOLUTIONS] + [
        s for s in scenes if s not in (*SCENES, "upload")
    ]
    if bad:
        raise ValueError(f"unknown resolution or scene: {bad}")


def measure_one(
    model: str,
    resolution: str,
    scene: str,
    budget_s: float = 6.0,
    frames: int = 120,
    uploaded: Sequence[npt.NDArray[Any]] = (),
) -> BenchRow:
    arrays = [as_image(f) for f in uploaded[:MAX_UPLOAD_FRAMES]] if scene == "upload" else []
    reply = client().call(
        "bench",
        arrays,
        timeout=max(120.0, budget_s * 20),
        model=model,
        resolution=resolution,
        scene=scene,
        budget_s=budget_s,
        frames=len(arrays) if arrays else frames,
    )
    header = reply.header
    values = {f.name: header[f.name] for f in fields(BenchRow) if f.name in header}
    return BenchRow(**{**values, "resolution": resolution, "scene": scene})


def grid(
    models: Sequence[str],
    resolutions: Sequence[str],
    scenes: Sequence[str],
    budget_s: float = 6.0,
    uploaded: Sequence[npt.NDArray[Any]] = (),
    report: Progress = silent,
) -> list[BenchRow]:
    """Every configuration; ``report(progress, rows so far)`` returning False stops early."""
    check(models, resolutions, scenes)
    configs = [(m, r, s) for m in models for r in resolutions for s in scenes]
    rows: list[BenchRow] = []
    for i, (model, resolution, scene) in enumerate(configs, start=1):
        rows.append(measure_one(model, resolution, scene, budget_s, uploaded=uploaded))
        if not report(i / len(configs), list(rows)):
            break
    return rows


def grid_job(
    ctx: JobContext,
    models: Sequence[str],
    resolutions: Sequence[str],
    scenes: Sequence[str],
    budget_s: float,
    video: bytes | None = None,
) -> list[BenchRow] | Exception:
    """The benchmark tab's grid as a background job: each finished row is a live update, and
    a Stop keeps the rows measured so far. ``video`` is an uploaded clip (its bytes, decoded
    here) for the "upload" scene. A failure the page can explain (the worker, a missing model
    file, a clip it cannot read) is the result, not a failed job."""
    try:
        uploaded = upload_frames(video) if video else []
        return grid(models, resolutions, scenes, budget_s, uploaded, report=_each_row(ctx))
    except EXPLAINED as error:
        return error


def _each_row(ctx: JobContext) -> Progress:
    """``grid`` reports every row so far; the job's live updates are each new row once."""
    return lambda progress, rows: ctx.report(progress, rows[-1])


def to_csv(rows: Sequence[BenchRow]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[f.name for f in fields(BenchRow)])
    writer.writeheader()
    for row in rows:
        writer.writerow(asdict(row))
    return out.getvalue()


def upload_frames(video: bytes) -> list[npt.NDArray[np.uint8]]:
    """An uploaded clip's first ``MAX_UPLOAD_FRAMES`` frames at ``UPLOAD_WIDTH``."""
    return [downscale(frame) for frame in read_video(video, MAX_UPLOAD_FRAMES, 1)]


def downscale(frame: npt.NDArray[Any], width: int = UPLOAD_WIDTH) -> npt.NDArray[np.uint8]:
    """An uploaded frame at ``width`` px wide (nearest neighbour: cheap, good enough to time)."""
    image = as_image(frame)
    h, w = image.shape[:2]
    if w <= width:
        return image
    rows = (np.arange(int(h * width / w)) * w / width).astype(int)
    cols = (np.arange(width) * w / width).astype(int)
    return np.ascontiguousarray(image[rows][:, cols])
