"""Live trainings (the CNN, the autoencoder) as background jobs tied to the data they were
trained on: change the data or a setting and the old result is marked stale, not silently reused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from core.jobs import JobContext, JobSnapshot
from pages.components.jobs import job_panel, start_job
from pages.components.session import tr


def trained(
    key: str,
    signature: object,
    button: str,
    work: Callable[[], Callable[[JobContext], Any]],
    live: Callable[[JobSnapshot], None],
) -> Any | None:
    """A Train button and the job's panel; returns the finished result for ``signature``.
    ``work`` prepares the job's inputs on the script thread, only when the button is pressed."""
    if st.button(button, key=f"{key}_go", type="primary", icon=":material/play_arrow:"):
        start_job(key, work(), key)
        st.session_state[f"{key}_signature"] = signature
    snap = job_panel(key, live)
    if snap is None:
        return None
    if snap.result is None:  # stopped before the first epoch, or failed
        return None
    if st.session_state.get(f"{key}_signature") != signature:
        st.info(tr("gen.settings_changed"), icon=":material/tune:")
        return None
    return snap.result
