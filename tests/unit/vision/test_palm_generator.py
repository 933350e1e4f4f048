"""The synthetic NIR palms must behave like the real thing where the lesson depends on it: a
person's veins are theirs in every photograph, veins are darker than skin, and the conditions
the page varies (occlusion, light) are what they claim to be."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from core.vision.palm.errors import PalmInputError
from core.vision.palm.generator import (
    Lighting,
    PalmSettings,
    Pose,
    canonical_maps,
    generate,
    render,
    vein_map,
    vein_tree,
    with_conditions,
)
from core.vision.palm.preprocess import PreprocessSteps, palm_mask, preprocess

SMALL = PalmSettings(identities=4, samples_per_identity=3, size=48)
LIGHT = Lighting(brightness=0.8, gradient=0.2, noise=0.01)


def test_vein_tree_is_a_function_of_identity_and_seed() -> None:
    first, again, other = vein_tree(5, 0), vein_tree(5, 0), vein_tree(5, 1)
    assert len(first) == len(again) >= 3
    assert all(np.array_equal(a.points, b.points) for a, b in zip(first, again, strict=True))
    assert len(first) != len(other) or not np.array_equal(first[0].points, other[0].points)
    assert {v.depth for v in first} >= {0, 1}
    trunk = next(v for v in first if v.depth == 0)
    child = next(v for v in first if v.depth == 1)
    assert child.width < trunk.width


def test_same_identity_same_pose_same_seed_is_the_same_image() -> None:
    pose = Pose(rotation=12, shift_x=2, shift_y=-1, scale=1.03)
    a, _ = render(vein_tree(3), 64, pose, LIGHT, seed=7)
    b, _ = render(vein_tree(3), 64, pose, LIGHT, seed=7)
    c, _ = render(vein_tree(3), 64, pose, LIGHT, seed=8)
    assert a.dtype == np.float32 and a.shape == (64, 64)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_generate_is_reproducible_and_independent_of_how_many_people() -> None:
    one, two = generate(SMALL), generate(SMALL)
    assert np.array_equal(one.images, two.images)
    bigger = generate(PalmSettings(identities=6, samples_per_identity=3, size=48))
    assert np.array_equal(one.images, bigger.images[: len(one)])
    reseeded = generate(PalmSettings(identities=4, samples_per_identity=3, size=48, seed=1))
    assert not np.allclose(one.images, reseeded.images)
    assert one.images.shape == (12, 48, 48) and one.images.dtype == np.float32
    assert one.images.min() >= 0 and one.images.max() <= 1
    assert one.labels.tolist() == [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]
    assert one.samples.tolist() == [0, 1, 2] * 4
    assert np.abs(one.rotation).max() <= SMALL.rotation
    assert len(set(np.round(one.rotation, 6))) == 12


def _aligned(identity: int, pose: Pose, seed: int) -> np.ndarray:
    image, _ = render(vein_tree(identity), 64, pose, LIGHT, seed)
    steps = PreprocessSteps(illumination=True, denoise=True, align=True)
    centre: np.ndarray = preprocess(image[None], steps)[0, 16:48, 16:48]
    return centre.ravel()


def test_same_person_in_another_pose_matches_after_alignment_and_others_do_not() -> None:
    first, second = Pose(-12, 2, -2, 0.95), Pose(14, -3, 2, 1.05)
    same, different = [], []
    for person in range(5):
        a = _aligned(person, first, 1)
        same.append(np.corrcoef(a, _aligned(person, second, 2))[0, 1])
        different.append(np.corrcoef(a, _aligned(person + 5, second, 2))[0, 1])
    assert min(same) > 0.9
    assert max(different) < 0.7
    assert np.mean(same) - np.mean(different) > 0.6


def test_veins_are_darker_than_the_skin_around_them() -> None:
    veins = vein_tree(0)
    image, _ = render(veins, 64, Pose(), Lighting(0.8, 0.0, 0.0, 0.0), 0)
    truth = vein_map(veins, 64)
    _, palm = canonical_maps(veins, 64)
    vein = image[(truth > 0.5) & (palm > 0.9)].mean()
    skin = image[(truth < 0.02) & (palm > 0.9)].mean()
    background = image[palm == 0].mean()
    assert vein < 0.85 * skin
    assert background < 0.5 * vein


@pytest.mark.parametrize("fraction", [0.1, 0.3, 0.5])
def test_occlusion_covers_about_the_requested_fraction(fraction: float) -> None:
    veins = vein_tree(2)
    for seed in range(3):
        clean, _ = render(veins, 64, Pose(5), Lighting(0.8, 0.2, 0, 0.0, 0.0), seed)
        covered, claimed = render(veins, 64, Pose(5), Lighting(0.8, 0.2, 0, 0.0, fraction), seed)
        measured = (np.abs(covered - clean) > 0.03)[palm_mask(clean)].mean()
        assert claimed == pytest.approx(fraction, abs=0.01)
        assert measured == pytest.approx(fraction, abs=0.06)


def test_with_conditions_keeps_people_and_poses_and_changes_only_the_condition() -> None:
    data = generate(SMALL)
    dim = with_conditions(data, brightness=0.1)
    covered = with_conditions(data, occlusion=0.4)
    for other in (dim, covered):
        assert np.array_equal(other.labels, data.labels)
        assert np.array_equal(other.rotation, data.rotation)
        assert np.array_equal(other.shift_x, data.shift_x)
    assert np.all(dim.brightness == 0.1)
    assert dim.images.mean() < 0.3 * data.images.mean()
    assert np.allclose(covered.occlusion, 0.4, atol=0.01)
    assert np.all(data.occlusion == 0)


@pytest.mark.parametrize(
    ("change", "name"),
    [
        ({"size": 200}, "size"),
        ({"size": 16}, "size"),
        ({"occlusion": 0.7}, "occlusion"),
        ({"brightness": 0.0}, "brightness"),
        ({"identities": 1}, "identities"),
        ({"samples_per_identity": 1}, "samples_per_identity"),
        ({"rotation": 90.0}, "rotation"),
        ({"noise": -0.1}, "noise"),
    ],
)
def test_out_of_range_settings_raise_with_the_setting_named(
    change: dict[str, float], name: str
) -> None:
    with pytest.raises(PalmInputError) as caught:
        generate(PalmSettings(**change))  # type: ignore[arg-type]
    assert caught.value.code == "parameter_range"
    assert caught.value.values["name"] == name
    assert name in str(caught.value)


def test_errors_survive_pickling_and_conditions_are_checked() -> None:
    error = PalmInputError("parameter_range", name="size", low=32, high=128, value=200)
    back = pickle.loads(pickle.dumps(error))
    assert back.code == "parameter_range" and back.values == error.values
    assert str(back) == "size must be between 32 and 128, got 200."
    with pytest.raises(PalmInputError, match="occlusion"):
        with_conditions(generate(SMALL), occlusion=0.9)
