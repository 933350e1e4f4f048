"""The study's preprocessing, one pure function per step, so a learner can switch each off and
see what it was worth: lighting correction, noise removal, local contrast, palm alignment.

Every step works inside the palm: a mask found by thresholding (the lit hand is far brighter
than the room behind it) keeps the background from steering the statistics, and its image
moments give the palm's centre, tilt and width for alignment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from scipy import ndimage

from core.vision.palm.errors import PalmInputError

Floats = npt.NDArray[np.float64]
Picture = npt.NDArray[np.floating[Any]]  # float32 from the camera or float64 mid-pipeline
Mask = npt.NDArray[np.bool_]
Images = npt.NDArray[np.float32]


@dataclass(frozen=True)
class PreprocessSteps:
    illumination: bool = True
    denoise: bool = True
    local_contrast: bool = False  # not in the study; it amplifies sensor noise in dim light
    align: bool = True


@dataclass(frozen=True)
class PalmFrame:
    """Where the palm lies: centre (pixels), tilt of its long axis from vertical (degrees,
    counter-clockwise as displayed) and half-width (pixels)."""

    row: float
    col: float
    angle: float
    half_width: float


def otsu(values: Picture, bins: int = 256) -> float:
    """The threshold that best separates two brightness groups (Otsu 1979): maximise the
    between-class variance over every cut of the histogram."""
    counts, edges = np.histogram(values, bins=bins)
    centres = (edges[:-1] + edges[1:]) / 2
    weight = np.cumsum(counts)
    total = weight[-1]
    mass = np.cumsum(counts * centres)
    low_mean = mass / np.maximum(weight, 1)
    high_mean = (mass[-1] - mass) / np.maximum(total - weight, 1)
    between = weight * (total - weight) * (low_mean - high_mean) ** 2
    best = np.flatnonzero(between >= between.max() * (1 - 1e-9))
    return float((edges[best[0] + 1] + edges[best[-1] + 1]) / 2)  # mid-gap when cuts tie


def palm_mask(image: Picture) -> Mask:
    """The largest bright region, holes filled (a dark vein or glove inside stays palm only if
    it is enclosed). The cut sits at 0.6 of Otsu's: Otsu's lies midway between room and skin,
    and a dark vein reaching the palm's edge would carve a notch there that tilts the moments
    by a degree or two."""
    smooth = ndimage.gaussian_filter(np.asarray(image, np.float64), 1.0)
    bright: Mask = smooth > 0.6 * otsu(smooth.ravel())
    labels, count = ndimage.label(bright)
    if count == 0:
        return bright
    sizes = ndimage.sum_labels(bright, labels, index=np.arange(1, count + 1))
    largest = labels == int(np.argmax(sizes)) + 1
    filled: Mask = np.asarray(ndimage.binary_fill_holes(largest), bool)
    return filled


def estimate_light(image: Picture, mask: Mask) -> Floats:
    """The slowly varying light falling on the palm. Around every pixel, fit a plane to the
    skin under heavy Gaussian weights (a first-order normalised convolution, Knutsson & Westin
    1993). A plain blur is wrong at the palm's edge: it sees only the inside, so at the bright
    edge it averages darker pixels and leaves the gradient half there; a local plane follows the
    slope to the edge. Two steps keep veins and rim out of the fit: a grey closing first fills
    the dark veins with the skin around them (else the division would erase the very contrast
    we want), and the weights skip the palm's dim outermost pixels."""
    inner = ndimage.binary_erosion(mask, iterations=2)
    weight = (inner if inner.sum() > 16 else mask).astype(np.float64)
    skin = ndimage.grey_closing(np.asarray(image, np.float64), size=5)
    size = image.shape[0]
    r, c = np.mgrid[0:size, 0:size].astype(np.float64) / size

    def blur(values: Floats) -> Floats:
        out: Floats = ndimage.gaussian_filter(values * weight, size / 8)
        return out

    s0, sr, sc = blur(np.ones_like(r)), blur(r), blur(c)
    srr, src, scc = blur(r * r), blur(r * c), blur(c * c)
    t0, tr, tc = blur(skin), blur(r * skin), blur(c * skin)
    normal = np.empty((size, size, 3, 3))
    normal[..., 0, 0] = s0
    normal[..., 0, 1] = normal[..., 1, 0] = sr - r * s0
    normal[..., 0, 2] = normal[..., 2, 0] = sc - c * s0
    normal[..., 1, 1] = srr - 2 * r * sr + r * r * s0
    normal[..., 2, 2] = scc - 2 * c * sc + c * c * s0
    normal[..., 1, 2] = normal[..., 2, 1] = src - r * sc - c * sr + r * c * s0
    target = np.stack([t0, tr - r * t0, tc - c * t0], axis=-1)
    normal += 1e-9 * np.eye(3)
    light: Floats = np.linalg.solve(normal, target[..., None])[..., 0, 0]
    return light


