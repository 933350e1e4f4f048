"""The benchmark tab: the seed study's comparison (MediaPipe vs YOLOv8, three resolutions,
several scenes) run live in the worker, drawn like the study's figures, with CSV to take away.
Predictions come first; the right answers come from this run's rows."""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd
import plotly.express as px
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from app_pages.components.jobs import JobWork, button_job
from app_pages.components.numbers import readable, slider
from app_pages.components.plots import plot
from app_pages.components.session import tr
from app_pages.components.uploads import uploader
from app_pages.components.vision import question
from app_pages.components.vision.common import MEDIA_MB, explain, safely
from core.accounts import Actor
from core.exports import safe_csv
from core.jobs import JobSnapshot
from core.vision import pose_bench, questions
from core.vision.catalogue import POSE_MODELS
from core.vision.pose_bench import BenchRow, upload_frames
from core.vision.scenes import RESOLUTIONS, SCENES

KEY = "vision_bench"
CROWD_PEOPLE = 8
METRICS = ("fps", "cpu_percent", "rss_mb", "elapsed_s")


DECIMALS = {"fps": 1, "cpu_percent": 0, "process_cpu_percent": 0, "rss_mb": 0, "elapsed_s": 2,
            "people_mean": 2}  # fmt: skip


def _rows_table(rows: list[BenchRow]) -> None:
    """The measured rows, their numbers written the reader's way."""
    frame = pd.DataFrame([r.__dict__ for r in rows])
    scene_names = {s: tr(f"vision.scene.{s}") for s in (*SCENES, "upload")}
    frame["scene"] = frame["scene"].map(scene_names)
    shown, config = readable(frame, DECIMALS)
    names = {c: tr(f"vision.bench.col.{c}") for c in frame.columns}
    config = {names[c]: column for c, column in config.items()}
    st.dataframe(shown.rename(columns=names), column_config=config, hide_index=True)


def _live(snap: JobSnapshot) -> None:
    rows = [u for u in snap.updates if isinstance(u, BenchRow)]
    if rows:
        _rows_table(rows)


# Decoded once per clip, to check it and count its frames; the job decodes it again itself
# (the clip's bytes travel to the job, not ninety decoded frames).
@st.cache_data(show_spinner=False, max_entries=4)
def _frame_count(video: bytes) -> int:
    return len(upload_frames(video))


def _chart(rows: list[BenchRow], metric: str) -> None:
    frame = pd.DataFrame([r.__dict__ for r in rows])
    frame["label"] = frame["model"] + frame["trained"].map({True: "", False: " *"})
    scene_names = {s: tr(f"vision.scene.{s}") for s in (*SCENES, "upload")}
    frame["scene"] = frame["scene"].map(scene_names)
    figure = px.bar(
        frame, x="label", y=metric, color="resolution", barmode="group", facet_col="scene",
        category_orders={"resolution": list(RESOLUTIONS)},
        labels={"label": tr("vision.model"), metric: tr(f"vision.bench.col.{metric}"),
                "resolution": tr("vision.bench.col.resolution")},
    )  # fmt: skip
    figure.for_each_annotation(lambda a: a.update(text=a.text.split("=")[-1]))
    figure.update_layout(height=360, margin={"t": 40, "b": 10})
    with st.container(key=f"vision_bench_chart_{metric}"):
        plot(figure, width="stretch")


