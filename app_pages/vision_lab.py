"""Vision lab: pose estimation (MediaPipe vs YOLOv8) live and benchmarked, face recognition with
DeepFace's Dlib model, and palm-vein biometrics on synthetic near-infrared images. Models run in
a separate worker process (core/vision/worker); page parts are in app_pages/components/vision/."""

from __future__ import annotations

import streamlit as st

from app_pages.components.session import require_actor, tr
from app_pages.components.vision import TABS, bench_tab, face_tab, live_tab, palm_tab, worker_panel

actor = require_actor()
st.title(tr("labs.vision.title"))
st.caption(tr("vision.intro"))
tabs = dict(zip(TABS, st.tabs([tr(f"vision.tab.{t}") for t in TABS]), strict=True))
with tabs["live"]:
    live_tab.render(actor)
with tabs["benchmark"]:
    bench_tab.render(actor)
with tabs["face"]:
    face_tab.render(actor)
with tabs["palm"]:
    palm_tab.render(actor)
with tabs["worker"]:
    worker_panel.render()
