"""The vision lab's background jobs, run as a job worker runs them (a real ``JobContext``): live
updates and progress, a Stop, and known failures handed back as values the page explains, which
must survive the job store's pickling."""

from __future__ import annotations

import numpy as np
import pytest

from core.jobs import JobContext, JobStopped
from core.vision import face_experiments, pose_bench
from core.vision.client import WorkerClient
from core.vision.errors import VisionError
from core.vision.face_experiments import RocResult
from core.vision.media import MediaError, encode_video
from core.vision.palm.errors import PalmInputError
from core.vision.palm.evaluate import PalmExperiment, experiment_job
from core.vision.palm.generator import PalmSettings
from core.vision.palm.network import EpochLog, PalmNetSettings
from core.vision.palm.preprocess import PreprocessSteps
from core.vision.pose_bench import BenchRow
from tests.job_contexts import stopped, through_the_store

TINY_DATA = PalmSettings(identities=12, samples_per_identity=5, size=48, shift=2)
TINY_NET = PalmNetSettings(channels=8, epochs=3, batch_size=16, embedding_dim=32)


# ------------------------------------------------------------------------------ pose benchmark
def test_grid_job_reports_each_row_and_runs_an_uploaded_clip(worker: WorkerClient) -> None:
    clip = encode_video([np.full((240, 320, 3), 90, np.uint8)] * 4)
    ctx = JobContext()
    rows = pose_bench.grid_job(ctx, ["mediapipe-full"], ["480p"], ["walk", "upload"], 0.3, clip)
    assert isinstance(rows, list) and [r.scene for r in rows] == ["walk", "upload"]
    assert rows[1].frames == 4
    _, progress, updates = ctx.state()
    assert progress == 1.0 and updates == rows  # one live update per finished row
    assert all(isinstance(u, BenchRow) for u in through_the_store(updates))  # type: ignore[attr-defined]


def test_grid_job_stop_keeps_the_rows_so_far(worker: WorkerClient) -> None:
    ctx = stopped()
    rows = pose_bench.grid_job(ctx, ["mediapipe-full"], ["480p"], ["walk", "crowd"], 0.3)
    assert isinstance(rows, list) and [r.scene for r in rows] == ["walk"]
    assert ctx.state()[1] == 0.5


def test_grid_job_hands_back_known_failures(worker: WorkerClient) -> None:
    unknown = pose_bench.grid_job(JobContext(), ["mediapipe-full"], ["4k"], ["walk"], 0.3)
    assert isinstance(unknown, ValueError)
    clip = pose_bench.grid_job(JobContext(), ["mediapipe-full"], ["480p"], ["upload"], 0.3, b"x")
    assert isinstance(clip, MediaError) and clip.code == "not_video"
    missing = pose_bench.grid_job(JobContext(), ["mediapipe-heavy"], ["480p"], ["walk"], 0.3)
    assert isinstance(missing, VisionError) and missing.code == "missing_weights"
    back = through_the_store(missing)
    assert isinstance(back, VisionError) and back.values == missing.values
    assert through_the_store(clip).code == "not_video"  # type: ignore[attr-defined]


# ------------------------------------------------------------------------------------- face ROC
def test_roc_job_scans_every_image_with_progress(worker: WorkerClient) -> None:
    ctx = JobContext()
    result = face_experiments.roc_job(ctx, 3, "opencv")
    assert isinstance(result, RocResult)
    assert result.genuine and result.impostor and 0.5 < result.auc <= 1.0
    assert len(result.genuine) + len(result.impostor) + result.missed > 0
    assert ctx.state()[1] == 1.0
    assert isinstance(through_the_store(result), RocResult)


def test_roc_job_stops_after_the_first_image(worker: WorkerClient) -> None:
    ctx = stopped()
    with pytest.raises(JobStopped):
        face_experiments.roc_job(ctx, 3, "opencv")
    assert ctx.state()[1] == pytest.approx(1 / 12)


def test_roc_job_hands_back_a_bad_detector(worker: WorkerClient) -> None:
    result = face_experiments.roc_job(JobContext(), 3, "sharp-eyes")
    assert isinstance(result, ValueError) and "detector" in str(result)


# ------------------------------------------------------------------------------------ palm vein
def test_palm_job_reports_each_epoch() -> None:
    ctx = JobContext()
    result = experiment_job(ctx, TINY_DATA, TINY_NET, PreprocessSteps(), 0.1, 0.25)
    assert isinstance(result, PalmExperiment) and not result.stopped
    _, progress, updates = ctx.state()
    assert progress == 1.0 and tuple(updates) == result.history
    assert all(isinstance(u, EpochLog) for u in updates) and len(updates) == 3
    assert isinstance(through_the_store(result), PalmExperiment)


def test_palm_job_stop_ends_training_and_still_evaluates() -> None:
    ctx = stopped()
    result = experiment_job(ctx, TINY_DATA, TINY_NET, PreprocessSteps(), 0.1, 0.25)
    assert isinstance(result, PalmExperiment) and result.stopped
    assert len(result.history) == 1 and len(result.conditions) == 3


def test_palm_job_hands_back_unusable_settings() -> None:
    few = PalmSettings(identities=3, samples_per_identity=5)
    result = experiment_job(JobContext(), few, TINY_NET, PreprocessSteps(), 0.1, 0.25)
    assert isinstance(result, PalmInputError) and result.code == "too_few_identities"
    assert through_the_store(result).code == "too_few_identities"  # type: ignore[attr-defined]