def _settings() -> tuple[list[str], list[str], list[str], float, UploadedFile | None]:
    ids = [m.id for m in POSE_MODELS]
    left, middle, right = st.columns(3)
    models = left.multiselect(
        tr("vision.bench.models"),
        ids,
        default=["mediapipe-full", "yolov8n-pose"],
        key="vision_bench_models",
    )
    resolutions = middle.multiselect(
        tr("vision.bench.resolutions"),
        list(RESOLUTIONS),
        default=["480p", "1080p"],
        key="vision_bench_res",
    )
    scene_names = {s: tr(f"vision.scene.{s}") for s in SCENES}
    scenes = right.multiselect(
        tr("vision.bench.scenes"), list(SCENES), default=["walk", "crowd"],
        format_func=scene_names.__getitem__, key="vision_bench_scenes",
    )  # fmt: skip
    budget = slider(tr("vision.bench.budget"), 1.0, 15.0, 3.0, 1.0, key="vision_bench_budget")
    video = uploader(
        tr("vision.bench.video"), ("mp4", "webm", "mov", "avi"), "vision_bench_video", MEDIA_MB
    )
    if video is None:
        return models, resolutions, scenes, budget, None
    count = safely(_frame_count, video.getvalue())
    if not count:
        return models, resolutions, scenes, budget, None
    st.caption(tr("vision.bench.video_frames", count=count))
    return models, resolutions, [*scenes, "upload"], budget, video


def _questions(actor: Actor, rows: list[BenchRow] | None) -> None:
    options = {
        "resolution": ("much_lower", "slightly_lower", "same"),
        "crowd_count": ("all", "one", "none"),
    }
    for qid, opts in options.items():
        texts = {o: tr(f"vision.q.{qid}.{o}", people=CROWD_PEOPLE) for o in opts}
        if question.predict(actor, qid, texts.__getitem__, people=CROWD_PEOPLE) and rows:
            truth = (
                questions.resolution_truth(rows, "mediapipe-full")
                if qid == "resolution"
                else questions.crowd_count_truth(rows, "mediapipe-full", CROWD_PEOPLE)
            )
            if truth:
                question.check(actor, qid, truth, texts.__getitem__, tr(f"vision.q.{qid}.why"))


def _tradeoffs(actor: Actor, rows: list[BenchRow]) -> None:
    st.subheader(tr("vision.bench.tradeoffs"))
    for qid, truth in (
        ("fitness", questions.fitness_truth(rows)),
        ("crowd_model", questions.crowd_model_truth(rows)),
    ):
        opts = questions.QUESTIONS[qid].options
        texts = {o: tr(f"vision.q.{qid}.{o}", people=CROWD_PEOPLE) for o in opts}
        if question.predict(actor, qid, texts.__getitem__) and truth:
            question.check(actor, qid, truth, texts.__getitem__, tr(f"vision.q.{qid}.why"))


def render(actor: Actor) -> None:
    st.caption(tr("vision.bench.intro"))
    models, resolutions, scenes, budget, video = _settings()
    if not (models and resolutions and scenes):
        st.info(tr("vision.bench.choose"), icon=":material/tune:")
        return
    if any(not m.startswith("mediapipe") for m in models):
        st.caption(tr("vision.bench.untrained_note"))
    st.subheader(tr("vision.bench.predict"))
    questions_slot = st.container()  # filled once this run's rows are known

    def work() -> JobWork:
        clip = None if video is None else video.getvalue()
        args = {"models": models, "resolutions": resolutions, "scenes": scenes, "budget_s": budget}
        return pose_bench.grid_job, {**args, "video": clip}

    upload = None if video is None else (video.name, video.size)
    signature = (tuple(models), tuple(resolutions), tuple(scenes), budget, upload)
    rows = button_job(
        KEY, signature, tr("vision.bench.run"), work, _live, tr("vision.settings_changed")
    )
    if isinstance(rows, Exception):
        explain(rows)
        rows = None
    with questions_slot:
        _questions(actor, rows or None)
    if not rows:
        return
    _rows_table(rows)
    for metric in METRICS:
        _chart(rows, metric)
    if any(not r.trained for r in rows):
        st.caption(tr("vision.bench.star"))
    st.caption(tr("vision.bench.memory_note"))
    st.download_button(
        tr("vision.bench.csv"),
        safe_csv(pd.DataFrame([asdict(r) for r in rows])),
        "pose_benchmark.csv",
        "text/csv",
        key="vision_bench_csv",
    )
    _tradeoffs(actor, rows)
