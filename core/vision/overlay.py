"""Drawing results onto frames for a projector at the back of a classroom: thick bones, large
labels with dark backing, and a HUD (FPS, model time, CPU, memory), in a font with Cyrillic
that ships inside an installed package, scaled to the frame so 480p and 1080p look alike."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files

import numpy as np
import numpy.typing as npt
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from core.vision.skeletons import EDGES

Image = npt.NDArray[np.uint8]
BONE = (0, 230, 255)
JOINT = (255, 80, 200)
BOX_KNOWN = (60, 220, 90)
BOX_UNKNOWN = (255, 170, 0)
INK = (255, 255, 255)
BACKING = (0, 0, 0)


@dataclass(frozen=True)
class Label:
    box: tuple[float, float, float, float]  # x0, y0, x1, y1
    text: str
    known: bool = True


def _scale(image: Image) -> float:
    return max(1.0, float(min(image.shape[:2])) / 360)


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """GNU FreeSans Bold, which pygame (a platform dependency) ships: Pillow's built-in font
    has no Cyrillic, so Kazakh and Russian names would be drawn as boxes."""
    try:
        return ImageFont.truetype(str(files("pygame") / "freesansbold.ttf"), max(10, size))
    except (OSError, ModuleNotFoundError):
        return ImageFont.load_default(size=max(10, size))


def draw_people(
    image: Image,
    people: Sequence[npt.NDArray[np.float32]],
    skeleton: str,
    min_visibility: float = 0.5,
) -> Image:
    """Skeletons for every person: (K, 3) keypoints in pixels with visibility."""
    canvas = PILImage.fromarray(image)
    draw = ImageDraw.Draw(canvas)
    width = int(3 * _scale(image))
    radius = 2.5 * _scale(image)
    for points in people:
        for a, b in EDGES[skeleton]:
            if points[a, 2] >= min_visibility and points[b, 2] >= min_visibility:
                draw.line((*points[a, :2], *points[b, :2]), fill=BONE, width=width)
        for x, y, visibility in points:
            if visibility >= min_visibility:
                draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=JOINT)
    return np.asarray(canvas)


def draw_labels(image: Image, labels: Sequence[Label]) -> Image:
    """Boxes with a name (or "unknown") above each, readable from the back of a room."""
    canvas = PILImage.fromarray(image)
    draw = ImageDraw.Draw(canvas)
    font = _font(int(14 * _scale(image)))
    for label in labels:
        colour = BOX_KNOWN if label.known else BOX_UNKNOWN
        draw.rectangle(label.box, outline=colour, width=int(3 * _scale(image)))
        x0, y0 = label.box[0], label.box[1]
        left, top, right, bottom = draw.textbbox((x0, y0), label.text, font=font)
        lift = bottom - top + 6
        draw.rectangle((left - 3, top - lift - 3, right + 3, bottom - lift + 3), fill=colour)
        draw.text((x0, y0 - lift), label.text, fill=BACKING, font=font)
    return np.asarray(canvas)


def draw_hud(image: Image, lines: Sequence[str]) -> Image:
    """Measurements in the top-left corner on a dark band."""
    if not lines:
        return image
    canvas = PILImage.fromarray(image)
    draw = ImageDraw.Draw(canvas)
    font = _font(int(13 * _scale(image)))
    text = "\n".join(lines)
    _, _, right, bottom = draw.multiline_textbbox((8, 8), text, font=font, spacing=4)
    draw.rectangle((0, 0, right + 10, bottom + 10), fill=BACKING)
    draw.multiline_text((8, 8), text, fill=INK, font=font, spacing=4)
    return np.asarray(canvas)


class FpsMeter:
    """Frames per second over the last ``window`` frames, as the HUD shows it."""

    def __init__(self, window: int = 20) -> None:
        self.window = window
        self.stamps: list[float] = []

    def tick(self, now: float) -> float:
        self.stamps = [*self.stamps[-(self.window - 1) :], now]
        if len(self.stamps) < 2 or self.stamps[-1] <= self.stamps[0]:
            return 0.0
        return (len(self.stamps) - 1) / (self.stamps[-1] - self.stamps[0])
