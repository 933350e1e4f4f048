"""Genomics explorer: a real ML pipeline on DNA, step by step, on sequences you can see: clean,
encode, cluster, classify, find rare mutants, explain, then combine modalities and hospitals.
Each step asks for a prediction before it shows its result. Core in core/genomics/, page parts
in app_pages/components/genomics/."""

from __future__ import annotations

import streamlit as st

from app_pages.components.genomics import (
    anomaly_step,
    beyond_step,
    classify_step,
    cluster_step,
    data,
    encode_step,
    explain_step,
)
from app_pages.components.session import require_actor, tr

STEPS = ("data", "encoding", "clustering", "classification", "anomaly", "explanation", "beyond")

actor = require_actor()
st.title(tr("labs.genomics.title"))
st.caption(tr("gen.intro"))
tabs = dict(zip(STEPS, st.tabs([tr(f"gen.tab.{s}") for s in STEPS]), strict=True))
with tabs["data"]:
    source = data.render(actor)
if source is None:
    for step in STEPS[1:]:
        tabs[step].info(tr("gen.data_first"), icon=":material/arrow_back:")
    st.stop()
with tabs["encoding"]:
    k = encode_step.render(actor, source)
with tabs["clustering"]:
    cluster_step.render(actor, source, k)
with tabs["classification"]:
    classify_step.render(actor, source, k)
with tabs["anomaly"]:
    anomaly_step.render(actor, source)
with tabs["explanation"]:
    explain_step.render(actor, source, k)
with tabs["beyond"]:
    beyond_step.render(actor, source, k)
