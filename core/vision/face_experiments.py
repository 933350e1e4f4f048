"""Experiments a class can run on faces: how lighting, occlusion (glasses, a mask) and head
pose move the verification distance, and a ROC over genuine and impostor pairs.

The conditions are drawn onto shipped photos (or a camera snapshot) with Pillow, so every step
is visible and repeatable; the faces themselves are real. Pairs for the ROC come from a few
shipped identities and augmentations of each, which is small: the curve teaches how a threshold
trades false accepts against false rejects, not what accuracy Dlib reaches on LFW (99.38 %)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import numpy.typing as npt
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFilter

from core.jobs import JobContext, JobStopped, Progress, silent
from core.vision.errors import EXPLAINED
from core.vision.face import Face, cosine_distance, photo, scan
from core.vision.palm.evaluate import eer

Image = npt.NDArray[np.uint8]
CONDITIONS = ("lighting", "glasses", "mask", "roll", "turn")
LEVELS: dict[str, tuple[float, ...]] = {
    "lighting": (1.0, 0.5, 0.25, 0.12, 0.06),  # share of the original light
    "glasses": (0.0, 1.0),
    "mask": (0.0, 0.5, 1.0),  # share of the lower face covered
    "roll": (0.0, 15.0, 30.0, 45.0, 60.0),  # degrees, head tilted sideways
    "turn": (0.0, 20.0, 40.0, 60.0),  # degrees, head turned (simulated by narrowing the face)
}


def dim(image: Image, light: float, seed: int = 0) -> Image:
    """Less light: darker pixels and, as in a real sensor, relatively more noise."""
    rng = np.random.default_rng(seed)
    noise = rng.normal(0.0, 4.0, image.shape)
    return np.clip(image.astype(np.float64) * light + noise, 0, 255).astype(np.uint8)


def _eyes(face: Face) -> tuple[tuple[float, float], tuple[float, float]]:
    x, y, w, h = face.box
    left, right = face.eyes
    return (
        left or (x + 0.68 * w, y + 0.38 * h),
        right or (x + 0.32 * w, y + 0.38 * h),
    )


def glasses(image: Image, face: Face, opacity: float = 1.0) -> Image:
    """Dark sunglasses drawn over both eyes with a bridge between them."""
    if opacity <= 0:
        return image
    canvas = PILImage.fromarray(image)
    draw = ImageDraw.Draw(canvas)
    radius = 0.16 * face.box[2]
    eyes = _eyes(face)
    for ex, ey in eyes:
        draw.ellipse(
            (ex - radius, ey - radius * 0.75, ex + radius, ey + radius * 0.75), fill=(15, 15, 20)
        )
    draw.line((*eyes[0], *eyes[1]), fill=(15, 15, 20), width=max(2, int(radius / 4)))
    return np.asarray(canvas)


def mask(image: Image, face: Face, cover: float = 1.0) -> Image:
    """A medical mask over the lower part of the face; ``cover`` 1.0 reaches the nose."""
    if cover <= 0:
        return image
    x, y, w, h = face.box
    top = y + h * (1.0 - 0.45 * cover)
    canvas = PILImage.fromarray(image)
    ImageDraw.Draw(canvas).rounded_rectangle(
        (x + 0.08 * w, top, x + 0.92 * w, y + h * 1.05), radius=int(0.1 * w), fill=(160, 200, 225)
    )
    return np.asarray(canvas)


def roll(image: Image, face: Face, degrees: float) -> Image:
    x, y, w, h = face.box
    center = (x + w / 2, y + h / 2)
    rotated = PILImage.fromarray(image).rotate(
        degrees, resample=PILImage.Resampling.BILINEAR, center=center
    )
    return np.asarray(rotated)


def turn(image: Image, face: Face, degrees: float) -> Image:
    """A head turned by ``degrees`` seen from the front, approximated by narrowing the face
    region by cos(angle) around one side; a real turn also hides one cheek, which this cannot."""
    if degrees <= 0:
        return image
    x, y, w, h = face.box
    pad = int(0.3 * w)
    x0, y0 = max(0, x - pad), max(0, y - pad)
    x1, y1 = min(image.shape[1], x + w + pad), min(image.shape[0], y + h + pad)
    region = image[y0:y1, x0:x1]
    narrow = max(1, int(region.shape[1] * np.cos(np.radians(degrees))))
    squeezed = np.asarray(PILImage.fromarray(region).resize((narrow, region.shape[0])))
    out = image.copy()
    out[y0:y1, x0:x1] = np.asarray(PILImage.fromarray(region).filter(ImageFilter.GaussianBlur(8)))
    out[y0:y1, x0 : x0 + narrow] = squeezed
    return out


def apply(image: Image, face: Face, condition: str, level: float) -> Image:
    if condition == "lighting":
        return dim(image, level)
    if condition == "glasses":
        return glasses(image, face, level)
    if condition == "mask":
        return mask(image, face, level)
    if condition == "roll":
        return roll(image, face, level)
    if condition == "turn":
        return turn(image, face, level)
    raise ValueError(f"unknown condition {condition!r}; choose one of {CONDITIONS}")


@dataclass(frozen=True)
class ConditionPoint:
    level: float
    found: bool  # a face was detected at all
    distance: float | None  # to the unaltered face; None when no face was found
    verified: bool


@dataclass(frozen=True)
class ConditionResult:
    condition: str
    threshold: float
    points: tuple[ConditionPoint, ...]
    images: tuple[Image, ...]


def condition_sweep(
    image: Image, condition: str, detector: str = "opencv", levels: tuple[float, ...] | None = None
) -> ConditionResult:
    """Verification distance between the photo and itself under harsher and harsher conditions."""
    reference = scan(image, detector)
    face = reference.largest
    if face is None:
        from core.vision.errors import VisionError

        raise VisionError("no_face", which="first")
    points: list[ConditionPoint] = []
    images: list[Image] = []
    for level in levels or LEVELS[condition]:
        altered = apply(image, face, condition, level)
        found = scan(altered, detector).largest
        distance = None if found is None else cosine_distance(face.embedding, found.embedding)
        verified = distance is not None and distance <= reference.threshold
        points.append(ConditionPoint(level, found is not None, distance, verified))
        images.append(altered)
    return ConditionResult(condition, reference.threshold, tuple(points), tuple(images))


Augment = Callable[[Image, np.random.Generator], Image]


def augmentations() -> tuple[tuple[str, Augment], ...]:
    """Everyday variation of one person: mirror, light, blur, noise, small tilt, reframing."""

    def mirror(im: Image, rng: np.random.Generator) -> Image:
        return np.ascontiguousarray(im[:, ::-1])

    def light(im: Image, rng: np.random.Generator) -> Image:
        return dim(im, float(rng.uniform(0.55, 1.3)), int(rng.integers(1 << 30)))

    def blur(im: Image, rng: np.random.Generator) -> Image:
        radius = float(rng.uniform(1.0, 2.5))
        return np.asarray(PILImage.fromarray(im).filter(ImageFilter.GaussianBlur(radius)))

    def noise(im: Image, rng: np.random.Generator) -> Image:
        return np.clip(im + rng.normal(0, 12, im.shape), 0, 255).astype(np.uint8)

    def tilt(im: Image, rng: np.random.Generator) -> Image:
        return np.asarray(PILImage.fromarray(im).rotate(float(rng.uniform(-12, 12))))

    def reframe(im: Image, rng: np.random.Generator) -> Image:
        h, w = im.shape[:2]
        dx, dy = (int(rng.integers(0, max(1, w // 10))), int(rng.integers(0, max(1, h // 10))))
        return np.ascontiguousarray(im[dy : h - (h // 10 - dy), dx : w - (w // 10 - dx)])

    return (
        ("mirror", mirror), ("light", light), ("blur", blur), ("noise", noise),
        ("tilt", tilt), ("reframe", reframe),
    )  # fmt: skip


@dataclass(frozen=True)
class RocResult:
    genuine: tuple[float, ...]
    impostor: tuple[float, ...]
    thresholds: tuple[float, ...]
    false_accept: tuple[float, ...]
    true_accept: tuple[float, ...]
    auc: float
    eer: float
    eer_threshold: float
    threshold: float  # the model's own threshold
    accuracy_at_threshold: float
    missed: int  # images in which no face was found (left out of the pairs)


def roc_from_photos(
    photos: dict[str, Image],
    per_identity: int = 5,
    detector: str = "opencv",
    seed: int = 0,
    report: Progress = silent,
) -> RocResult:
    """Embed each identity's photo and ``per_identity - 1`` augmentations of it, then score
    every pair: same identity → genuine, different → impostor. ``report(share scanned, None)``
    follows each image; when it returns False the run ends with ``JobStopped`` (a curve from
    half the identities would mislead more than it teaches)."""
    rng = np.random.default_rng(seed)
    augments = augmentations()
    vectors: list[tuple[str, npt.NDArray[np.float32]]] = []
    missed = 0
    threshold = 0.07
    total, done = len(photos) * per_identity, 0
    for name, image in photos.items():
        variants = [image] + [
            augments[i % len(augments)][1](image, rng) for i in range(per_identity - 1)
        ]
        for variant in variants:
            found = scan(variant, detector)
            threshold = found.threshold
            done += 1
            if not report(done / total, None):
                raise JobStopped
            if found.largest is None:
                missed += 1
                continue
            vectors.append((name, found.largest.embedding))
    genuine: list[float] = []
    impostor: list[float] = []
    for (name_a, a), (name_b, b) in combinations(vectors, 2):
        (genuine if name_a == name_b else impostor).append(cosine_distance(a, b))
    return roc_curve(genuine, impostor, threshold, missed)


def roc_people() -> dict[str, Image]:
    """The ROC's identities from the shipped photos: two portraits, and zidane.jpg's two men
    cut apart."""
    zidane = photo("zidane")
    return {
        "astronaut": photo("astronaut"),
        "grace_hopper": photo("grace_hopper"),
        "zidane_left": np.ascontiguousarray(zidane[:, :700]),
        "zidane_right": np.ascontiguousarray(zidane[:, 700:]),
    }


def roc_job(ctx: JobContext, per_identity: int, detector: str) -> RocResult | Exception:
    """The face tab's ROC as a background job. A failure the page can explain (no worker, a
    missing model file, too few pairs) is the result, not a failed job."""
    try:
        return roc_from_photos(roc_people(), per_identity, detector, report=ctx.report)
    except EXPLAINED as error:
        return error


def roc_curve(
    genuine: list[float], impostor: list[float], threshold: float, missed: int = 0
) -> RocResult:
    g, i = np.asarray(genuine), np.asarray(impostor)
    if len(g) == 0 or len(i) == 0:
        raise ValueError("a ROC needs both genuine and impostor pairs")
    cuts = np.unique(np.concatenate([[0.0], g, i, [max(g.max(), i.max()) + 1e-6]]))
    far = np.array([(i <= t).mean() for t in cuts])
    tar = np.array([(g <= t).mean() for t in cuts])
    auc = float(np.trapezoid(tar, far))
    rate, at = eer(g, i)
    correct = (g <= threshold).sum() + (i > threshold).sum()
    return RocResult(
        tuple(g.tolist()), tuple(i.tolist()), tuple(cuts.tolist()), tuple(far.tolist()),
        tuple(tar.tolist()), auc, float(rate), float(at), threshold,
        float(correct / (len(g) + len(i))), missed,
    )  # fmt: skip
