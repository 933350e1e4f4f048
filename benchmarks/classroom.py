"""A class on one laptop: simulated students against the real stack (``python -m serve``, the
same command as ``make run``), speaking Streamlit's own WebSocket protocol (no browser each).

Scenarios (each on a fresh copy of one database with 60 student accounts):
  A  30 students on light pages (home, My progress, a quiz, quest level 1, the desalination
     calculator) with 2–5 s think time;
  B  the same 30, 10 of whom start a training (ML neural net or PPO on CartPole) and watch it;
     each training's run time is compared with the same job run alone in a plain process, and
     its queue wait is reported;
  C  a ramp 10 → 20 → 30 → 40 → 60 students on A's pages; the knee is the largest class whose
     p95 stays under 1 s.
  W  one training of each kind watched alone on its page against the same job in a plain
     process (the cost of live updates).
Variants: ``stack`` (what ``make run`` starts), ``stack-gc`` (with Streamlit's post-run full
GC), ``stack-poll-0.5`` (the job panel polling twice a second), ``stack-nice0`` (job workers
at the same CPU priority as pages) and ``one-process`` (one
Streamlit process with the post-run full GC and the jobs on its threads: the design before).

It prints per action n / p50 / p95 / max, the stack's CPU (100 % = one core) and memory, the
trainings, and whether every answer a student submitted was stored exactly once.

    .venv/bin/python -m benchmarks.classroom                      # A, B and C on the stack
    .venv/bin/python -m benchmarks.classroom --scenarios A --variants one-process,stack
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from benchmarks.classroom_students import NOT_INTERACTIONS, Action, Run, Student
from serve.__main__ import free_port

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Kazakh-Dombra-{:02d}x!"
TEACHER = ("bench_teacher", "Steppe-Falcon-2024!")


@dataclass(frozen=True)
class Variant:
    name: str
    args: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)


VARIANTS = {
    "stack": Variant("stack"),
    "stack-gc": Variant("stack-gc", (), {"STREAMLIT_RUNNER_POST_SCRIPT_GC": "true"}),
    "stack-poll-0.5": Variant("stack-poll-0.5", (), {"ZERDE_JOB_POLL_S": "0.5"}),
    "stack-nice0": Variant("stack-nice0", (), {"ZERDE_JOBS_NICE": "0"}),
    "one-process": Variant(
        "one-process",
        ("--no-proxy",),
        {"STREAMLIT_RUNNER_POST_SCRIPT_GC": "true", "ZERDE_JOB_QUEUE": "inline"},
    ),
}


# ----------------------------------------------------------------------------------- the stack
def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@contextmanager
def stack(data_dir: Path, variant: Variant) -> Iterator[tuple[str, psutil.Process]]:
    port = free_port()
    env = {**os.environ, "ZERDE_DATA_DIR": str(data_dir), **variant.env}
    env.pop("ZERDE_DATABASE_URL", None)
    log = (data_dir / "stack.log").open("wb")
    command = [sys.executable, "-m", "serve", "--port", str(port), *variant.args]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while not _healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the stack did not start; see {data_dir / 'stack.log'}")
            time.sleep(0.5)
        time.sleep(3)  # every web process up, not only the first
        yield url, psutil.Process(process.pid)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


def _role(proc: psutil.Process) -> str:
    try:
        line = " ".join(proc.cmdline())
    except psutil.Error:
        return "gone"
    for needle, role in (
        ("streamlit", "web"),
        ("huey_consumer", "jobs"),
        ("haproxy", "proxy"),
        ("core.vision.worker", "vision"),
        ("sumo", "jobs"),
    ):
        if needle in line:
            return role
    return "other"


class Monitor(threading.Thread):
    """CPU (100 % = one core) and memory of the whole stack, by role, once a second."""

    def __init__(self, root: psutil.Process) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.rows: list[dict[str, float]] = []
        self.halt = threading.Event()
        self._procs: dict[int, psutil.Process] = {}

    def run(self) -> None:
        while not self.halt.wait(1.0):
            row: dict[str, float] = Counter()  # type: ignore[assignment]
            try:
                tree = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                continue
            for proc in tree:
                known = self._procs.setdefault(proc.pid, proc)
                try:
                    cpu = known.cpu_percent(None)
                    rss = known.memory_info().rss / 2**20
                except psutil.Error:
                    continue
                role = _role(known)
                row[role] += cpu
                row["cpu"] += cpu
                row["rss_mb"] += rss
            row["t"] = time.time()
            self.rows.append(dict(row))

    def window(self, t0: float, t1: float) -> dict[str, float]:
        rows = [r for r in self.rows if t0 <= r["t"] <= t1]
        if not rows:
            return {}
        out = {k: statistics.fmean(r.get(k, 0.0) for r in rows) for k in ("cpu", "web", "jobs")}
        out["cpu_p95"] = _pct([r["cpu"] for r in rows], 0.95)
        out["rss_max_mb"] = max(r["rss_mb"] for r in rows)
        return out


# ----------------------------------------------------------------------------------- students
def make_accounts(template: Path, n: int) -> dict[str, Any]:
    """One database with a teacher, a class and ``n`` students, made through core once and
    copied for every scenario (argon2 makes 60 sign-ups take most of a minute)."""
    env = {**os.environ, "ZERDE_DATA_DIR": str(template)}
    env.pop("ZERDE_DATABASE_URL", None)
    code = f"""
