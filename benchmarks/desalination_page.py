"""Desalination page: the first visit after a server start, and the seconds per move of a
recovery slider with the cache warm.

    python -m benchmarks.desalination_page

A student is signed in to a throw-away database and drives `app_pages/desalination.py` with
Streamlit's AppTest, as tests/app/test_desalination.py does. This process is the "server": its
first visit to the page starts with empty caches and no desalination module imported (the home
page has run before it, as after a real server start). Then, on the default water and methods,
the RO recovery slider and the NF→RO (RO stage) recovery slider each move 40 → 45 → 50 → 55 %,
and each `at.run()` is timed: the whole server side of a slider move (app.py, the cached
calculator calls in app_pages/components/desal/, the plotly figures). The browser's share is
not included. Then the temperature slider moves to 20 °C: a water no cache holds, so every
curve and limit is computed. Last, the village exercise's answer check (runs.verdict) for three
answers on the Aral village, the slowest one, called directly.

    python -m benchmarks.desalination_page --no-table

ignores the stored default sweeps (core/desalination/default_sweeps.json), as after a model
change before the table is regenerated: the first visit then computes everything too.

Each figure is wall seconds and, in brackets, this process's CPU seconds (the page runs in one
of its threads), which other load on a shared machine inflates much less. Each is a single
measurement: run the script twice and compare.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.ml_lessons import quiet_bare_mode, say, sign_in_student

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGE = "app_pages/desalination.py"
PASSWORD = "Tulpar-2026-steppe"
MOVES = (40, 45, 50, 55)  # % on the slider; the page's defaults are RO 45, NF→RO 65
SLIDERS = (("RO", "desal_ro_recovery"), ("NF→RO", "desal_nf_ro_recovery"))
VILLAGE, ANSWERS = "aral_shore", ("ro", "nf_ro", "distillation_med")


@dataclass
class Took:
    wall: float
    cpu: float

    def __add__(self, other: Took) -> Took:
        return Took(self.wall + other.wall, self.cpu + other.cpu)

    def __str__(self) -> str:
        return f"{self.wall:.2f} s (CPU {self.cpu:.2f} s)"


@contextmanager
def clock() -> Iterator[list[Took]]:
    out: list[Took] = []
    wall, cpu = time.perf_counter(), time.process_time()
    yield out
    out.append(Took(time.perf_counter() - wall, time.process_time() - cpu))


def timed(at: Any, what: str) -> Took:
    with clock() as took:
        at.run()
    if at.exception:
        raise SystemExit(f"{what}: the page raised {[e.value for e in at.exception]}")
    return took[0]


def summary(values: Sequence[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):.2f} s, p95 {p95:.2f} s, max {ordered[-1]:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-table", action="store_true", help="ignore default_sweeps.json")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    quiet_bare_mode()
    from streamlit.testing.v1 import AppTest

    from core.accounts.service import login

    student = sign_in_student(Path(tempfile.mkdtemp(prefix="zerde_desal_")))
    at = AppTest.from_file(APP, default_timeout=300)
    at.session_state["zerde_token"] = login(student.username, PASSWORD).token
    timed(at, "home")
    assert "core.desalination" not in sys.modules, "the home page imported the desalination lab"
    imported = Took(0.0, 0.0)
    if args.no_table:
        with clock() as took:
            from core.desalination import default_sweeps
        imported = took[0]
        default_sweeps.TABLE = default_sweeps.TABLE.with_name("no-such-table.json")
        default_sweeps._stored.cache_clear()
    at.switch_page(PAGE)
    say(f"first visit (empty caches, imports included): {timed(at, 'first visit') + imported}")
    say(f"rerun, nothing changed: {timed(at, 'rerun')}")
    moves: list[Took] = []
    for label, key in SLIDERS:
        for value in MOVES:
            at.slider(key=key).set_value(value)
            moves.append(timed(at, f"{label} {value}"))
            say(f"  {label:6} recovery → {value} %: {moves[-1]}")
    say(f"per slider move ({len(moves)} moves), wall: {summary([m.wall for m in moves])}")
    say(f"per slider move ({len(moves)} moves), CPU:  {summary([m.cpu for m in moves])}")
    at.slider(key="desal_temp").set_value(20)
    say(f"temperature → 20 °C (nothing cached): {timed(at, 'temperature')}")

    from app_pages.components.desal.runs import verdict

    for answer in ANSWERS:
        with clock() as took:
            verdict(VILLAGE, answer)
        say(f"village {VILLAGE}, answer {answer}: {took[0]}")


if __name__ == "__main__":
    main()
