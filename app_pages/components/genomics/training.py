"""The genomics steps' background jobs, tied to the data and settings they ran with: change
either and the old result is marked stale (a training) or replaced (an automatic step), never
silently reused.

* ``trained``: a training the learner starts with a button and watches live (the CNN, the
  autoencoder);
* ``automatic``: a step that used to be computed on the page and cached (clusters, the map,
  the k-mer models) and takes seconds: it starts by itself for the current settings, shows its
  progress and Stop, and its result is shared by every learner who asks for the same thing on
  this server, as the page's cache shared it before.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import streamlit as st

from app_pages.components.jobs import JobWork, button_job, current_job, job_panel, start_job
from app_pages.components.session import tr
from core.jobs import JobSnapshot

SHARED_RESULTS = 64


def trained(
    key: str,
    signature: object,
    button: str,
    work: Callable[[], JobWork],
    live: Callable[[JobSnapshot], None],
) -> Any | None:
    return button_job(key, signature, button, work, live, tr("gen.settings_changed"))


class _Shelf:
    """The latest finished results of automatic steps, by (slot, signature), for everyone."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[tuple[str, Hashable], Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, Hashable]) -> Any | None:
        with self._lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key: tuple[str, Hashable], value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)


@st.cache_resource(show_spinner=False)
def _shelf() -> _Shelf:
    return _Shelf(SHARED_RESULTS)


def _quiet(_snap: JobSnapshot) -> None:
    """Nothing to draw while it runs but the progress bar."""


def automatic(
    slot: str, signature: Hashable, work: Callable[[], JobWork], *, short: bool = True
) -> Any | None:
    """The result of ``work``'s job for ``signature`` (the data and the step's settings), or
    None while it waits or runs. A job starts by itself when the learner has none for these
    settings (one still running for older settings is replaced), unless a finished result for
    them is already on this server's shelf. A stopped or failed run is shown as such, with a
    button to run it again."""
    shelf = _shelf()
    kept = shelf.get((slot, signature))
    if kept is not None:
        # A job of this learner's for other settings may still run: left alone, it ends or is
        # replaced by the next start in this slot, and a Stop shown later means a learner's.
        return kept
    snap = current_job(slot)
    again = (
        snap is not None
        and snap.meta == signature
        and snap.status in ("stopped", "failed")
        and st.button(tr("gen.run_again"), key=f"{slot}_again", icon=":material/replay:")
    )
    if snap is None or snap.meta != signature or again:
        fn, args = work()
        start_job(slot, fn, args, label=slot, short=short, meta=signature)
    snap = job_panel(slot, _quiet)
    if snap is None or snap.status != "done" or snap.meta != signature:
        return None
    shelf.put((slot, signature), snap.result)
    return snap.result