import json
from core.accounts.classrooms import create_classroom
from core.accounts.service import create_first_teacher, register_student
from core.db import upgrade_to_head
upgrade_to_head()
teacher = create_first_teacher({TEACHER[0]!r}, "Bench Teacher", {TEACHER[1]!r}, "en")
room = create_classroom(teacher, "Bench 9A")
students = []
for i in range(1, {n} + 1):
    pw = {PASSWORD!r}.format(i)
    actor = register_student(room.join_code, f"bstud{{i:02d}}", f"Student {{i:02d}}", pw, "en")
    students.append({{"username": f"bstud{{i:02d}}", "password": pw, "user_id": actor.user_id}})
print(json.dumps({{"students": students}}))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    import json

    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


@dataclass
class Window:
    users: int
    t0: float
    t1: float
    login_s: float


async def drive(
    base: str,
    accounts: dict[str, Any],
    steps: list[int],
    trainers: int,
    duration: float,
    seed: int,
    think: tuple[float, float] = (2.0, 5.0),
) -> tuple[Run, list[Window]]:
    run = Run(base, seed, think)
    kinds = {i: ("ml" if n % 2 == 0 else "rl") for n, i in enumerate(range(trainers))}
    tasks: list[asyncio.Task[None]] = []
    windows: list[Window] = []
    started = 0
    for number, users in enumerate(steps, start=1):
        run.step, run.phase = number, "login"
        readies = []
        t_login = time.time()
        for i in range(started, users):
            ready = asyncio.Event()
            readies.append(ready)
            student = Student(run, accounts["students"][i], i, kinds.get(i))

            async def begin(st: Student = student, ev: asyncio.Event = ready) -> None:
                await asyncio.sleep(run.rng.uniform(0, 20))  # a class does not sign in at once
                await st.main(ev)

            tasks.append(asyncio.create_task(begin()))
        started = users
        await asyncio.wait_for(asyncio.gather(*(e.wait() for e in readies)), 900)
        login_s = time.time() - t_login
        await asyncio.sleep(5)
        run.phase = "steady"
        t0 = time.time()
        print(f"  step {number}: {users} students signed in in {login_s:.0f} s", flush=True)
        await asyncio.sleep(duration)
        windows.append(Window(users, t0, time.time(), login_s))
    run.phase = "end"
    run.stop_at = time.time()
    await asyncio.wait(tasks, timeout=300)
    for task in tasks:
        task.cancel()
    return run, windows


# ----------------------------------------------------------------------------------- reports
def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def latency_table(actions: list[Action]) -> tuple[list[str], dict[str, float]]:
    by: dict[str, list[float]] = {}
    errors: Counter[str] = Counter()
    for a in actions:
        by.setdefault(a.action, []).append(a.latency)
        errors[a.action] += a.status != "ok"
    lines = [f"    {'action':<16}{'n':>5}{'p50 s':>8}{'p95 s':>8}{'max s':>8}{'errors':>8}"]
    for name, values in sorted(by.items()):
        lines.append(
            f"    {name:<16}{len(values):>5}{_pct(values, 0.5):>8.2f}{_pct(values, 0.95):>8.2f}"
            f"{max(values):>8.2f}{errors[name]:>8}"
        )
    clicks = [a.latency for a in actions if a.action not in NOT_INTERACTIONS]
    summary = {"n": len(clicks), "p50": _pct(clicks, 0.5), "p95": _pct(clicks, 0.95)}
    lines.append(
        f"    {'ALL CLICKS':<16}{len(clicks):>5}{summary['p50']:>8.2f}{summary['p95']:>8.2f}"
        f"{max(clicks, default=float('nan')):>8.2f}{sum(errors.values()):>8}"
    )
    return lines, summary


