"""The seed study's measurements, exactly: average FPS is the mean of per-frame 1/(t_after -
t_before) around the model call; CPU % from psutil (system-wide, as the study sampled it, plus
this process's share); memory is the process RSS / 1024² MB; elapsed is the wall time to get
through the whole clip, frame preparation included. The mean of per-frame rates is not
frames/elapsed: it counts only the model, and one slow frame lowers it less."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

Image = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class Measurement:
    frame_seconds: tuple[float, ...]
    people: tuple[int, ...]
    cpu_percent: float
    process_cpu_percent: float
    rss_mb: float
    elapsed_s: float

    @property
    def fps(self) -> float:
        return average_fps(self.frame_seconds)

    def as_dict(self) -> dict[str, Any]:
        return {
            **{k: v for k, v in asdict(self).items() if k not in ("frame_seconds", "people")},
            "fps": self.fps,
            "frames": len(self.frame_seconds),
            "people_mean": float(np.mean(self.people)) if self.people else 0.0,
            "frame_ms": [round(s * 1000, 3) for s in self.frame_seconds],
        }


def average_fps(frame_seconds: Iterable[float]) -> float:
    rates = [1.0 / s for s in frame_seconds if s > 0]
    return float(np.mean(rates)) if rates else 0.0


def measure(
    frames: Iterable[Image],
    infer: Callable[[Image], int],
    budget_s: float = 10.0,
    min_frames: int = 3,
) -> Measurement:
    """Run ``infer`` (returns people found) frame by frame until the clip or the time budget
    ends, but on at least ``min_frames`` so slow models still get a fair average."""
    import psutil

    process = psutil.Process()
    psutil.cpu_percent(interval=None)
    process.cpu_percent(interval=None)
    seconds: list[float] = []
    people: list[int] = []
    system: list[float] = []
    own: list[float] = []
    rss: list[float] = []
    start = time.perf_counter()
    for frame in frames:
        before = time.perf_counter()
        people.append(infer(frame))
        seconds.append(time.perf_counter() - before)
        system.append(psutil.cpu_percent(interval=None))
        own.append(process.cpu_percent(interval=None))
        rss.append(process.memory_info().rss / 1024**2)
        if time.perf_counter() - start >= budget_s and len(seconds) >= min_frames:
            break
    return Measurement(
        frame_seconds=tuple(seconds),
        people=tuple(people),
        cpu_percent=float(np.mean(system)) if system else 0.0,
        process_cpu_percent=float(np.mean(own)) if own else 0.0,
        rss_mb=float(np.mean(rss)) if rss else 0.0,
        elapsed_s=time.perf_counter() - start,
    )
