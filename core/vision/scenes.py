"""Short clips with motion, built from photos of people that ship inside installed packages.

No video of people ships offline, so the seed study's scenes (walking, two people, a crowded
hall) are approximated: a full-body photo crossing the frame, a two-person photo with a slow
zoom, and a collage of many small people. Pillow and numpy only, so both environments can run it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import numpy.typing as npt
from PIL import Image as PILImage

Image = npt.NDArray[np.uint8]
RESOLUTIONS: dict[str, tuple[int, int]] = {
    "480p": (854, 480),
    "720p": (1280, 720),
    "1080p": (1920, 1080),
}
SCENES = ("walk", "two_people", "crowd")
BACKGROUND = 96


def resize(image: Image, width: int, height: int) -> Image:
    return np.asarray(
        PILImage.fromarray(image).resize((width, height), PILImage.Resampling.BILINEAR)
    )


def fit(image: Image, height: int) -> Image:
    h, w = image.shape[:2]
    return resize(image, max(1, round(w * height / h)), height)


def walk(person: Image, size: tuple[int, int], frames: int) -> Iterator[Image]:
    """A full-body photo crosses the frame left to right, as someone walking past the camera."""
    width, height = size
    figure = fit(person, int(height * 0.9))
    span = width + figure.shape[1]
    top = (height - figure.shape[0]) // 2
    for i in range(frames):
        canvas = np.full((height, width, 3), BACKGROUND, dtype=np.uint8)
        left = int(-figure.shape[1] + span * (i + 0.5) / frames)
        _paste(canvas, figure, left, top)
        yield canvas


def zoom(photo: Image, size: tuple[int, int], frames: int, depth: float = 0.35) -> Iterator[Image]:
    """A slow zoom in and out on the photo's centre, as a camera moving towards two people."""
    width, height = size
    h, w = photo.shape[:2]
    for i in range(frames):
        scale = 1.0 - depth * np.sin(np.pi * i / max(frames - 1, 1))
        cw, ch = min(w, int(h * scale * width / height)), int(h * scale)
        x0, y0 = (w - cw) // 2, (h - ch) // 2
        yield resize(np.ascontiguousarray(photo[y0 : y0 + ch, x0 : x0 + cw]), width, height)


def crowd(
    people: Sequence[Image], size: tuple[int, int], frames: int, seed: int = 0
) -> Iterator[Image]:
    """Many small people in a grid that drifts a little each frame: a crowded hall."""
    width, height = size
    rng = np.random.default_rng(seed)
    rows, cols = 2, 4
    cell_w, cell_h = width // cols, height // rows
    tiles = [fit(people[i % len(people)], int(cell_h * 0.95)) for i in range(rows * cols)]
    phase = rng.uniform(0, 2 * np.pi, size=rows * cols)
    for i in range(frames):
        canvas = np.full((height, width, 3), BACKGROUND, dtype=np.uint8)
        for k, tile in enumerate(tiles):
            dx = int(cell_w * 0.15 * np.sin(2 * np.pi * i / max(frames, 1) + phase[k]))
            left = (k % cols) * cell_w + (cell_w - tile.shape[1]) // 2 + dx
            _paste(canvas, tile, left, (k // cols) * cell_h)
        yield canvas


def scale_frames(frames: Sequence[Image], size: tuple[int, int]) -> Iterator[Image]:
    """An uploaded clip at the benchmark's resolution (aspect ratio kept, letterboxed)."""
    width, height = size
    for frame in frames:
        h, w = frame.shape[:2]
        ratio = min(width / w, height / h)
        inner = resize(frame, max(1, int(w * ratio)), max(1, int(h * ratio)))
        canvas = np.full((height, width, 3), BACKGROUND, dtype=np.uint8)
        _paste(canvas, inner, (width - inner.shape[1]) // 2, (height - inner.shape[0]) // 2)
        yield canvas


def _paste(canvas: Image, tile: Image, left: int, top: int) -> None:
    h, w = tile.shape[:2]
    x0, x1 = max(left, 0), min(left + w, canvas.shape[1])
    y0, y1 = max(top, 0), min(top + h, canvas.shape[0])
    if x0 < x1 and y0 < y1:
        canvas[y0:y1, x0:x1] = tile[y0 - top : y1 - top, x0 - left : x1 - left]
