"""ML lessons: time from a slider change to the re-rendered page, per lesson, on this machine.

    python -m benchmarks.ml_lessons           # up to 15 new values per widget (about a minute)
    python -m benchmarks.ml_lessons --quick   # 4 values each: a smoke test
    python -m benchmarks.ml_lessons --only kmeans   # the rows whose label contains "kmeans"

A student is signed in to a throw-away database and drives `app_pages/ml_lessons.py` with
Streamlit's AppTest, as tests/app/test_ml_lessons.py does: open the lesson, lock a prediction,
then move one widget to a value it never had before and time `at.run()`. That is the whole
server side of a slider change: app.py (session, sidebar, navigation), the lesson's core/ml
computations, the plotly figures and their JSON serialisation. The browser's share (websocket,
plotly.js drawing) is NOT included. Results are cached per server
(app_pages/components/ml/cache.py), so a value seen before costs less: the "warm" columns move
the widget back to values already tried. When a slider runs out of new values, the generated
data's seed is bumped in an untimed run.

The neural-network lesson trains in a background job instead: from pressing Train to the first
live epoch on the page, and to the finished result, polling `at.run()`.

Target: p95 < 500 ms per widget change on the built-in datasets.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TARGET_P95_MS = 500.0
PAGE = "app_pages/ml_lessons.py"
APP = str(Path(__file__).resolve().parents[1] / "app.py")
PASSWORD = "Tulpar-2026-steppe"
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def say(line: str = "") -> None:
    print(line, flush=True)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "SHORT"


def stats(values: Sequence[float]) -> tuple[int, float, float, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return len(ordered), statistics.median(ordered), p95, ordered[-1]


@dataclass(frozen=True)
class Case:
    """One widget of one lesson ("<lesson> · <data> · <what>") and the values it moves to, in
    order, none seen before. Widgets are "<AppTest accessor>:<key>"; "rerun" changes nothing."""

    label: str
    widget: str
    values: tuple[Any, ...]
    setup: tuple[tuple[str, Any], ...] = ()  # (widget, value) set once, untimed
    reseed: str | None = None  # number_input bumped (untimed) when the values run out
    job: str | None = None  # a background job drawn first (untimed): its Start button's key
    clear: str | None = None  # "module.attr" of a cached function cleared before every run

    @property
    def lesson(self) -> str:
        return self.label.split(" · ")[0]


@dataclass
class Measured:
    case: Case
    open_ms: float
    cold: list[float] = field(default_factory=list)
    warm: list[float] = field(default_factory=list)


DEPTHS = (6, 2, 10, 0, 1, 8, 3, 12, 5, 15, 7, 20, 9, 11, 13, 14, 16)
KS = (5, 2, 8, 4, 10, 1, 6, 9, 7)
SHARES = (0.3, 0.02, 0.5, 0.05, 1.0, 0.01, 0.2, 0.7, 0.03)
THRESHOLDS = tuple(round(0.05 + 0.06 * i, 2) for i in range(16))
EPS = tuple(round(0.08 + 0.07 * i, 2) for i in range(16))
WINE_KEEP = (3, 5, 1, 8, 13, 4, 10, 6, 12, 7, 9, 11)
DIGITS_KEEP = (10, 3, 40, 64, 20, 5, 30, 1, 50, 15, 25, 8, 45, 12, 60, 35)
APPLICATIONS = "app_pages.components.ml.lesson_applications.example_of"
CASES = (
    Case("regression · noisy_line · degree", "slider:mlr_linear_degree", tuple(range(2, 16)),
         reseed="mlr_seed"),
    Case("classification · wine · tree depth", "slider:mlc_tree_depth", DEPTHS,
         (("selectbox:mlc", "wine"),)),
    Case("classification · digits · tree depth", "slider:mlc_tree_depth", DEPTHS,
         (("selectbox:mlc", "digits"),)),
    Case("overfitting · moons · tree depth", "slider:mlo_tree_depth", DEPTHS,
         reseed="mlo_seed", job="mlo_complexity_start"),
    Case("overfitting · digits · tree depth", "slider:mlo_tree_depth", DEPTHS,
         (("selectbox:mlo", "digits"),), job="mlo_complexity_start"),
    Case("evaluation · breast_cancer · threshold", "select_slider:mle_threshold", THRESHOLDS),
    Case("kmeans · blobs · k", "slider:mlk_k", KS, reseed="mlk_seed"),
    Case("kmeans · iris · k", "slider:mlk_k", KS, (("selectbox:mlk", "iris"),)),
    Case("dbscan · moons · eps", "select_slider:mld_eps", EPS),
    Case("hierarchical · blobs · clusters", "slider:mlh_n_clusters", KS[:5] + KS[6:],
         reseed="mlh_seed"),
    Case("hierarchical · wine · clusters", "slider:mlh_n_clusters", KS[:5] + KS[6:],
         (("selectbox:mlh", "wine"),)),
    Case("pca · wine · components", "slider:mlp_keep_wine", WINE_KEEP),
    Case("pca · digits · components", "slider:mlp_keep_digits", DIGITS_KEEP,
         (("selectbox:mlp", "digits"),)),
    Case("pca · digits · standardise", "checkbox:mlp_scale", (True, False) * 8,
         (("selectbox:mlp", "digits"),), clear="app_pages.components.ml.lesson_pca.analyse"),
    Case("semi_supervised · blobs · labelled share", "select_slider:mls_share", SHARES),
    Case("semi_supervised · blobs · share, self-train", "select_slider:mls_share", SHARES,
         (("selectbox:mls_method", "self_training"),)),
    Case("semi_supervised · digits · labelled share", "select_slider:mls_share", SHARES,
         (("selectbox:mls_dataset", "digits"),)),
    Case("applications · 4 examples · first render", "rerun", (None,) * 16, clear=APPLICATIONS),
)  # fmt: skip


# --------------------------------------------------------------------------- setup


def sign_in_student(data_dir: Path) -> Any:
    """A throw-away database with a teacher, a class and one student, as the tests seed it."""
    url = f"sqlite:///{data_dir / 'zerde.db'}"
    os.environ["ZERDE_DATA_DIR"] = str(data_dir)
    os.environ["ZERDE_DATABASE_URL"] = url
    # AppTest re-applies selectbox choices through format_func on the main thread, outside the
    # session, where tr() falls back to the default language: make that the student's language.
    os.environ["ZERDE_DEFAULT_LANGUAGE"] = "en"
    from core.db import reset_engines, upgrade_to_head
    from tests import factories

    reset_engines()
    upgrade_to_head(url)
    room = factories.classroom(factories.teacher())
    return factories.student(room, "bolat")


def quiet_bare_mode() -> None:
    """Reading session state or calling cached functions from the benchmark's own thread,
    outside a script run, makes Streamlit warn on every call."""
    for name in (
        "scriptrunner_utils.script_run_context",
        "state.session_state_proxy",
        "caching.cache_data_api",
    ):
        logging.getLogger(f"streamlit.runtime.{name}").disabled = True


def checked(at: Any, what: str) -> Any:
    if at.exception:
        raise SystemExit(f"{what}: the page raised {[e.value for e in at.exception]}")
    return at


def timed_run(at: Any, what: str) -> float:
    started = time.perf_counter()
    at.run()
    elapsed = (time.perf_counter() - started) * 1e3
    checked(at, what)
    return elapsed


def open_lesson(actor: Any, lesson_id: str) -> tuple[Any, float]:
    """Sign in, open the lesson and lock a prediction; returns the page and how long the first
    render of the experiment took (the prediction click, or opening a lesson predicted before)."""
    from streamlit.testing.v1 import AppTest

    from core.accounts.service import login
    from core.ml.lessons import ACTIVITY, BY_ID
    from core.quiz import load_quiz

    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["zerde_token"] = login(actor.username, PASSWORD).token
    at.run()
    checked(at.switch_page(PAGE).run(), "open page")
    family = BY_ID[lesson_id].family
    if family != "supervised":
        checked(at.segmented_control(key="ml_family").set_value(family).run(), family)
    at.button_group(key=f"ml_lesson_{family}").set_value(lesson_id)
    opened = timed_run(at, lesson_id)
    radio = [r for r in at.radio if r.key == f"ml_predict_{lesson_id}"]
    if radio and not radio[0].disabled:
        item = next(i for i in load_quiz(ACTIVITY) if i.id == lesson_id)
        radio[0].set_value(item.answer)
        at.button(key=f"ml_predict_lock_{lesson_id}").click()
        opened = timed_run(at, f"{lesson_id}: predict")
    return at, opened


def draw_job(at: Any, button: str, timeout_s: float = 120.0) -> None:
    """Start a background job, wait for it and show its result: later reruns redraw it."""
    at.button(key=button).click()
    checked(at.run(), button)
    job = at.session_state[f"job::{button.removesuffix('_start')}"]
    if not job.wait(timeout_s):
        raise SystemExit(f"{button}: the job did not finish within {timeout_s:.0f} s")
    if not checked(at.run(), button).get("plotly_chart"):
        raise SystemExit(f"{button}: the job's result is not drawn")


def widget(at: Any, name: str) -> Any:
    accessor, _, key = name.partition(":")
    return getattr(at, accessor)(key=key)


def set_widget(at: Any, name: str, value: Any) -> None:
    if name != "rerun":
        widget(at, name).set_value(value)


def resolve(path: str) -> Any:
    import importlib

    module, _, attr = path.rpartition(".")
    return getattr(importlib.import_module(module), attr)


# --------------------------------------------------------------------------- measuring


def measure(actor: Any, case: Case, n: int, n_warm: int) -> Measured:
    at, opened = open_lesson(actor, case.lesson)
    for name, value in case.setup:
        set_widget(at, name, value)
        opened = timed_run(at, f"{case.label}: setup")
    if case.job:
        draw_job(at, case.job)
    clear = resolve(case.clear).clear if case.clear else None
    result = Measured(case, opened)
    seen: list[Any] = []
    for i in range(n):
        value = case.values[i % len(case.values)]
        if i and i % len(case.values) == 0:
            if case.reseed is None:
                break
            seed = at.number_input(key=case.reseed)
            seed.set_value(int(seed.value) + 1)
            timed_run(at, f"{case.label}: reseed")
            seen.clear()
        set_widget(at, case.widget, value)
        if clear is not None:
            clear()
        result.cold.append(timed_run(at, case.label))
        if case.widget != "rerun" and widget(at, case.widget).value != value:
            raise SystemExit(f"{case.label}: the widget did not take {value!r}")
        seen.append(value)
    back = [v for v in reversed(seen[:-1]) if v != seen[-1]] or seen
    for value in (back * n_warm)[:n_warm]:
        set_widget(at, case.widget, value)
        result.warm.append(timed_run(at, f"{case.label}: warm"))
    return result


@dataclass(frozen=True)
class Training:
    settings: str
    click_ms: float
    first_live_s: float | None
    first_live_epochs: int
    done_s: float | None
    job_s: float | None
    polls: int


def neural_net(actor: Any, poll_s: float, timeout_s: float = 120.0) -> Training:
    """Press Train with the default settings and poll the page until the first live epoch is
    drawn, then until the finished result is (the job runs on its own thread meanwhile)."""
    at, _ = open_lesson(actor, "neural_net")
    settings = (
        f"{at.selectbox(key='mln').value}, {at.slider(key='mln_layers').value} × "
        f"{at.slider(key='mln_units').value} {at.selectbox(key='mln_act').value} units, "
        f"lr {at.select_slider(key='mln_lr').value}, {at.slider(key='mln_epochs').value} epochs"
    )
    at.button(key="mln_go").click()
    started = time.perf_counter()
    click_ms = timed_run(at, "neural_net: train")
    job = at.session_state["job::mln_train"]
    first_live: float | None = None
    epochs = polls = 0
    while True:
        now = time.perf_counter() - started
        charts, running = len(at.get("plotly_chart")), len(at.get("progress"))
        if first_live is None and running and charts:
            first_live, epochs = now, len(job.snapshot().updates)
        if not running and charts and at.metric:
            elapsed = job.snapshot().elapsed_s
            return Training(settings, click_ms, first_live, epochs, now, elapsed, polls)
        if now > timeout_s:
            break
        time.sleep(poll_s)
        polls += 1
        timed_run(at, "neural_net: poll")
    return Training(settings, click_ms, first_live, epochs, None, None, polls)


# --------------------------------------------------------------------------- report


def report(results: Sequence[Measured]) -> list[str]:
    """The table; returns the rows that miss the target."""
    say(
        f"{'lesson · data · widget':44} {'first':>6} {'n':>3} {'p50':>6} {'p95':>6} {'max':>6}"
        f"  {'warm p50':>8} {'warm p95':>8}  p95 < {TARGET_P95_MS:.0f} ms"
    )
    short: list[str] = []
    for r in results:
        n, p50, p95, worst = stats(r.cold)
        _, w50, w95, _ = stats(r.warm) if r.warm else (0, float("nan"), float("nan"), 0.0)
        ok = p95 < TARGET_P95_MS
        if not ok:
            short.append(r.case.label)
        say(
            f"{r.case.label:44} {r.open_ms:6.0f} {n:3d} {p50:6.0f} {p95:6.0f} {worst:6.0f}"
            f"  {w50:8.0f} {w95:8.0f}  {verdict(ok)}"
        )
    return short


def report_training(t: Training, poll_s: float) -> None:
    say()
    say(f"neural network, default settings ({t.settings}), trained in a background job:")
    say(f"  Train click rerun (job submitted): {t.click_ms:.0f} ms")
    if t.first_live_s is None:
        say("  first live epoch: never seen")
    else:
        say(
            f"  Train -> first live epoch curve on the page: {t.first_live_s:.2f} s "
            f"({t.first_live_epochs} epochs done by then)"
        )
    if t.done_s is None:
        say("  finished result: not within the time limit")
    else:
        say(
            f"  Train -> finished result (curves, scores, boundary) on the page: {t.done_s:.2f} s "
            f"(the job itself ran {t.job_s:.2f} s; {t.polls} full reruns polled every "
            f"{poll_s:.2f} s)"
        )
    say("  the real page polls with a fragment every 0.5 s, which can add up to 0.5 s to both")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="4 values per widget")
    parser.add_argument("--only", default="", help="run only cases whose label contains this")
    parser.add_argument("--poll", type=float, default=0.1, help="seconds between NN polls")
    args = parser.parse_args(argv)
    args.n, args.n_warm = (4, 2) if args.quick else (15, 8)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    threads = ", ".join(f"{v}={os.environ.get(v, 'unset')}" for v in THREAD_VARS)
    say(f"Zerde ML lessons benchmark — Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    say(f"{threads}; server side only (AppTest `at.run()`): browser paint is NOT included")
    say("load average at start: " + " ".join(f"{v:.2f}" for v in os.getloadavg()))
    quiet_bare_mode()
    results: list[Measured] = []
    with tempfile.TemporaryDirectory(prefix="zerde_ml_bench_") as tmp:
        t0 = time.perf_counter()
        actor = sign_in_student(Path(tmp))
        say(f"database + student: {time.perf_counter() - t0:.2f} s")
        t0 = time.perf_counter()
        import sklearn.ensemble  # noqa: F401  # the first lesson should not pay for imports

        say(f"imports (scikit-learn): {time.perf_counter() - t0:.2f} s")
        say()
        for case in CASES:
            if args.only in case.label:
                results.append(measure(actor, case, args.n, args.n_warm))
        training = neural_net(actor, args.poll) if args.only in "neural_net" else None
        from core.db import reset_engines

        reset_engines()
    say()
    say("ms per widget change; first = the first render of the experiment on that data")
    short = report(results) if results else []
    if training is not None:
        report_training(training, args.poll)
    say("load average at end: " + " ".join(f"{v:.2f}" for v in os.getloadavg()))
    missed = f" ({len(short)} of {len(results)} short: {', '.join(short)})" if short else ""
    say(f"overall: {verdict(not short)}{missed} in {time.perf_counter() - started:.1f} s")
    return 1 if short else 0


if __name__ == "__main__":
    raise SystemExit(main())
