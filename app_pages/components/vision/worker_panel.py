"""The vision worker seen from the page: is it up, how much memory, which model files are in
place, and a restart button for a teacher whose worker misbehaves."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.components.session import qty, tr
from app_pages.components.vision.common import safely
from core.vision.client import client


def render() -> None:
    st.caption(tr("vision.worker.intro"))
    worker = client()
    status = safely(worker.call, "status")
    if status is None:
        return
    header = status.header
    cols = st.columns(3)
    cols[0].metric(tr("vision.worker.memory"), qty(header["rss_mb"], "MB", 0))
    cols[1].metric(tr("vision.worker.restarts"), worker.restarts)
    cols[2].metric(tr("vision.worker.loaded"), len(header["loaded"]))
    rows = [
        {
            tr("vision.model"): name,
            tr("vision.worker.file"): info["weights_file"] or tr("vision.worker.in_package"),
            tr("vision.worker.present"): info["present"],
        }
        for name, info in header["pose_models"].items()
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True)
    st.markdown(
        tr("vision.worker.place", folder=header["models_dir"], deepface=header["face_weights"])
    )
    if st.button(
        tr("vision.worker.restart"), key="vision_worker_restart", icon=":material/restart_alt:"
    ):
        worker.close()
        st.rerun()
