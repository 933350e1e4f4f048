"""The vision lab page: every tab renders in every language; snapshot mode runs pose and face
recognition on a camera photo; predictions are judged from the learner's own runs and recorded
once on their skill; the gallery forgets on request; a crashed or missing worker is a message."""

from __future__ import annotations

import io
import os
import signal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image as PILImage
from streamlit.testing.v1 import AppTest

from app_pages.components.vision.common import KNOWN
from core.accounts import Actor
from core.config import LANGUAGES
from core.vision import client as vision_client
from core.vision import gallery
from core.vision.client import WorkerClient, WorkerConfig
from core.vision.errors import EXPLAINED
from tests.app.conftest import (
    Seed,
    activity_events,
    assert_clean,
    lock_prediction,
    open_as,
    run_job,
)

PAGE = "app_pages/vision_lab.py"


def _jpeg(image: np.ndarray) -> bytes:
    out = io.BytesIO()
    PILImage.fromarray(image).save(out, "JPEG")
    return out.getvalue()


def _captions(at: AppTest) -> list[str]:
    return [img.caption for element in at.get("image") for img in element.proto.imgs]


def _open(actor: Actor, lang: str = "en") -> AppTest:
    return open_as(actor, PAGE, lang)


def _events(actor: Actor) -> pd.DataFrame:
    return activity_events(actor, "vision")


def _predict(at: AppTest, question: str, option: str) -> AppTest:
    return lock_prediction(at, "vision", question, option)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_tab_opens_in_every_language(seed: Seed, worker: WorkerClient, lang: str) -> None:
    at = _open(seed.student, lang)
    assert len(at.tabs) == 5
    assert not at.error
    assert at.dataframe, "the worker tab lists the pose models"


def test_snapshot_mode_draws_a_pose(seed: Seed, worker: WorkerClient) -> None:
    at = _open(seed.student)
    at.segmented_control(key="vision_live_source").set_value("snapshot").run()
    bus = worker.call("photo", name="bus").arrays[0]
    at.camera_input(key="vision_live_snapshot").set_value(("shot.jpg", _jpeg(bus), "image/jpeg"))
    at.run()
    assert_clean(at)
    assert "Snapshot: 1 found" in _captions(at)


def test_a_malformed_snapshot_is_a_message(seed: Seed, worker: WorkerClient) -> None:
    at = _open(seed.student)
    at.segmented_control(key="vision_live_source").set_value("snapshot").run()
    at.camera_input(key="vision_live_snapshot").set_value(("shot.jpg", b"not a jpeg", "image/jpeg"))
    at.run()
    assert_clean(at)
    assert any("not a photo the lab can read" in e.value for e in at.error)


def test_enrol_recognise_and_forget_a_face(seed: Seed, worker: WorkerClient) -> None:
    at = _open(seed.student)
    at.segmented_control(key="vision_face_section").set_value("gallery").run()
    at = _predict(at, "privacy", "photo")
    at.text_input(key="vision_enrol_name").set_value("Eileen").run()
    at.checkbox(key="vision_enrol_consent").check().run()
    at.button(key="vision_enrol_go").click().run()
    assert_clean(at)
    assert [e.name for e in gallery.enrolled(seed.student)] == ["Eileen"]
    assert any("Nobody in the gallery" in i.value for i in at.info)  # the probe is Grace Hopper
    at.selectbox(key="vision_probe_photo").set_value("astronaut").run()
    assert any("This is Eileen" in s.value for s in at.success)
    # the live view's face task now names her on a camera snapshot
    at.segmented_control(key="vision_live_source").set_value("snapshot").run()
    at.segmented_control(key="vision_task").set_value("face").run()
    astronaut = worker.call("photo", name="astronaut").arrays[0]
    at.camera_input(key="vision_live_snapshot").set_value(
        ("me.jpg", _jpeg(astronaut), "image/jpeg")
    )
    at.run()
    assert_clean(at)
    enrolled = gallery.enrolled(seed.student)
    at.button(key=f"vision_forget_{enrolled[0].id}").click().run()
    assert gallery.enrolled(seed.student) == []
    event = _events(seed.student).set_index("item_id").loc["privacy"]
    assert event["skill"] == "vision.privacy" and not event["correct"]
    assert event["error_type"] == "embedding_is_photo"


