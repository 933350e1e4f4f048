"""The face tab: verify two faces, see preprocessing, stress the model with light, glasses, a
mask and head pose, draw a ROC, and keep a gallery the learner can empty at any time."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from app_pages.components.jobs import JobWork, button_job
from app_pages.components.numbers import signed, slider
from app_pages.components.plots import plot
from app_pages.components.segments import segments
from app_pages.components.session import exact, num, pct, tr
from app_pages.components.vision import gallery_panel, question
from app_pages.components.vision.common import (
    condition_sweep,
    explain,
    photo,
    pick_image,
    preprocess_stages,
    safely,
    scan,
)
from core.accounts import Actor
from core.jobs import JobSnapshot
from core.vision import face, face_experiments, questions
from core.vision.face import DETECTORS
from core.vision.face_experiments import RocResult
from core.vision.overlay import Label, draw_labels

SECTIONS = ("verify", "preprocess", "conditions", "roc", "gallery")
VERIFY_WIDTH = 320  # both faces and the verdict fit on one screen
SWEEP_QUESTION = {"lighting": "dark_face", "mask": "mask"}


def _boxed(image: np.ndarray, found: face.FaceScan) -> np.ndarray:
    labels = [
        Label((x, y, x + w, y + h), num(f.confidence, 2))
        for f in found.faces
        for x, y, w, h in [f.box]
    ]
    return draw_labels(image, labels)


def _verify(detector: str) -> None:
    left, right = st.columns(2)
    with left:
        first = pick_image("vision_face_a", "astronaut", tr("vision.face.first"))
    with right:
        second = pick_image("vision_face_b", "grace_hopper", tr("vision.face.second"))
    if first is None or second is None:
        return
    scans = [safely(scan, image, detector) for image in (first, second)]
    if scans[0] is None or scans[1] is None:
        return
    for column, image, found in zip((left, right), (first, second), scans, strict=True):
        column.image(_boxed(image, found), width=VERIFY_WIDTH)
    a, b = scans[0].largest, scans[1].largest
    if a is None or b is None:
        explain_no_face = "first" if a is None else "second"
        st.warning(tr("vision.error.no_face", which=tr(f"vision.face.{explain_no_face}")))
        return
    distance = face.cosine_distance(a.embedding, b.embedding)
    same = distance <= scans[0].threshold
    cols = st.container(key="vision_verdict").columns(3)
    cols[0].metric(tr("vision.face.distance"), num(distance, 3))
    cols[1].metric(tr("vision.face.threshold"), num(scans[0].threshold, 3))
    cols[2].metric(
        tr("vision.face.verdict"), tr("vision.face.same" if same else "vision.face.different")
    )
    st.caption(tr("vision.face.distance_help"))


def _preprocess(actor: Actor, detector: str) -> None:
    image = pick_image("vision_pre", "astronaut")
    light = slider(tr("vision.face.light"), 0.05, 1.0, 0.25, 0.05, key="vision_pre_light")
    if image is None:
        return
    dark = face_experiments.dim(image, light)
    stages = safely(preprocess_stages, dark, detector)
    if stages is None:
        return
    for column, (name, stage) in zip(st.columns(len(stages)), stages, strict=True):
        column.image(stage, caption=tr(f"vision.stage.{name}"), width="stretch")
    texts = {o: tr(f"vision.q.clahe.{o}") for o in questions.QUESTIONS["clahe"].options}
    if not question.predict(actor, "clahe", texts.__getitem__):
        return
    reference = safely(scan, image, detector)
    plain = safely(scan, dark, detector)
    equalised = safely(scan, stages[1][1], detector)
    if reference is None or plain is None or equalised is None:
        return
    if reference.largest is None or plain.largest is None or equalised.largest is None:
        st.info(tr("vision.face.no_face_dark"), icon=":material/visibility_off:")
        return
    d_plain = face.cosine_distance(reference.largest.embedding, plain.largest.embedding)
    d_eq = face.cosine_distance(reference.largest.embedding, equalised.largest.embedding)
    cols = st.columns(2)
    cols[0].metric(tr("vision.face.distance_dark"), num(d_plain, 4))
    cols[1].metric(
        tr("vision.face.distance_clahe"),
        num(d_eq, 4),
        delta=signed(d_eq - d_plain, 4),
        delta_color="inverse",
    )
    question.check(
        actor,
        "clahe",
        questions.clahe_truth(d_plain, d_eq),
        texts.__getitem__,
        tr("vision.q.clahe.why"),
    )


def _conditions(actor: Actor, detector: str) -> None:
    image = pick_image("vision_cond", "astronaut")
    names = {c: tr(f"vision.condition.{c}") for c in face_experiments.CONDITIONS}
    condition = segments(
        tr("vision.face.condition"), face_experiments.CONDITIONS, names.__getitem__, "lighting",
        "vision_condition",
    )  # fmt: skip
    if image is None:
        return
    qid = SWEEP_QUESTION.get(condition)
    texts = {o: tr(f"vision.q.sweep.{o}") for o in ("verified", "rejected", "no_face")}
    if qid and not question.predict(actor, qid, texts.__getitem__):
        return
    result = safely(condition_sweep, image, condition, detector)
    if result is None:
        return
    frame = pd.DataFrame(
        {"level": [p.level for p in result.points], "distance": [p.distance for p in result.points],
         "found": [p.found for p in result.points]}
    )  # fmt: skip
    axes = {
        "level": tr(f"vision.condition_axis.{condition}"),
        "distance": tr("vision.face.distance"),
    }
    figure = px.line(frame, x="level", y="distance", markers=True, labels=axes)
    figure.add_hline(
        y=result.threshold, line_dash="dash", annotation_text=tr("vision.face.threshold")
    )
    figure.update_layout(height=320)
    with st.container(key="vision_condition_chart"):
        plot(figure, width="stretch")
    for column, point, altered in zip(
        st.columns(len(result.images)), result.points, result.images, strict=True
    ):
        verdict = "—" if not point.found else ("✓" if point.verified else "✗")
        caption = f"{exact(round(point.level, 3))} · {verdict}"
        column.image(altered, caption=caption, width="stretch")
    if qid:
        question.check(
            actor,
            qid,
            questions.condition_truth(result),
            texts.__getitem__,
            tr(f"vision.q.{qid}.why"),
        )


def _roc(detector: str) -> None:
    st.caption(tr("vision.face.roc_intro"))
    per = st.slider(tr("vision.face.per_identity"), 3, 8, 5, key="vision_roc_per")

    def work() -> JobWork:
        return face_experiments.roc_job, {"per_identity": per, "detector": detector}

    def live(snap: JobSnapshot) -> None:
        st.caption(tr("vision.face.roc_running"))

    result = button_job(
        "vision_roc",
        (per, detector),
        tr("vision.face.roc_run"),
        work,
        live,
        tr("vision.settings_changed"),
        short=True,
    )
    if isinstance(result, Exception):
        explain(result)
        return
    if not isinstance(result, RocResult):
        return
    cols = st.columns(4)
    cols[0].metric("AUC", num(result.auc, 3))
    cols[1].metric("EER", pct(result.eer, 1))
    cols[2].metric(tr("vision.face.accuracy_at"), pct(result.accuracy_at_threshold, 1))
    pairs = f"{num(len(result.genuine))} / {num(len(result.impostor))}"
    cols[3].metric(tr("vision.face.pairs"), pairs)
    curve = go.Figure(go.Scatter(x=result.false_accept, y=result.true_accept, mode="lines+markers"))
    curve.update_layout(
        xaxis_title=tr("vision.face.far"), yaxis_title=tr("vision.face.tar"), height=340
    )
    spread = go.Figure()
    spread.add_trace(
        go.Histogram(x=result.genuine, name=tr("vision.face.genuine"), opacity=0.7, nbinsx=30)
    )
    spread.add_trace(
        go.Histogram(x=result.impostor, name=tr("vision.face.impostor"), opacity=0.7, nbinsx=30)
    )
    spread.add_vline(x=result.threshold, line_dash="dash")
    spread.update_layout(barmode="overlay", xaxis_title=tr("vision.face.distance"), height=340)
    left, right = st.columns(2)
    with left, st.container(key="vision_roc_curve"):
        plot(curve, width="stretch")
    with right, st.container(key="vision_roc_spread"):
        plot(spread, width="stretch")
    if result.missed:
        st.caption(tr("vision.face.missed", count=result.missed))


def render(actor: Actor) -> None:
    st.caption(tr("vision.face.intro"))
    names = {s: tr(f"vision.face.section.{s}") for s in SECTIONS}
    left, right = st.columns([3, 1])
    section = segments(
        tr("vision.face.section_label"), SECTIONS, names.__getitem__, "verify",
        "vision_face_section", left,
    )  # fmt: skip
    detector = right.selectbox(tr("vision.detector"), DETECTORS, key="vision_face_detector")
    if section == "verify":
        _verify(detector)
    elif section == "preprocess":
        _preprocess(actor, detector)
    elif section == "conditions":
        _conditions(actor, detector)
    elif section == "roc":
        _roc(detector)
    else:
        gallery_panel.render(actor, detector)
    with st.expander(tr("vision.face.more_models"), icon=":material/folder_open:"):
        st.markdown(tr("vision.face.more_models_body"))
        left, right = st.columns(2)
        other = left.selectbox(tr("vision.model"), face.OTHER_MODELS, key="vision_other_model")
        if left.button(tr("vision.face.try_model"), key="vision_try_model"):
            found = safely(face.scan, photo("astronaut"), "opencv", other)
            if found is not None:
                st.success(tr("vision.face.model_works", model=other, faces=len(found.faces)))
        if right.button(tr("vision.face.try_demography"), key="vision_demography"):
            found_people = safely(face.demography, photo("astronaut"))
            if found_people is not None:
                st.json(found_people)
