"""A background job seen from the page: its place in the server's queue, a progress bar, live
updates drawn by the caller, and a Stop button. The page polls with a fragment, so only this panel
reruns while the job works; when it ends, one full rerun shows the finished result."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from core.jobs import Job, JobContext, JobSnapshot, job_runner
from app_pages.components.session import require_actor, tr

POLL_SECONDS = 0.5


def _slot(key: str) -> str:
    return f"job::{key}"


def current_job(key: str) -> Job[Any] | None:
    job = st.session_state.get(_slot(key))
    return job if isinstance(job, Job) else None


def start_job(key: str, fn: Callable[[JobContext], Any], label: str) -> None:
    """Start ``fn`` off the script thread; a job this learner already runs under ``key`` stops."""
    previous = current_job(key)
    if previous is not None:
        previous.stop()
    owner = str(require_actor().user_id)
    st.session_state[_slot(key)] = job_runner().submit(fn, owner=owner, label=label)


@st.fragment(run_every=POLL_SECONDS)
def _live(key: str, render_live: Callable[[JobSnapshot], None]) -> None:
    job = current_job(key)
    if job is None:
        return
    snap = job.snapshot()
    if snap.finished:
        st.rerun()
    if snap.status == "queued":
        st.info(tr("jobs.queued", position=snap.queue_position), icon=":material/hourglass_top:")
    else:
        percent = round(100 * snap.progress)
        st.progress(snap.progress, text=tr("jobs.running", percent=percent, seconds=snap.elapsed_s))
    render_live(snap)
    st.button(tr("jobs.stop"), key=f"{key}_stop", icon=":material/stop_circle:", on_click=job.stop)


def job_panel(key: str, render_live: Callable[[JobSnapshot], None]) -> JobSnapshot | None:
    """Show the job under ``key``. Returns its snapshot once it has finished (done, stopped or
    failed, with whatever partial updates it made), None while it runs or if there is none."""
    job = current_job(key)
    if job is None:
        return None
    snap = job.snapshot()
    if not snap.finished:
        _live(key, render_live)
        return None
    if snap.status == "stopped":
        st.info(tr("jobs.stopped"), icon=":material/stop_circle:")
    elif snap.status == "failed":
        st.error(tr("jobs.failed"), icon=":material/error:")
    return snap


def button_job(
    key: str,
    signature: object,
    button: str,
    work: Callable[[], Callable[[JobContext], Any]],
    live: Callable[[JobSnapshot], None],
    stale_message: str,
) -> Any | None:
    """A start button and the job's panel; returns the finished result for ``signature``, and
    shows ``stale_message`` instead when the settings changed since that run. ``work`` prepares
    the job's inputs on the script thread, only when the button is pressed."""
    if st.button(button, key=f"{key}_go", type="primary", icon=":material/play_arrow:"):
        start_job(key, work(), key)
        st.session_state[f"{key}_signature"] = signature
    snap = job_panel(key, live)
    if snap is None or snap.result is None:  # none yet, stopped before any result, or failed
        return None
    if st.session_state.get(f"{key}_signature") != signature:
        st.info(stale_message, icon=":material/tune:")
        return None
    return snap.result