def test_benchmark_run_judges_predictions(seed: Seed, worker: WorkerClient) -> None:
    at = _open(seed.student)
    at.multiselect(key="vision_bench_models").set_value(["mediapipe-full"]).run()
    at.multiselect(key="vision_bench_scenes").set_value(["crowd"]).run()
    at.select_slider(key="vision_bench_budget").set_value(1.0).run()
    at = _predict(at, "resolution", "much_lower")
    assert "All 8" in at.radio(key="vision_q_choice_crowd_count").options
    at = _predict(at, "crowd_count", "one")
    at = run_job(at, "vision_bench")
    events = _events(seed.student).set_index("item_id")
    assert set(events.index) == {"resolution", "crowd_count"}
    assert events.loc["crowd_count", "correct"]  # MediaPipe Pose follows one person
    assert events.loc["resolution", "skill"] == "vision.pose"
    assert len(at.get("plotly_chart")) == 4
    at = _predict(at, "crowd_model", "mediapipe")
    events = _events(seed.student).set_index("item_id")
    assert events.loc["crowd_model", "error_type"] == "single_person_model_overrated"


def test_a_benchmark_model_without_its_file_is_explained_not_failed(
    seed: Seed, worker: WorkerClient
) -> None:
    at = _open(seed.student)
    at.multiselect(key="vision_bench_models").set_value(["mediapipe-heavy"]).run()
    at.multiselect(key="vision_bench_scenes").set_value(["walk"]).run()
    at.multiselect(key="vision_bench_res").set_value(["480p"]).run()
    at.select_slider(key="vision_bench_budget").set_value(1.0).run()
    at = run_job(at, "vision_bench")
    assert any("pose_landmark_heavy.tflite" in e.value for e in at.error)
    assert not any("could not finish" in e.value for e in at.error)  # jobs.failed


def test_every_error_a_page_explains_comes_back_from_a_job_as_a_value() -> None:
    assert all(issubclass(known, EXPLAINED) for known in KNOWN)


def test_roc_runs_as_a_job(seed: Seed, worker: WorkerClient) -> None:
    at = _open(seed.student)
    at.segmented_control(key="vision_face_section").set_value("roc").run()
    at.slider(key="vision_roc_per").set_value(3).run()
    at = run_job(at, "vision_roc")
    assert any(m.label == "AUC" for m in at.metric)
    assert len(at.get("plotly_chart")) == 2


def test_darkness_sweep_judges_the_prediction(seed: Seed, worker: WorkerClient) -> None:
    at = _open(seed.student)
    at.segmented_control(key="vision_face_section").set_value("conditions").run()
    at = _predict(at, "dark_face", "verified")
    assert len(at.get("plotly_chart")) >= 1
    event = _events(seed.student).set_index("item_id").loc["dark_face"]
    assert event["skill"] == "vision.face"


def test_palm_vein_trains_and_judges(seed: Seed, worker: WorkerClient) -> None:
    at = _open(seed.student)
    at.slider(key="vision_palm_ids").set_value(12).run()
    at.slider(key="vision_palm_samples").set_value(5).run()
    at.slider(key="vision_palm_epochs").set_value(3).run()
    at = _predict(at, "palm_condition", "low_light")
    at = run_job(at, "vision_palm")
    event = _events(seed.student).set_index("item_id").loc["palm_condition"]
    assert event["skill"] == "vision.biometrics"
    assert any(m.label == "Accuracy on new people" for m in at.metric)


def test_a_crashed_worker_is_a_message_and_comes_back(seed: Seed, worker: WorkerClient) -> None:
    at = _open(seed.student)
    assert worker.pid is not None
    os.kill(worker.pid, signal.SIGKILL)  # dies between two reruns, as an out-of-memory kill would
    at.run()
    assert_clean(at)
    assert any("has been restarted" in e.value for e in at.error)
    at.run()
    assert_clean(at)
    assert not any("has been restarted" in e.value for e in at.error)
    at.button(key="vision_worker_restart").click().run()
    assert_clean(at)
    assert any(m.label == "Worker memory" for m in at.metric)


def test_missing_vision_environment_is_explained(seed: Seed, worker: WorkerClient) -> None:
    absent = WorkerClient(WorkerConfig(python=Path("/nowhere/bin/python")))
    vision_client.use(absent)
    try:
        at = _open(seed.student)
        assert any("vision environment is not installed" in e.value for e in at.error)
    finally:
        vision_client.use(worker)


def test_a_model_without_its_file_says_which_file(seed: Seed, worker: WorkerClient) -> None:
    at = _open(seed.student)
    at.selectbox(key="vision_live_model").set_value("mediapipe-heavy").run()
    assert_clean(at)
    assert any("pose_landmark_heavy.tflite" in e.value for e in at.error)
    at.selectbox(key="vision_live_model").set_value("yolov8s-pose").run()
    assert any("no trained weights" in w.value for w in at.warning)
