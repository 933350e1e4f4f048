"""Tie the vision worker's life to the process that started it.

A worker holds about a gigabyte of models. Killed with SIGKILL (out-of-memory killer, a crashed
terminal, ``kill -9``), the app or supervisord cannot stop its children, and an orphaned worker
kept that gigabyte for 45 minutes. Two independent mechanisms end it:

* ``PR_SET_PDEATHSIG`` (Linux, through ctypes): the kernel sends SIGTERM the moment the parent
  dies. The kernel ties it to the parent *thread* that forked the worker, so it is only safe when
  that thread lives as long as its process: supervisord (single-threaded) qualifies; a Streamlit
  script thread, which ends with its browser session, does not ("signal" mode vs "watch" mode).
* A watchdog thread (any POSIX system): when the parent dies the worker is re-parented (to init
  or a subreaper), so ``os.getppid()`` changes; the worker then exits within ``poll_s``.

Imported by the worker before anything heavy, in the worker's own environment: standard library
only."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time
from typing import Literal

Mode = Literal["watch", "signal"]
MODES: tuple[Mode, ...] = ("watch", "signal")
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
PARENT_GONE_EXIT = 3


def set_parent_death_signal(sig: int = signal.SIGTERM) -> bool:
    """Ask the kernel to send `sig` when the parent (thread) dies; False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _parent_gone(parent: int) -> None:
    print(f"vision worker: parent {parent} is gone, exiting", file=sys.stderr, flush=True)
    os._exit(PARENT_GONE_EXIT)  # no cleanup to wait for: the models are only memory


def _watch(parent: int, poll_s: float) -> None:
    while True:
        time.sleep(poll_s)
        if os.getppid() != parent:
            _parent_gone(parent)


def exit_with_parent(mode: Mode, parent: int | None = None, poll_s: float = 0.5) -> int:
    """Make this process end when `parent` (default: the current parent) dies. Returns the
    parent's pid. If the parent died before this call, the process ends at once (a pid given by
    the launcher catches that race; the kernel signal is armed before the last check)."""
    expected = os.getppid() if parent is None else parent
    if mode == "signal":
        set_parent_death_signal()
    if os.getppid() != expected:
        _parent_gone(expected)  # already re-parented: the parent died while this one started
    threading.Thread(
        target=_watch, args=(expected, poll_s), name="parent-watchdog", daemon=True
    ).start()
    return expected
