"""Face recognition on shipped photos: the same person verified, different people rejected,
preprocessing stages, conditions that hurt, a ROC, and a gallery that forgets on request."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import Engine

from core.vision import face, face_experiments, gallery
from core.vision.errors import VisionError
from tests import factories


@pytest.fixture(scope="module")
def astronaut_scan(photos: dict[str, np.ndarray]) -> face.FaceScan:
    return face.scan(photos["astronaut"])


def test_same_person_verified_different_rejected(photos: dict[str, np.ndarray]) -> None:
    astronaut = photos["astronaut"]
    same, d_same = face.verify(astronaut, np.ascontiguousarray(astronaut[:, ::-1]))
    different, d_diff = face.verify(astronaut, photos["grace_hopper"])
    assert same and d_same < 0.07
    assert not different and d_diff > 0.07
    assert d_diff > 2 * d_same


@pytest.mark.parametrize("detector", ["mtcnn", "dlib"])
def test_other_detectors_find_the_face(photos: dict[str, np.ndarray], detector: str) -> None:
    found = face.scan(photos["astronaut"], detector=detector)
    assert found.largest is not None
    x, y, w, h = found.largest.box
    assert 150 < x + w / 2 < 300 and 60 < y + h / 2 < 200  # her face, not the flag or suit


def test_two_people_two_faces(photos: dict[str, np.ndarray]) -> None:
    """OpenCV's Haar cascade misses the lowered face on zidane.jpg; MTCNN finds both."""
    assert len(face.scan(photos["zidane"], detector="opencv").faces) == 1
    found = face.scan(photos["zidane"], detector="mtcnn")
    assert len(found.faces) == 2
    a, b = sorted(found.faces, key=lambda f: f.box[0])[:2]
    assert face.cosine_distance(a.embedding, b.embedding) > found.threshold


def test_no_face_is_a_clear_error(photos: dict[str, np.ndarray]) -> None:
    grey = np.full((200, 200, 3), 120, np.uint8)
    assert face.scan(grey).faces == ()
    with pytest.raises(VisionError) as missing:
        face.verify(photos["astronaut"], grey)
    assert missing.value.code == "no_face" and missing.value.values["which"] == "second"


def test_identify_against_a_gallery(
    photos: dict[str, np.ndarray], astronaut_scan: face.FaceScan
) -> None:
    hopper = face.scan(photos["grace_hopper"]).largest
    assert hopper is not None and astronaut_scan.largest is not None
    people = [("Eileen", astronaut_scan.largest.embedding), ("Grace", hopper.embedding)]
    probe = face.scan(face_experiments.dim(photos["grace_hopper"], 0.7)).largest
    assert probe is not None
    match = face.identify(probe.embedding, people, astronaut_scan.threshold)
    assert match is not None and match.name == "Grace" and match.accepted
    stranger = face.scan(photos["zidane"]).largest
    assert stranger is not None
    nobody = face.identify(stranger.embedding, people, astronaut_scan.threshold)
    assert nobody is not None and not nobody.accepted
    assert face.identify(probe.embedding, [], 0.07) is None


def test_preprocessing_stages_show_before_and_after(photos: dict[str, np.ndarray]) -> None:
    dark = face_experiments.dim(photos["astronaut"], 0.3)
    stages = face.preprocess_stages(dark, ("clahe", "denoise", "align"))
    assert [name for name, _ in stages] == ["original", "clahe", "denoise", "align"]
    original, equalised = stages[0][1], stages[1][1]
    assert equalised.std() > original.std()  # local contrast restored
    assert stages[3][1].shape == (160, 160, 3)
    with pytest.raises(ValueError):
        face.preprocess_stages(dark, ("sharpen",))


def test_demography_needs_weights_that_cannot_ship(photos: dict[str, np.ndarray]) -> None:
    with pytest.raises(VisionError) as missing:
        face.demography(photos["astronaut"])
    assert missing.value.code == "missing_weights"
    assert missing.value.values["file"].endswith((".h5", ".onnx", ".pth"))
    assert missing.value.values["folder"].endswith(".deepface/weights")


def test_darkness_and_a_mask_push_the_distance_up(photos: dict[str, np.ndarray]) -> None:
    light = face_experiments.condition_sweep(photos["astronaut"], "lighting")
    first, last = light.points[0], light.points[-1]
    assert first.verified and first.distance is not None and first.distance < 0.01
    assert (not last.found) or (last.distance is not None and last.distance > first.distance)
    masked = face_experiments.condition_sweep(photos["astronaut"], "mask")
    assert len(masked.images) == len(face_experiments.LEVELS["mask"])
    covered = masked.points[-1]
    assert (not covered.found) or (covered.distance or 0) > 3 * (masked.points[0].distance or 0)


def test_roc_separates_shipped_identities(photos: dict[str, np.ndarray]) -> None:
    zidane = photos["zidane"]
    people = {
        "astronaut": photos["astronaut"],
        "grace_hopper": photos["grace_hopper"],
        "zidane_left": np.ascontiguousarray(zidane[:, :700]),
        "zidane_right": np.ascontiguousarray(zidane[:, 700:]),
    }
    roc = face_experiments.roc_from_photos(people, per_identity=3)
    assert len(roc.genuine) >= 8 and len(roc.impostor) >= 30
    assert roc.auc > 0.9
    assert np.mean(roc.genuine) < roc.threshold < np.mean(roc.impostor)
    assert roc.accuracy_at_threshold > 0.8


def test_roc_curve_arithmetic() -> None:
    roc = face_experiments.roc_curve([0.01, 0.02, 0.03], [0.2, 0.3, 0.4, 0.5], threshold=0.07)
    assert roc.auc == pytest.approx(1.0) and roc.eer == pytest.approx(0.0)
    assert roc.accuracy_at_threshold == 1.0
    flipped = face_experiments.roc_curve([0.5, 0.6], [0.01, 0.02], threshold=0.07)
    assert flipped.auc == pytest.approx(0.0) and flipped.accuracy_at_threshold == 0.0


def test_gallery_enrols_lists_and_forgets(engine: Engine) -> None:
    learner = factories.teacher("gulnar")
    other = factories.student(factories.classroom(learner), "timur")
    vector = np.linspace(-1, 1, 128).astype(np.float32)
    first = gallery.enrol(learner, "  Aida  ", vector, engine)
    gallery.enrol(learner, "Bek", -vector, engine)
    gallery.enrol(other, "Someone", vector, engine)
    mine = gallery.enrolled(learner, engine)
    assert [e.name for e in mine] == ["Aida", "Bek"]
    assert np.allclose(mine[0].embedding, vector, atol=1e-5)
    assert gallery.forget(learner, first, engine) == 1
    assert [e.name for e in gallery.enrolled(learner, engine)] == ["Bek"]
    assert gallery.forget(learner, None, engine) == 1
    assert gallery.enrolled(learner, engine) == []
    assert [e.name for e in gallery.enrolled(other, engine)] == ["Someone"]
    for name, bad, code in (("", vector, "empty_name"), ("x" * 81, vector, "long_name"),
                            ("A", vector[:10], "bad_embedding")):  # fmt: skip
        with pytest.raises(gallery.GalleryError) as refused:
            gallery.enrol(learner, name, bad, engine)
        assert refused.value.code == code


def test_other_recognition_models_name_their_missing_file(photos: dict[str, np.ndarray]) -> None:
    with pytest.raises(VisionError) as missing:
        face.scan(photos["astronaut"], model="ArcFace")
    assert missing.value.code == "missing_weights"
    assert "arcface" in missing.value.values["file"].lower()
