"""Synthetic near-infrared palm-vein images, because no real palm-vein dataset may ship with the
platform. Under NIR light haemoglobin absorbs and skin scatters, so veins show as dark, soft
lines on a bright palm. Each person's veins are a branching tree grown from a seed derived from
the identity alone, so the same person always has the same tree; every photograph of it differs
in pose, light, sensor noise and, optionally, a bandage or glove covering part of the palm. The
conditions are stored per sample so a page can ask *which* condition hurt recognition."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from scipy import ndimage

from core.vision.palm.errors import check_ranges

Floats = npt.NDArray[np.float64]
Images = npt.NDArray[np.float32]
Ints = npt.NDArray[np.int64]

PALM_AXES = (0.58, 0.76)  # half-width, half-height of the palm in units of half the image
BACKGROUND = 0.04  # what the illuminator still reaches behind the hand
VEIN_DARKNESS = 0.38
VIGNETTE = 0.35
MAX_DEPTH = 3
MAX_VEINS = 40
STEP = 0.03
STEPS_BY_DEPTH = (45, 22, 12, 8)


@dataclass(frozen=True)
class PalmSettings:
    identities: int = 60
    samples_per_identity: int = 10
    size: int = 64
    rotation: float = 15.0  # largest tilt of the hand, degrees either way
    shift: float = 3.0  # largest offset of the hand, pixels either way
    scale: float = 0.06  # largest change of hand size (distance to camera), fraction
    brightness: float = 0.7  # mean illumination level, 1 = the illuminator at full power
    gradient: float = 0.3  # strength of the light falling off across the palm
    noise: float = 0.02  # sensor noise, standard deviation on the 0..1 scale
    occlusion: float = 0.0  # fraction of the palm covered by a bandage or glove
    seed: int = 0

    def check(self) -> None:
        check_ranges(
            ("identities", self.identities, 2, 200),
            ("samples_per_identity", self.samples_per_identity, 2, 50),
            ("size", self.size, 32, 128),
            ("rotation", self.rotation, 0, 45),
            ("shift", self.shift, 0, self.size / 8),
            ("scale", self.scale, 0, 0.2),
            ("brightness", self.brightness, 0.02, 1),
            ("gradient", self.gradient, 0, 0.8),
            ("noise", self.noise, 0, 0.3),
            ("occlusion", self.occlusion, 0, 0.6),
            ("seed", self.seed, 0, 2**31 - 1),
        )


@dataclass(frozen=True)
class Vein:
    points: Floats  # (m, 2) x, y in palm units: the image spans -1..1, y points to the wrist
    width: float  # half-width in the same units
    depth: int  # 0 for a trunk entering from the wrist, +1 per branching


@dataclass(frozen=True)
class Pose:
    rotation: float = 0.0  # degrees, counter-clockwise as displayed
    shift_x: float = 0.0  # pixels, to the right
    shift_y: float = 0.0  # pixels, down
    scale: float = 1.0


@dataclass(frozen=True)
class Lighting:
    brightness: float = 0.7
    gradient: float = 0.3
    gradient_angle: float = 0.0  # radians, the direction the light grows towards
    noise: float = 0.02
    occlusion: float = 0.0


@dataclass(frozen=True)
class PalmDataset:
    images: Images  # (n, size, size) in 0..1
    labels: Ints  # identity of each image
    samples: Ints  # index of the photograph within its identity
    rotation: Floats
    shift_x: Floats
    shift_y: Floats
    scale: Floats
    brightness: Floats
    occlusion: Floats  # fraction of the palm actually covered
    settings: PalmSettings

    def __len__(self) -> int:
        return len(self.labels)

    def select(self, index: npt.ArrayLike) -> PalmDataset:
        i = np.asarray(index)
        return replace(
            self,
            images=self.images[i],
            labels=self.labels[i],
            samples=self.samples[i],
            rotation=self.rotation[i],
            shift_x=self.shift_x[i],
            shift_y=self.shift_y[i],
            scale=self.scale[i],
            brightness=self.brightness[i],
            occlusion=self.occlusion[i],
        )

    def pose(self, i: int) -> Pose:
        return Pose(
            rotation=float(self.rotation[i]),
            shift_x=float(self.shift_x[i]),
            shift_y=float(self.shift_y[i]),
            scale=float(self.scale[i]),
        )


def vein_tree(identity: int, seed: int = 0) -> list[Vein]:
    """Trunks enter from the wrist edge and climb the palm as random walks whose curvature
    changes smoothly (a vessel bends, it does not zigzag); each step may spawn a thinner child
    that leaves at an angle, recursively, as real vessels branch."""
    rng = np.random.default_rng([seed, identity, 0])
    half_width, half_height = PALM_AXES
    veins: list[Vein] = []
    trunks = int(rng.integers(3, 5))
    for x in np.sort(rng.uniform(-0.7, 0.7, trunks)) * half_width:
        y = half_height * np.sqrt(1 - (x / half_width) ** 2) - 0.03
        heading = 0.8 * x / half_width + rng.normal(0, 0.25)
        _grow(rng, veins, np.array([x, y]), heading, 0.045, 0)
    return veins


def _grow(
    rng: np.random.Generator,
    veins: list[Vein],
    start: Floats,
    heading: float,
    width: float,
    depth: int,
) -> None:
    points = [start]
    curvature = 0.0
    children: list[tuple[Floats, float]] = []
    for step in range(STEPS_BY_DEPTH[depth]):
        curvature = 0.85 * curvature + rng.normal(0, 0.05)
        heading += curvature
        point = points[-1] + STEP * np.array([np.sin(heading), -np.cos(heading)])
        if not _inside(point, 0.97):
            break
        points.append(point)
        if depth < MAX_DEPTH and step > 2 and rng.random() < 0.1:
            children.append((point, heading + rng.choice([-1, 1]) * rng.uniform(0.4, 1.0)))
    if len(points) > 1 and len(veins) < MAX_VEINS:
        veins.append(Vein(np.array(points), width, depth))
        for point, angle in children:
            _grow(rng, veins, point, angle, width * 0.65, depth + 1)


def _inside(point: Floats, margin: float) -> bool:
    return float((point[0] / PALM_AXES[0]) ** 2 + (point[1] / PALM_AXES[1]) ** 2) < margin**2


def canonical_maps(veins: Sequence[Vein], size: int) -> tuple[Floats, Floats]:
    """(vein absorption 0..1, palm mask 0..1) of the upright, centred palm. Each vein is a soft
    Gaussian-profile line: thin branches absorb less than trunks."""
    half = size / 2
    axis = (np.arange(size) + 0.5) / half - 1
    xs, ys = np.meshgrid(axis, axis)
    grid = np.stack([xs.ravel(), ys.ravel()], axis=1)
    absorption = np.zeros(size * size)
    for vein in veins:
        distance = _distance_to_polyline(grid, vein.points)
        sigma = max(vein.width, 0.6 / half)
        strength = min(1.0, 0.45 + vein.width / 0.045 * 0.55)
        absorption = np.maximum(absorption, strength * np.exp(-0.5 * (distance / sigma) ** 2))
    radius = (xs / PALM_AXES[0]) ** 2 + (ys / PALM_AXES[1]) ** 2
    palm = np.clip((1 - radius) * half * 0.5, 0, 1)  # about one pixel of soft edge
    return absorption.reshape(size, size), palm


def _distance_to_polyline(grid: Floats, points: Floats) -> Floats:
    a, b = points[:-1], points[1:]
    ab = b - a
    length2 = np.maximum((ab**2).sum(axis=1), 1e-12)
    rel = grid[:, None, :] - a[None, :, :]
    t = np.clip((rel * ab[None]).sum(axis=2) / length2[None], 0, 1)
    nearest = a[None] + t[..., None] * ab[None]
    d: Floats = np.sqrt(((grid[:, None, :] - nearest) ** 2).sum(axis=2)).min(axis=1)
    return d


@lru_cache(maxsize=256)
def _identity_maps(identity: int, seed: int, size: int) -> tuple[Floats, Floats]:
    veins, palm = canonical_maps(vein_tree(identity, seed), size)
    veins.setflags(write=False)
    palm.setflags(write=False)
    return veins, palm


def warp(image: Floats, pose: Pose) -> Floats:
    """The canonical map seen under ``pose``: image = centre + scale·R·(canonical - centre) +
    shift, computed backwards (for each output pixel, where it came from) as resampling needs."""
    size = image.shape[0]
    theta = np.radians(pose.rotation)
    cos, sin = np.cos(theta), np.sin(theta)
    forward = pose.scale * np.array([[cos, -sin], [sin, cos]])  # in (row, col) order
    backward = np.linalg.inv(forward)
    centre = np.full(2, (size - 1) / 2)
    offset = centre - backward @ (centre + np.array([pose.shift_y, pose.shift_x]))
    out: Floats = ndimage.affine_transform(image, backward, offset=offset, order=1, cval=0.0)
    return out


def vein_map(veins: Sequence[Vein], size: int, pose: Pose = Pose()) -> Floats:
    """The true vein pattern under ``pose``, without light or noise: the ground truth a
    preprocessing step should recover."""
    return warp(canonical_maps(veins, size)[0], pose)


def render(
    veins: Sequence[Vein], size: int, pose: Pose, lighting: Lighting, seed: int | Sequence[int]
) -> tuple[Images, float]:
    """One NIR photograph and the fraction of palm an occluder actually covers."""
    absorption, palm = canonical_maps(veins, size)
    return _photograph(absorption, palm, pose, lighting, np.random.default_rng(seed))


def _photograph(
    absorption: Floats, palm: Floats, pose: Pose, lighting: Lighting, rng: np.random.Generator
) -> tuple[Images, float]:
    size = absorption.shape[0]
    veins, hand = warp(absorption, pose), warp(palm, pose)
    texture = ndimage.gaussian_filter(rng.normal(0, 1, (size, size)), size / 16)
    skin = 0.85 * (1 + 0.03 * texture / max(float(np.abs(texture).max()), 1e-9))
    reflect = hand * skin * (1 - VEIN_DARKNESS * veins)
    reflect = ndimage.gaussian_filter(reflect, 0.9 * size / 64)  # light scatters in the skin
    reflect, covered = _occlude(reflect, hand, lighting.occlusion, rng)
    image = BACKGROUND + (1 - BACKGROUND) * reflect
    image = image * _light_field(size, lighting)
    image = image + rng.normal(0, lighting.noise, image.shape)
    image = np.round(np.clip(image, 0, 1) * 255) / 255  # an 8-bit sensor
    return image.astype(np.float32), covered


def _light_field(size: int, lighting: Lighting) -> Floats:
    axis = (np.arange(size) + 0.5) / (size / 2) - 1
    xs, ys = np.meshgrid(axis, axis)
    along = xs * np.cos(lighting.gradient_angle) + ys * np.sin(lighting.gradient_angle)
    field = (
        lighting.brightness * (1 + lighting.gradient * along) * (1 - VIGNETTE * (xs**2 + ys**2) / 2)
    )
    out: Floats = np.clip(field, 0, None)
    return out


def _occlude(
    image: Floats, hand: Floats, fraction: float, rng: np.random.Generator
) -> tuple[Floats, float]:
    """Cover exactly ``fraction`` of the palm with a blob: the palm pixels nearest a random
    centre under a random elliptical metric, so the patch is a tilted oval clipped by the palm.
    Half of the occluders are bright (a bandage), half dark (a glove)."""
    inside = hand > 0.5
    count = round(fraction * int(inside.sum()))
    if count == 0:
        return image, 0.0
    rows, cols = np.nonzero(inside)
    pick = rng.integers(len(rows))
    angle, aspect = rng.uniform(0, np.pi), rng.uniform(1, 2.5)
    dr, dc = rows - rows[pick], cols - cols[pick]
    along = dr * np.cos(angle) + dc * np.sin(angle)
    across = -dr * np.sin(angle) + dc * np.cos(angle)
    nearest = np.argsort(along**2 + (aspect * across) ** 2, kind="stable")[:count]
    patch = np.zeros_like(image)
    patch[rows[nearest], cols[nearest]] = 1.0
    patch = ndimage.gaussian_filter(patch, 0.5)
    level = 0.95 if rng.random() < 0.5 else 0.1
    cloth = level * (1 + 0.05 * rng.normal(0, 1, image.shape))
    return image * (1 - patch) + cloth * patch, count / float(inside.sum())


def generate(settings: PalmSettings) -> PalmDataset:
    """Every photograph draws its own pose and light from a seed made of (seed, identity,
    sample), so sample 3 of person 5 is the same image however many people are generated."""
    settings.check()
    rows = [
        (identity, sample, *_draw(settings, identity, sample))
        for identity in range(settings.identities)
        for sample in range(settings.samples_per_identity)
    ]
    return _dataset(rows, settings, 1)


def _draw(settings: PalmSettings, identity: int, sample: int) -> tuple[Pose, Lighting]:
    rng = np.random.default_rng([settings.seed, identity, sample, 1])
    pose = Pose(
        rotation=rng.uniform(-settings.rotation, settings.rotation),
        shift_x=rng.uniform(-settings.shift, settings.shift),
        shift_y=rng.uniform(-settings.shift, settings.shift),
        scale=1 + rng.uniform(-settings.scale, settings.scale),
    )
    light = Lighting(
        brightness=float(np.clip(settings.brightness * rng.uniform(0.85, 1.15), 0.02, 1)),
        gradient=settings.gradient * rng.uniform(0.5, 1),
        gradient_angle=rng.uniform(0, 2 * np.pi),
        noise=settings.noise,
        occlusion=settings.occlusion,
    )
    return pose, light


def with_conditions(
    dataset: PalmDataset,
    *,
    brightness: float | None = None,
    occlusion: float | None = None,
    noise: float | None = None,
    seed: int = 1,
) -> PalmDataset:
    """The same people in the same poses under the same lamp, photographed again with the
    light dimmed, part of the palm covered or a noisier sensor: the fair way to ask what a
    condition costs, since nothing else changes but the sensor noise of a new exposure.
    ``None`` keeps what the dataset was generated with."""
    check_ranges(
        ("brightness", 0.02 if brightness is None else brightness, 0.02, 1),
        ("occlusion", 0 if occlusion is None else occlusion, 0, 0.6),
        ("noise", 0 if noise is None else noise, 0, 0.3),
        ("seed", seed, 0, 2**31 - 1),
    )
    rows: list[tuple[int, int, Pose, Lighting]] = []
    for i in range(len(dataset)):
        identity, sample = int(dataset.labels[i]), int(dataset.samples[i])
        pose, light = _draw(dataset.settings, identity, sample)
        light = replace(
            light,
            brightness=light.brightness if brightness is None else brightness,
            occlusion=light.occlusion if occlusion is None else occlusion,
            noise=light.noise if noise is None else noise,
        )
        rows.append((identity, sample, pose, light))
    return _dataset(rows, dataset.settings, 2 + seed)


def _dataset(
    rows: list[tuple[int, int, Pose, Lighting]], settings: PalmSettings, stream: int
) -> PalmDataset:
    images = np.empty((len(rows), settings.size, settings.size), np.float32)
    covered = np.empty(len(rows))
    for i, (identity, sample, pose, light) in enumerate(rows):
        absorption, palm = _identity_maps(identity, settings.seed, settings.size)
        rng = np.random.default_rng([settings.seed, identity, sample, stream])
        images[i], covered[i] = _photograph(absorption, palm, pose, light, rng)
    return PalmDataset(
        images=images,
        labels=np.array([r[0] for r in rows], np.int64),
        samples=np.array([r[1] for r in rows], np.int64),
        rotation=np.array([r[2].rotation for r in rows]),
        shift_x=np.array([r[2].shift_x for r in rows]),
        shift_y=np.array([r[2].shift_y for r in rows]),
        scale=np.array([r[2].scale for r in rows]),
        brightness=np.array([r[3].brightness for r in rows]),
        occlusion=covered,
        settings=settings,
    )