def correct_illumination(image: Picture, mask: Mask | None = None) -> Floats:
    """Divide by the estimated light, then stretch the 1st..99th percentile to 0..1. What
    remains is reflectance: veins against even skin, whatever the lamp did."""
    image = np.asarray(image, np.float64)
    mask = palm_mask(image) if mask is None else mask
    if not mask.any():
        return np.zeros_like(image)
    flat = np.where(mask, image / np.maximum(estimate_light(image, mask), 1e-6), 0.0)
    return _stretch(flat, mask)


def _stretch(image: Floats, mask: Mask) -> Floats:
    low, high = np.percentile(image[mask], [1, 99])
    out: Floats = np.where(mask, np.clip((image - low) / max(high - low, 1e-6), 0, 1), 0.0)
    return out


def denoise(image: Picture, method: Literal["median", "gaussian"] = "median") -> Floats:
    """A 3×3 median keeps vein edges sharper than a Gaussian of the same strength."""
    image = np.asarray(image, np.float64)
    out: Floats
    if method == "median":
        out = ndimage.median_filter(image, size=3, mode="nearest")
    else:
        out = ndimage.gaussian_filter(image, 0.8, mode="nearest")
    return out


def equalize_local(
    image: Picture, mask: Mask | None = None, tiles: int = 4, clip: float = 2.0, bins: int = 64
) -> Floats:
    """CLAHE-like local contrast: equalise the histogram of each tile, clipping every bin at
    ``clip`` times the mean count so noise in a flat tile is not blown up, and blend the four
    nearest tiles' mappings bilinearly so no tile seams show."""
    image = np.clip(np.asarray(image, np.float64), 0, 1)
    mask = np.ones(image.shape, bool) if mask is None else mask
    size = image.shape[0]
    level = np.minimum((image * bins).astype(np.int64), bins - 1)
    bounds = np.linspace(0, size, tiles + 1).astype(int)
    mapping = np.empty((tiles, tiles, bins))
    for i in range(tiles):
        for j in range(tiles):
            window = (slice(bounds[i], bounds[i + 1]), slice(bounds[j], bounds[j + 1]))
            mapping[i, j] = _equalising_map(level[window][mask[window]], clip, bins)
    centres = (bounds[:-1] + bounds[1:] - 1) / 2
    grid = np.interp(np.arange(size), centres, np.arange(tiles))
    low = np.floor(grid).astype(int)
    high = np.minimum(low + 1, tiles - 1)
    frac = grid - low
    r0, r1, wr = low[:, None], high[:, None], frac[:, None]
    c0, c1, wc = low[None, :], high[None, :], frac[None, :]
    top = (1 - wc) * mapping[r0, c0, level] + wc * mapping[r0, c1, level]
    bottom = (1 - wc) * mapping[r1, c0, level] + wc * mapping[r1, c1, level]
    out: Floats = np.where(mask, (1 - wr) * top + wr * bottom, 0.0)
    return out


