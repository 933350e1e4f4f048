"""Each preprocessing step must do the one thing the study says it does, measured against the
generator's ground truth: flatten the light, remove noise, undo the hand's pose."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage

from core.vision.palm.errors import PalmInputError
from core.vision.palm.generator import Lighting, Pose, render, vein_map, vein_tree
from core.vision.palm.preprocess import (
    PreprocessSteps,
    align,
    correct_illumination,
    denoise,
    equalize_local,
    estimate_light,
    otsu,
    palm_frame,
    palm_mask,
    preprocess,
    stages,
)

CENTRE = 31.5  # of a 64-pixel image


def test_illumination_correction_flattens_a_strong_gradient() -> None:
    """A vein-free palm under a steep light gradient: the skin's spread (std / mean) before and
    after dividing by the estimated light."""
    for direction in (0.0, 1.5, 3.0, 4.5):
        image, _ = render([], 64, Pose(), Lighting(0.8, 0.8, direction, 0.005), 0)
        palm = palm_mask(image)
        inner = ndimage.binary_erosion(palm, iterations=2)
        flat = image / estimate_light(image, palm)
        before = image[inner].std() / image[inner].mean()
        after = flat[inner].std() / flat[inner].mean()
        assert before > 0.15
        assert after < before / 4


def test_illumination_correction_makes_the_picture_independent_of_the_lamp() -> None:
    raw, corrected = [], []
    for person in range(4):
        veins = vein_tree(person)
        even, _ = render(veins, 64, Pose(), Lighting(0.8, 0.0, 0.0, 0.0), 0)
        uneven, _ = render(veins, 64, Pose(), Lighting(0.8, 0.8, 1.1 * person, 0.0), 0)
        inner = ndimage.binary_erosion(palm_mask(even), iterations=2)
        raw.append(np.corrcoef(even[inner], uneven[inner])[0, 1])
        a, b = correct_illumination(even), correct_illumination(uneven)
        corrected.append(np.corrcoef(a[inner], b[inner])[0, 1])
        assert b.min() >= 0 and b.max() <= 1
        assert np.all(b[~palm_mask(uneven)] == 0)
    assert np.mean(raw) < 0.6
    assert min(corrected) > 0.9


@pytest.mark.parametrize("method", ["median", "gaussian"])
def test_denoise_reduces_noise(method: str) -> None:
    veins = vein_tree(1)
    clean, _ = render(veins, 64, Pose(), Lighting(0.8, 0.2, 0.3, 0.0), 0)
    noisy, _ = render(veins, 64, Pose(), Lighting(0.8, 0.2, 0.3, 0.05), 0)
    palm = palm_mask(clean)
    before = (noisy - clean)[palm].std()
    after = (denoise(noisy, method) - clean)[palm].std()  # type: ignore[arg-type]
    assert before == pytest.approx(0.05, abs=0.005)
    assert after < 0.6 * before


@pytest.mark.parametrize("rotation", [-30.0, -10.0, 10.0, 25.0, 40.0])
def test_alignment_undoes_a_known_rotation_and_centres_the_palm(rotation: float) -> None:
    image, _ = render(vein_tree(4), 64, Pose(rotation, 4, -3), Lighting(0.7, 0.3, 1.0, 0.02), 3)
    frame = palm_frame(palm_mask(image))
    assert frame.angle == pytest.approx(rotation, abs=2.5)
    assert frame.row == pytest.approx(CENTRE - 3, abs=1)
    assert frame.col == pytest.approx(CENTRE + 4, abs=1)
    upright = palm_frame(palm_mask(align(image)))
    assert abs(upright.angle) < 2.5
    assert upright.row == pytest.approx(CENTRE, abs=1)
    assert upright.col == pytest.approx(CENTRE, abs=1)


def test_alignment_undoes_distance_to_the_camera() -> None:
    widths = []
    for scale in (0.9, 1.1):
        image, _ = render(vein_tree(0), 64, Pose(0, 0, 0, scale), Lighting(0.7, 0.0, 0, 0.01), 0)
        raw = palm_frame(palm_mask(image)).half_width
        widths.append((raw, palm_frame(palm_mask(align(image))).half_width))
    (near_raw, near), (far_raw, far) = widths
    assert far_raw / near_raw == pytest.approx(1.1 / 0.9, abs=0.05)
    assert far == pytest.approx(near, rel=0.03)


def test_local_contrast_raises_vein_contrast_inside_the_palm() -> None:
    veins = vein_tree(2)
    image, _ = render(veins, 64, Pose(), Lighting(0.5, 0.0, 0, 0.005), 0)
    palm = palm_mask(image)
    truth = vein_map(veins, 64)
    inner = ndimage.binary_erosion(palm, iterations=3)
    out = equalize_local(image.astype(np.float64), palm)

    def contrast(x: np.ndarray) -> float:
        return float(x[inner & (truth < 0.02)].mean() - x[inner & (truth > 0.5)].mean())

    assert out.min() >= 0 and out.max() <= 1
    assert contrast(out) > 1.5 * contrast(image)
    assert out[palm].std() > 1.4 * image[palm].std()
    assert np.all(out[~palm] == 0)


def test_otsu_separates_two_groups() -> None:
    rng = np.random.default_rng(0)
    values = np.concatenate([rng.normal(0.1, 0.02, 500), rng.normal(0.7, 0.05, 300)])
    assert 0.2 < otsu(values) < 0.55


def test_stages_follow_the_switched_on_steps() -> None:
    image, _ = render(vein_tree(0), 48, Pose(8), Lighting(), 0)
    names = [name for name, _ in stages(image)]
    assert names == ["raw", "mask", "illumination", "denoise", "aligned"]
    every = PreprocessSteps(local_contrast=True)
    assert [n for n, _ in stages(image, every)][-2:] == ["local_contrast", "aligned"]
    none = PreprocessSteps(False, False, False, False)
    assert [n for n, _ in stages(image, none)] == ["raw", "mask"]
    batch = np.stack([image, image])
    assert np.array_equal(preprocess(batch, none), batch)
    out = preprocess(batch)
    assert out.shape == batch.shape and out.dtype == np.float32
    assert not np.allclose(out[0], image)


def test_preprocess_rejects_what_is_not_a_stack_of_square_images() -> None:
    with pytest.raises(PalmInputError) as caught:
        preprocess(np.zeros((2, 32, 40), np.float32))
    assert caught.value.code == "not_images"
    with pytest.raises(PalmInputError) as empty:
        preprocess(np.zeros((0, 32, 32), np.float32))
    assert empty.value.code == "empty"