def max_event_id(db: Path) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        return int(con.execute("select coalesce(max(id), 0) from events").fetchone()[0])


def telemetry_check(db: Path, before: int, run: Run, accounts: dict[str, Any]) -> str:
    uid = {s["username"]: s["user_id"] for s in accounts["students"]}
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        rows = con.execute(
            "select user_id, activity, item_id, attempt from events where id > ?", (before,)
        ).fetchall()
    stored: Counter[tuple[int, str]] = Counter()
    keys: Counter[tuple[int, str, str, int]] = Counter()
    for user_id, activity, item, attempt in rows:
        name = f"{activity}/{item}"
        if item.startswith("predict."):
            name = f"{activity}/{item.removeprefix('predict.')}/predict"
        stored[(user_id, name)] += 1
        keys[(user_id, activity, item, attempt)] += 1
    expected: Counter[tuple[int, str]] = Counter()
    for user, items in run.expected.items():
        for name, n in items.items():
            expected[(uid[user], name)] += n
    both = set(expected) | set(stored)
    missing = sum(max(expected[k] - stored[k], 0) for k in both)
    extra = sum(max(stored[k] - expected[k], 0) for k in both)
    doubled = sum(n - 1 for n in keys.values() if n > 1)
    verdict = "OK" if missing == extra == doubled == 0 else "LOST OR DOUBLED"
    return (
        f"answers submitted {sum(expected.values())}, rows stored {len(rows)}: missing "
        f"{missing}, extra {extra}, doubled {doubled} -> {verdict}"
    )


@dataclass(frozen=True)
class JobRow:
    fn: str
    args: bytes
    label: str
    status: str
    wait_s: float
    run_s: float


def job_rows(db: Path, since: float) -> list[JobRow]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        rows = con.execute(
            "select fn, args, label, status, created_at, started_at, ended_at from jobs "
            "where created_at >= ? order by created_at",
            (since,),
        ).fetchall()
    return [
        JobRow(fn, args, label, status, (start or end or 0) - created, (end or 0) - (start or 0))
        for fn, args, label, status, created, start, end in rows
    ]


STANDALONE = """
import sys, time, cloudpickle
from core.jobs.context import JobContext
from core.jobs.worker import resolve
fn = resolve(sys.argv[1])
args = cloudpickle.loads(sys.stdin.buffer.read())
t = time.perf_counter()
fn(JobContext(), **args)
print(time.perf_counter() - t)
"""


def standalone_seconds(row: JobRow) -> float:
    """The same job function and arguments, alone in a fresh process (imports not timed)."""
    out = subprocess.run(
        [sys.executable, "-c", STANDALONE, row.fn],
        input=row.args,
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    return float(out.stdout.decode().strip().splitlines()[-1])


# ----------------------------------------------------------------------------------- scenarios
@dataclass
class Scenario:
    name: str
    steps: list[int]
    trainers: int
    duration: float


def run_scenario(
    scenario: Scenario, variant: Variant, template: Path, accounts: dict[str, Any], seed: int
) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix=f"classroom-{scenario.name}-{variant.name}-"))
    shutil.copy(template / "zerde.db", work / "zerde.db")
    db = work / "zerde.db"
    print(f"\n== scenario {scenario.name} on {variant.name} ({work})", flush=True)
    with stack(work, variant) as (url, root):
        monitor = Monitor(root)
        monitor.start()
        solo: dict[str, float] = {}
        if scenario.trainers or not scenario.steps:
            t0 = time.time()
            solo = watched_alone(url, accounts, db, seed)
            usage = monitor.window(t0, time.time())
            web, jobs = usage.get("web", 0.0), usage.get("jobs", 0.0)
            print(f"    CPU while watched: web processes {web:.0f} %, job workers {jobs:.0f} %")
        if not scenario.steps:
            monitor.halt.set()
            return {"steps": [], "alone": solo}
        before, since = max_event_id(db), time.time()
        run, windows = asyncio.run(
            drive(url, accounts, scenario.steps, scenario.trainers, scenario.duration, seed)
        )
        monitor.halt.set()
        report: dict[str, Any] = {"steps": []}
        for number, window in enumerate(windows, start=1):
            actions = [a for a in run.actions if a.step == number and a.phase == "steady"]
            lines, summary = latency_table(actions)
            usage = monitor.window(window.t0, window.t1)
            print(f"  {window.users} students, steady {window.t1 - window.t0:.0f} s:")
            print("\n".join(lines))
            if usage:
                print(
                    f"    stack CPU mean {usage['cpu']:.0f} % (web {usage['web']:.0f} %, jobs "
                    f"{usage['jobs']:.0f} %; p95 {usage['cpu_p95']:.0f} %), memory max "
                    f"{usage['rss_max_mb']:.0f} MB; sign-ins took {window.login_s:.0f} s"
                )
            report["steps"].append({"users": window.users, **summary, **usage})
        logins = [a.latency for a in run.actions if a.action == "login"]
        print(f"  sign-in p50 {_pct(logins, 0.5):.2f} s, p95 {_pct(logins, 0.95):.2f} s")
        print("  telemetry: " + telemetry_check(db, before, run, accounts))
        if scenario.trainers:
            report["trainings"] = trainings_report(db, since, solo)
        if run.errors:
            print(f"  {len(run.errors)} client-side errors, first: {run.errors[:3]}")
    return report