def _equalising_map(levels: npt.NDArray[np.int64], clip: float, bins: int) -> Floats:
    if len(levels) < bins // 2:
        identity: Floats = (np.arange(bins) + 0.5) / bins
        return identity
    counts = np.bincount(levels, minlength=bins).astype(np.float64)
    limit = clip * len(levels) / bins
    excess = np.maximum(counts - limit, 0).sum()
    counts = np.minimum(counts, limit) + excess / bins
    cdf: Floats = (np.cumsum(counts) - counts / 2) / counts.sum()
    return cdf


def palm_frame(mask: Mask) -> PalmFrame:
    """Image moments of the mask: the centroid, and the principal axes of the pixel
    coordinates' covariance. For a uniform ellipse the variance along an axis is a²/4, so the
    half-width is twice the square root of the smaller eigenvalue."""
    rows, cols = np.nonzero(mask)
    if len(rows) < 3:
        size = mask.shape[0]
        return PalmFrame((size - 1) / 2, (size - 1) / 2, 0.0, size / 4)
    coords = np.stack([rows, cols]).astype(np.float64)
    centre = coords.mean(axis=1)
    values, vectors = np.linalg.eigh(np.cov(coords))
    major = vectors[:, 1] if vectors[0, 1] >= 0 else -vectors[:, 1]
    angle = float(np.degrees(np.arctan2(major[1], major[0])))
    return PalmFrame(float(centre[0]), float(centre[1]), angle, 2 * float(np.sqrt(values[0])))


def align(image: Picture, mask: Mask | None = None, roi: float = 1.1) -> Floats:
    """Turn the palm upright, centre it and crop a square ``roi`` half-widths on each side of
    its centre, resampled to the input size: position, tilt and distance to the camera no
    longer change which pixel a vein falls on."""
    image = np.asarray(image, np.float64)
    mask = palm_mask(image) if mask is None else mask
    frame = palm_frame(mask)
    size = image.shape[0]
    theta = np.radians(frame.angle)
    cos, sin = np.cos(theta), np.sin(theta)
    matrix = frame.half_width * roi / (size / 2) * np.array([[cos, -sin], [sin, cos]])
    centre = np.full(2, (size - 1) / 2)
    offset = np.array([frame.row, frame.col]) - matrix @ centre
    out: Floats = ndimage.affine_transform(image, matrix, offset=offset, order=1, cval=0.0)
    return out


def stages(image: Picture, steps: PreprocessSteps = PreprocessSteps()) -> list[tuple[str, Floats]]:
    """Every intermediate picture of one image, named, in order, for a before/after strip."""
    current = np.asarray(image, np.float64)
    if current.ndim != 2 or current.shape[0] != current.shape[1]:
        raise PalmInputError("not_images", shape=tuple(np.shape(image)))
    mask = palm_mask(current)
    out: list[tuple[str, Floats]] = [("raw", current), ("mask", mask.astype(np.float64))]
    if steps.illumination:
        current = correct_illumination(current, mask)
        out.append(("illumination", current))
    if steps.denoise:
        current = denoise(current)
        out.append(("denoise", current))
    if steps.local_contrast:
        current = equalize_local(current, mask)
        out.append(("local_contrast", current))
    if steps.align:
        current = align(current, mask)
        out.append(("aligned", current))
    return out


def preprocess(images: Images, steps: PreprocessSteps = PreprocessSteps()) -> Images:
    """The last image stage of every image, as float32 (n, size, size)."""
    images = np.asarray(images)
    if images.ndim != 3 or images.shape[1] != images.shape[2]:
        raise PalmInputError("not_images", shape=tuple(images.shape))
    if len(images) == 0:
        raise PalmInputError("empty")
    out = np.empty(images.shape, np.float32)
    for i, image in enumerate(images):
        out[i] = [picture for name, picture in stages(image, steps) if name != "mask"][-1]
    return out
