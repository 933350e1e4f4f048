"""A background job seen from the page: its place in the queue, a progress bar, live updates
drawn by the caller, and a Stop button. Jobs run in worker processes (``core.jobs``); the page
only reads the shared job store, so a reload, a second tab or another web process finds the
same job, and polling costs one small query instead of holding the training's GIL.

A fragment polls while the job works, so only this panel reruns; when it ends, one full rerun
shows the finished result. A browser session that closes for good stops the jobs it watched
(unless a newer session of the same learner, e.g. after a reload, took them over)."""

from __future__ import annotations

import logging
import queue
import threading
import uuid
import weakref
from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from app_pages.components.session import pct, require_actor, signed_in_fragment, still_signed_in, tr
from core import jobs
from core.jobs import JobSnapshot
from core.jobs.limits import poll_seconds

POLL_SECONDS = poll_seconds()
KNOWN_ERRORS = (jobs.LOST, jobs.TOO_BIG)
JobWork = tuple[Callable[..., Any], Mapping[str, Any]]
log = logging.getLogger(__name__)


# Sessions Streamlit has dropped. The garbage collector may run a finaliser in the middle of any
# Python code (even a compile()), so the finaliser only puts the id here (SimpleQueue.put runs
# no Python code) and a thread stops the jobs.
_closed: queue.SimpleQueue[str] = queue.SimpleQueue()


def _stop_closed_sessions() -> None:
    while True:
        session = _closed.get()
        try:
            stopped = jobs.stop_session(session)
        except Exception:  # a busy or replaced database: the jobs' own limits still apply
            log.warning("could not stop the jobs of a closed session", exc_info=True)
        else:
            if stopped:
                log.info("a closed browser session left %d job(s): stopped", stopped)


@st.cache_resource(show_spinner=False)
def _reaper() -> threading.Thread:
    thread = threading.Thread(target=_stop_closed_sessions, name="job-reaper", daemon=True)
    thread.start()
    return thread


class _Guard:
    """Lives in session_state: when Streamlit drops a closed session (after its reconnect
    grace period), the guard is collected and the session's unfinished jobs stop instead of
    holding a worker for nobody."""

    def __init__(self) -> None:
        self.id = uuid.uuid4().hex
        weakref.finalize(self, _closed.put, self.id)


def _session() -> str:
    guard = st.session_state.get("jobs::guard")
    if not isinstance(guard, _Guard):
        _reaper()
        guard = st.session_state["jobs::guard"] = _Guard()
    return guard.id


def _watch(job_id: str) -> None:
    """This browser session shows ``job_id``: it owns it from now on (a reload adopts it)."""
    watched: set[str] = st.session_state.setdefault("jobs::watched", set())
    if job_id not in watched:
        watched.add(job_id)
        jobs.adopt(job_id, _session())


def current_job(slot: str) -> JobSnapshot | None:
    """The learner's newest job in ``slot``; a finished one comes with its result (read from
    the store once, then kept in this session)."""
    owner = require_actor().user_id
    snap = jobs.latest(owner, slot)
    if snap is None:
        return None
    if not snap.finished:
        _watch(snap.id)
        return snap
    cached = st.session_state.get(f"job::{slot}")
    if isinstance(cached, JobSnapshot) and (cached.id, cached.version) == (snap.id, snap.version):
        return cached
    full = jobs.snapshot(snap.id, owner, with_result=True)
    st.session_state[f"job::{slot}"] = full
    return full


def start_job(
    slot: str,
    fn: Callable[..., Any],
    args: Mapping[str, Any],
    *,
    label: str | None = None,
    short: bool = False,
    meta: Any = None,
) -> str:
    """Start ``fn(ctx, **args)`` (a job function in core) in ``slot``; the learner's previous
    job there stops. ``short`` jobs (seconds of work) go before long trainings."""
    job_id = jobs.submit(
        fn,
        args,
        owner_id=require_actor().user_id,
        slot=slot,
        label=label,
        short=short,
        meta=meta,
        session=_session(),
    )
    _watch(job_id)
    return job_id


def _stop(job_id: str) -> None:
    # a callback of a fragment widget: only the fragment reruns, so check the session here too
    if (current := still_signed_in()) is not None:
        jobs.stop(job_id, current.user_id)


def _waiting(snap: JobSnapshot) -> None:
    if snap.status == "held":
        st.info(tr("jobs.held"), icon=":material/hourglass_top:")
    else:
        st.info(tr("jobs.queued", position=snap.queue_position), icon=":material/hourglass_top:")


@signed_in_fragment(run_every=POLL_SECONDS)
def _live(slot: str, render_live: Callable[[JobSnapshot], None]) -> None:
    snap = jobs.latest(require_actor().user_id, slot)
    if snap is None:
        return
    if snap.finished:
        st.rerun()
    if snap.waiting:
        _waiting(snap)
    else:
        done = pct(snap.progress)
        st.progress(snap.progress, text=tr("jobs.running", percent=done, seconds=snap.elapsed_s))
        render_live(snap)
    st.button(
        tr("jobs.stop"),
        key=f"{slot}_stop",
        icon=":material/stop_circle:",
        on_click=_stop,
        args=(snap.id,),
    )


def job_panel(slot: str, render_live: Callable[[JobSnapshot], None]) -> JobSnapshot | None:
    """Show the job in ``slot``. Returns its snapshot (with the result) once it has finished
    (done, stopped or failed, with whatever partial updates it made), None while it waits or
    runs, or if there is none."""
    snap = current_job(slot)
    if snap is None:
        return None
    if not snap.finished:
        _live(slot, render_live)
        return None
    if snap.status == "stopped":
        st.info(tr("jobs.stopped"), icon=":material/stop_circle:")
    elif snap.status == "failed":
        key = f"jobs.error.{snap.error}" if snap.error in KNOWN_ERRORS else "jobs.failed"
        st.error(tr(key), icon=":material/error:")
    return snap


def button_job(
    slot: str,
    signature: object,
    button: str,
    work: Callable[[], JobWork],
    live: Callable[[JobSnapshot], None],
    stale_message: str,
    *,
    short: bool = False,
) -> Any | None:
    """A start button and the job's panel; returns the finished result for ``signature``, and
    shows ``stale_message`` instead when the settings changed since that run (the signature
    is stored with the job, so this holds after a reload too). ``work`` prepares the job's
    function and inputs on the script thread, only when the button is pressed."""
    if st.button(button, key=f"{slot}_go", type="primary", icon=":material/play_arrow:"):
        fn, args = work()
        start_job(slot, fn, args, short=short, meta=signature)
    snap = job_panel(slot, live)
    if snap is None or snap.result is None:  # none yet, stopped before any result, or failed
        return None
    if snap.meta != signature:
        st.info(stale_message, icon=":material/tune:")
        return None
    return snap.result