def watched_alone(url: str, accounts: dict[str, Any], db: Path, seed: int) -> dict[str, float]:
    """Each kind of training once, alone, watched on its page by one student; then the same
    job alone in a plain process. Returns the plain-process seconds per job function."""
    since = time.time()
    for index, kind in ((58, "ml"), (59, "rl")):
        run = Run(url, seed, (0.5, 1.0))
        student = Student(run, accounts["students"][index], index, kind)
        run.stop_at = float("inf")

        async def once(st: Student = student) -> None:
            await st.s.connect()
            await st.s.open(timeout=180)
            if await st.login():
                await st.train()
            await st.s.close()

        asyncio.run(once())
    alone: dict[str, float] = {}
    print("  trainings alone:")
    for row in job_rows(db, since):
        plain = standalone_seconds(row)
        alone[row.fn] = plain
        print(
            f"    {row.label:<10} watched on its page {row.run_s:6.1f} s, in a plain process "
            f"{plain:6.1f} s: x{row.run_s / plain:.2f}"
        )
    return alone


def trainings_report(db: Path, since: float, alone: dict[str, float]) -> list[dict[str, Any]]:
    rows = job_rows(db, since)
    print("  trainings during the class:")
    out = []
    for row in rows:
        plain = alone.get(row.fn)
        ratio = row.run_s / plain if plain else float("nan")
        print(
            f"    {row.label:<10} {row.status:<8} queued {row.wait_s:6.1f} s, ran {row.run_s:6.1f}"
            f" s (alone {plain or float('nan'):6.1f} s): x{ratio:.2f}"
        )
        out.append({"label": row.label, "wait_s": row.wait_s, "run_s": row.run_s, "x": ratio})
    finished = [r for r in out if r["x"] == r["x"]]
    if finished:
        worst = max(r["x"] for r in finished)
        print(f"    worst run time against alone: x{worst:.2f} (target: at most x2)")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenarios", default="A,B,C")
    parser.add_argument("--variants", default="stack")
    parser.add_argument("--duration", type=float, default=180.0)
    parser.add_argument("--ramp", default="10,20,30,40,60")
    parser.add_argument("--ramp-duration", type=float, default=120.0)
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--trainers", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    ramp = [int(x) for x in args.ramp.split(",")]
    scenarios = {
        "A": Scenario("A", [args.students], 0, args.duration),
        "B": Scenario("B", [args.students], args.trainers, args.duration),
        "C": Scenario("C", ramp, 0, args.ramp_duration),
        "W": Scenario("W", [], 0, 0.0),
    }
    template = Path(tempfile.mkdtemp(prefix="classroom-accounts-"))
    started = time.time()
    accounts = make_accounts(template, max(60, *ramp, args.students))
    print(f"{len(accounts['students'])} student accounts in {time.time() - started:.0f} s")
    print(f"machine: {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB")
    results: dict[str, dict[str, Any]] = {}
    for name in args.scenarios.split(","):
        for variant in args.variants.split(","):
            results[f"{name}/{variant}"] = run_scenario(
                scenarios[name], VARIANTS[variant], template, accounts, args.seed
            )
    print("\n== summary (targets: A p95 < 1 s; B p95 < 1.5 s, trainings within x2; knee >= 60)")
    for key, report in results.items():
        steps = report["steps"]
        under = [s["users"] for s in steps if s["p95"] < 1.0]
        line = ", ".join(f"{s['users']}: p50 {s['p50']:.2f} / p95 {s['p95']:.2f} s" for s in steps)
        knee = f"; largest class with p95 < 1 s: {max(under) if under else 'none'}"
        print(f"  {key}: {line}{knee if len(steps) > 1 else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
