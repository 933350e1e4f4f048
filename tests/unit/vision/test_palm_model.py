"""The biometric arithmetic on hand-made numbers, then one tiny end-to-end run: the network must
recognise people it never trained on, and dim light and a covered palm must cost accuracy."""

from __future__ import annotations

import numpy as np
import pytest

from core.vision.palm.errors import PalmInputError
from core.vision.palm.evaluate import (
    PalmExperiment,
    eer,
    enrol_split,
    identification_accuracy,
    match_scores,
    roc,
    run_experiment,
    split_identities,
)
from core.vision.palm.generator import PalmSettings, generate
from core.vision.palm.network import PalmNetSettings, embed, train_palm_net
from core.vision.palm.preprocess import PreprocessSteps

TINY_DATA = PalmSettings(identities=24, samples_per_identity=6, size=48, shift=2)
TINY_NET = PalmNetSettings(channels=8, epochs=12, batch_size=16, embedding_dim=32)


def test_eer_of_perfectly_separated_scores_is_zero() -> None:
    rate, threshold = eer(np.array([0.1, 0.2, 0.3]), np.array([0.6, 0.7, 0.9]))
    assert rate == 0.0
    assert 0.3 <= threshold < 0.6


def test_eer_of_identical_distributions_is_a_half() -> None:
    scores = np.random.default_rng(0).uniform(0, 1, 400)
    rate, _ = eer(scores, scores.copy())
    assert rate == pytest.approx(0.5, abs=0.01)


def test_eer_interpolates_a_known_crossing() -> None:
    """Genuine uniform on 0..1, impostor on 0.5..1.5: FRR = 1 − t, FAR = t − 0.5, equal at
    t = 0.75 with both 0.25."""
    rate, threshold = eer(np.linspace(0, 1, 1001), np.linspace(0.5, 1.5, 1001))
    assert rate == pytest.approx(0.25, abs=0.002)
    assert threshold == pytest.approx(0.75, abs=0.002)
    rate, threshold = eer(np.array([0.0, 1.0]), np.array([0.5, 2.0]))
    assert rate == pytest.approx(0.5)


def test_roc_counts_false_accepts_and_false_rejects() -> None:
    curve = roc(np.array([0.1, 0.4]), np.array([0.3, 0.8]), np.array([0.0, 0.35, 1.0]))
    assert curve.far.tolist() == [0.0, 0.5, 1.0]
    assert curve.frr.tolist() == [1.0, 0.5, 0.0]
    with pytest.raises(PalmInputError):
        eer(np.array([]), np.array([0.5]))


def test_identification_and_match_scores_on_hand_made_embeddings() -> None:
    gallery = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])
    gallery_labels = np.array([0, 1, 1])
    probes = np.array([[0.8, 0.6], [0.0, 1.0], [1.0, 0.0]])
    probe_labels = np.array([0, 1, 1])
    # probe 0 is nearer person 1's second photo (cosine 0.96) than person 0's (0.8); probe 2
    # sits exactly on person 0: only probe 1 is identified correctly
    assert identification_accuracy(gallery, gallery_labels, probes, probe_labels) == 1 / 3
    genuine, impostor = match_scores(gallery, gallery_labels, probes, probe_labels)
    assert genuine == pytest.approx([0.2, 0.0, 0.4])
    assert impostor == pytest.approx([0.04, 1.0, 0.0])


def test_split_keeps_every_person_on_one_side() -> None:
    data = generate(PalmSettings(identities=10, samples_per_identity=3, size=32))
    train, test = split_identities(data, 0.3, seed=0)
    assert len(set(train.labels) & set(test.labels)) == 0
    assert len(set(test.labels)) == 3 and len(train) + len(test) == len(data)
    gallery, probes = enrol_split(test, 1)
    assert len(gallery) == 3 and len(probes) == 6
    with pytest.raises(PalmInputError) as caught:
        split_identities(data, 0.1)
    assert caught.value.code == "too_few_identities"
    with pytest.raises(PalmInputError) as caught:
        enrol_split(test, 3)
    assert caught.value.code == "too_few_samples"


def test_network_settings_are_checked() -> None:
    with pytest.raises(PalmInputError) as caught:
        PalmNetSettings(channels=2).check()
    assert caught.value.values["name"] == "channels"
    with pytest.raises(PalmInputError) as caught:
        PalmNetSettings(blocks=(1, 5)).check()
    assert caught.value.code == "blocks"


def test_training_reports_each_epoch_and_stops_when_asked() -> None:
    data = generate(PalmSettings(identities=4, samples_per_identity=4, size=32))
    seen: list[float] = []

    def stop_after_two(progress: float, update: object = None) -> bool:
        seen.append(progress)
        return len(seen) < 2

    settings = PalmNetSettings(channels=4, epochs=5, batch_size=8, embedding_dim=8)
    result = train_palm_net(data, settings, stop_after_two)
    assert seen == [0.2, 0.4]
    assert len(result.history) == 2 and result.stopped
    assert result.identities == (0, 1, 2, 3)
    vectors = embed(result, data.images[:5])
    assert vectors.shape == (5, 8)
    assert np.linalg.norm(vectors, axis=1) == pytest.approx(np.ones(5))
    seen.clear()
    again = train_palm_net(data, settings, stop_after_two)
    assert all(np.array_equal(result.state[k], again.state[k]) for k in result.state)


@pytest.fixture(scope="module")
def tiny() -> PalmExperiment:
    return run_experiment(
        TINY_DATA, TINY_NET, PreprocessSteps(), test_fraction=0.34, low_light=0.07, occlusion=0.3
    )


def test_held_out_people_are_recognised_far_above_chance(tiny: PalmExperiment) -> None:
    normal = tiny.condition("normal")
    assert tiny.test_identities == 8 and tiny.train_identities == 16
    assert normal.accuracy > 0.7  # chance is 1/8
    assert normal.eer < 0.2
    assert tiny.closed_set_accuracy > 0.9
    assert tiny.history[-1].train_accuracy > 0.9
    assert tiny.parameters < 100_000  # ResNet50 has about 23 million
    assert tiny.seconds < 20


def test_dim_light_and_a_covered_palm_each_cost_accuracy(tiny: PalmExperiment) -> None:
    normal, dim, covered = (tiny.condition(n) for n in ("normal", "low_light", "occluded"))
    assert dim.brightness == pytest.approx(0.07)
    assert covered.occlusion == pytest.approx(0.3, abs=0.01)
    for worse in (dim, covered):
        assert worse.eer > normal.eer + 0.1
        assert worse.accuracy < normal.accuracy - 0.2
    assert np.median(normal.genuine) < np.median(normal.impostor)
