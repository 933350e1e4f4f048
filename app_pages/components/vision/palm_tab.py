"""The palm-vein tab: synthetic near-infrared palms (no real dataset can ship), the study's
preprocessing step by step, a small ResNet trained live, and how dim light and a covered palm
hurt identification of people the network never saw."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from app_pages.components.jobs import JobWork, button_job
from app_pages.components.numbers import slider
from app_pages.components.plots import plot
from app_pages.components.session import num, pct, tr
from app_pages.components.vision import question
from app_pages.components.vision.common import explain, safely
from core.accounts import Actor
from core.jobs import JobSnapshot
from core.vision import questions
from core.vision.palm.evaluate import PalmExperiment, experiment_job
from core.vision.palm.generator import PalmSettings, generate, with_conditions
from core.vision.palm.network import EpochLog, PalmNetSettings
from core.vision.palm.preprocess import PreprocessSteps, stages

CONDITIONS = ("normal", "low_light", "occluded")


def _settings() -> tuple[PalmSettings, PalmNetSettings, PreprocessSteps, float, float]:
    left, middle, right = st.columns(3)
    identities = left.slider(tr("vision.palm.identities"), 12, 120, 60, 6, key="vision_palm_ids")
    samples = left.slider(tr("vision.palm.samples"), 4, 16, 10, key="vision_palm_samples")
    noise = slider(
        tr("vision.palm.noise"), 0.0, 0.15, 0.02, 0.01, key="vision_palm_noise", where=middle
    )
    rotation = middle.slider(tr("vision.palm.rotation"), 0, 40, 15, key="vision_palm_rotation")
    low_light = slider(
        tr("vision.palm.low_light"), 0.04, 0.5, 0.1, 0.02, key="vision_palm_dim", where=right
    )
    occlusion = slider(
        tr("vision.palm.occlusion"), 0.05, 0.6, 0.25, 0.05, key="vision_palm_cover", where=right
    )
    steps = PreprocessSteps(
        illumination=st.checkbox(
            tr("vision.palm.step.illumination"), True, key="vision_palm_light"
        ),
        denoise=st.checkbox(tr("vision.palm.step.denoise"), True, key="vision_palm_denoise"),
        local_contrast=st.checkbox(
            tr("vision.palm.step.local_contrast"), False, key="vision_palm_clahe"
        ),
        align=st.checkbox(tr("vision.palm.step.align"), True, key="vision_palm_align"),
    )
    epochs = st.slider(tr("vision.palm.epochs"), 2, 40, 15, key="vision_palm_epochs")
    data = PalmSettings(
        identities=identities, samples_per_identity=samples, noise=noise, rotation=rotation
    )
    return data, PalmNetSettings(epochs=epochs), steps, low_light, occlusion


@st.cache_data(show_spinner=False, max_entries=4)
def _preview(
    data: PalmSettings, steps: PreprocessSteps, low_light: float, occlusion: float
) -> dict[str, Any]:
    few = generate(replace(data, identities=3, samples_per_identity=3))
    first = few.select(np.arange(3))
    return {
        "people": few.images,
        "stages": stages(few.images[0], steps),
        "dim": with_conditions(first, brightness=low_light).images,
        "covered": with_conditions(first, occlusion=occlusion).images,
    }


def _show_preview(preview: dict[str, Any]) -> None:
    st.markdown(f"**{tr('vision.palm.people')}**")
    st.image(list(preview["people"]), width=96, clamp=True)
    st.markdown(f"**{tr('vision.palm.stages')}**")
    cols = st.columns(len(preview["stages"]))
    for column, (name, image) in zip(cols, preview["stages"], strict=True):
        column.image(image, caption=tr(f"vision.palm.stage.{name}"), clamp=True, width="stretch")
    st.markdown(f"**{tr('vision.palm.conditions')}**")
    st.image([*preview["dim"], *preview["covered"]], width=96, clamp=True)


def _live(snap: JobSnapshot) -> None:
    logs = [u for u in snap.updates if isinstance(u, EpochLog)]
    if logs:
        epochs = [u.epoch for u in logs]
        figure = go.Figure()
        figure.add_scatter(x=epochs, y=[u.loss for u in logs], name=tr("vision.palm.loss"))
        accuracy = [u.train_accuracy for u in logs]
        figure.add_scatter(x=epochs, y=accuracy, name=tr("vision.palm.train_accuracy"))
        figure.update_layout(
            height=220, margin={"t": 10, "b": 10}, xaxis_title=tr("vision.palm.epoch")
        )
        plot(figure, width="stretch")


def _results(actor: Actor, result: PalmExperiment) -> None:
    names = {c: tr(f"vision.palm.condition.{c}") for c in CONDITIONS}
    table = pd.DataFrame(
        [
            {
                tr("vision.palm.condition_label"): names[c.name],
                tr("vision.palm.accuracy"): pct(c.accuracy, 1),
                "EER": pct(c.eer, 1),
                tr("vision.palm.brightness"): pct(c.brightness),
                tr("vision.palm.covered"): pct(c.occlusion),
            }
            for c in result.conditions
        ]
    )
    cols = st.columns(4)
    normal = result.condition("normal")
    cols[0].metric(tr("vision.palm.heldout_accuracy"), pct(normal.accuracy, 1))
    cols[1].metric("EER", pct(normal.eer, 1))
    cols[2].metric(tr("vision.palm.closed_set"), pct(result.closed_set_accuracy, 1))
    cols[3].metric(tr("vision.palm.parameters"), num(result.parameters))
    right = {c: st.column_config.TextColumn(alignment="right") for c in table.columns[1:]}
    st.dataframe(table, hide_index=True, column_config=right)
    spread = go.Figure()
    for condition in result.conditions:
        spread.add_trace(
            go.Histogram(
                x=condition.genuine,
                name=f"{names[condition.name]}: {tr('vision.face.genuine')}",
                opacity=0.6,
                nbinsx=30,
                histnorm="probability density",  # impostor pairs far outnumber genuine ones
            )
        )
    spread.add_trace(
        go.Histogram(
            x=result.condition("normal").impostor,
            name=tr("vision.face.impostor"),
            opacity=0.4,
            nbinsx=30,
            histnorm="probability density",
        )
    )
    spread.update_layout(
        barmode="overlay", height=320, xaxis_title=tr("vision.face.distance"),
        yaxis_title=tr("vision.palm.density"),
    )  # fmt: skip
    with st.container(key="vision_palm_spread"):
        plot(spread, width="stretch")
    history = pd.DataFrame([{"epoch": h.epoch, "loss": h.loss} for h in result.history])
    if len(history):
        axes = {"epoch": tr("vision.palm.epoch"), "loss": tr("vision.palm.loss")}
        plot(px.line(history, x="epoch", y="loss", height=220, labels=axes), width="stretch")
    st.caption(
        tr(
            "vision.palm.why_small",
            seconds=num(result.seconds, 0),
            train=result.train_identities,
            test=result.test_identities,
        )
    )
    texts = {
        o: tr(f"vision.q.palm_condition.{o}") for o in questions.QUESTIONS["palm_condition"].options
    }
    truth = questions.palm_truth(*(result.condition(c).eer for c in CONDITIONS))
    question.check(
        actor, "palm_condition", truth, texts.__getitem__, tr("vision.q.palm_condition.why")
    )


def render(actor: Actor) -> None:
    st.caption(tr("vision.palm.intro"))
    data, net, steps, low_light, occlusion = _settings()
    preview = safely(_preview, data, steps, low_light, occlusion)
    if preview is None:
        return
    _show_preview(preview)
    texts = {
        o: tr(f"vision.q.palm_condition.{o}") for o in questions.QUESTIONS["palm_condition"].options
    }
    if not question.predict(actor, "palm_condition", texts.__getitem__):
        return

    def work() -> JobWork:
        args = {"data": data, "net": net, "steps": steps}
        return experiment_job, {**args, "low_light": low_light, "occlusion": occlusion}

    signature = (data, net, steps, low_light, occlusion)
    result = button_job(
        "vision_palm",
        signature,
        tr("vision.palm.train"),
        work,
        _live,
        tr("vision.settings_changed"),
    )
    if isinstance(result, Exception):
        explain(result)
    elif result is not None:
        _results(actor, result)
