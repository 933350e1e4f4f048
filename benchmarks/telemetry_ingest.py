"""Telemetry ingest and app cold start, measured on this machine (nothing here is hard-coded).

    python -m benchmarks.telemetry_ingest            # full run (about a minute)
    python -m benchmarks.telemetry_ingest --quick    # tiny sizes, a smoke test
    python -m benchmarks.telemetry_ingest --profile  # add a cProfile of SQLite single events

Sections:
  a) single events/s: one durable `Recorder.record()` per event, sequential (SQLite, PostgreSQL);
     a raw sqlite3 loop with the same pragmas is measured beside it as the fsync floor.
  b) batched events/s: `Recorder.record_many()` in batches (one transaction per batch).
  c) concurrent single events/s: N threads (N students) calling `record()` at once.
  d) app cold start: `streamlit run app.py` until /_stcore/health answers 200 (median of runs),
     plus which heavy libraries the modules imported by app.py pull in.

PostgreSQL runs in a throw-away database created next to --pg-url's database and dropped at the
end; if the server cannot be reached the PostgreSQL rows say "skipped: <reason>".
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.engine import make_url

from benchmarks.app_start import HEAVY_MODULES, cold_start_once, heavy_import_check
from core.accounts import Actor, Role
from core.accounts.classrooms import create_classroom
from core.accounts.service import create_first_teacher, register_student
from core.db import get_engine, reset_engines, upgrade_to_head
from core.db.engine import SQLITE_PRAGMAS
from core.db.models import Event as EventRow
from core.telemetry import Event, Recorder

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Tulpar-2026-steppe"
DEFAULT_PG_URL = os.environ.get(
    "ZERDE_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
SKILLS = ("platform.onboarding", "chain.hashing", "chain.signatures", "rl.q_learning")

TARGET_SQLITE_SINGLE = 2_000.0
TARGET_SQLITE_BATCHED = 50_000.0
TARGET_COLD_START_S = 3.0


def say(line: str = "") -> None:
    print(line, flush=True)


# --------------------------------------------------------------------------- fixtures


def make_events(actor: Actor, n: int, offset: int = 0) -> list[Event]:
    """Varied, valid events as a lab would send them (about half wrong, small payloads)."""
    base = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    events = []
    for i in range(offset, offset + n):
        correct = i % 2 == 0
        shown = base + timedelta(seconds=i)
        events.append(
            Event(
                user_id=actor.user_id,
                classroom_id=actor.classroom_id,
                activity="bench",
                item_id=f"q{i % 50}",
                skill=SKILLS[i % len(SKILLS)],
                shown_at=shown,
                answered_at=shown + timedelta(milliseconds=800 + (i * 37) % 9000),
                correct=correct,
                error_type=None if correct else ("misread", "off_by_one", "guess")[i % 3],
                attempt=1 + i % 3,
                hints_used=i % 2,
                payload={"choice": "abcd"[i % 4], "n": i},
            )
        )
    return events


@dataclass
class Backend:
    name: str
    url: str
    engine: Engine
    students: list[Actor] = field(default_factory=list)
    migrate_s: float = 0.0  # upgrade_to_head on the empty database

    def count_events(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(EventRow)).scalar_one())


@contextlib.contextmanager
def database_env(url: str, data_dir: Path) -> Iterator[None]:
    """Point the default engine (used by the accounts API) at `url` for the duration."""
    saved = {k: os.environ.get(k) for k in ("ZERDE_DATABASE_URL", "ZERDE_DATA_DIR")}
    os.environ["ZERDE_DATABASE_URL"] = url
    os.environ["ZERDE_DATA_DIR"] = str(data_dir)
    reset_engines()
    try:
        yield
    finally:
        reset_engines()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def prepare(name: str, url: str, n_students: int) -> Backend:
    start = time.perf_counter()
    upgrade_to_head(url)
    migrate_s = time.perf_counter() - start
    engine = get_engine(url)
    owner = create_first_teacher("bench_teacher", "Bench T.", PASSWORD, "en", engine=engine)
    room = create_classroom(owner, "Bench 9A", engine=engine)
    students = [
        register_student(room.join_code, f"bench_s{i:02d}", f"Student {i}", PASSWORD, "en", engine)
        for i in range(n_students)
    ]
    return Backend(name, url, engine, students, migrate_s)


# --------------------------------------------------------------------------- measurements


@dataclass
class Figure:
    rate: float  # events per second
    n: int
    seconds: float
    note: str = ""
    max_ms: float = 0.0  # worst single call (concurrent runs)


def bench_single(backend: Backend, n: int, warmup: int) -> Figure:
    recorder = Recorder(backend.engine)
    actor = backend.students[0]
    for event in make_events(actor, warmup, offset=10_000_000):
        recorder.record(actor, event)
    events = make_events(actor, n)
    start = time.perf_counter()
    for event in events:
        recorder.record(actor, event)
    seconds = time.perf_counter() - start
    return Figure(n / seconds, n, seconds, f"{seconds / n * 1e3:.3f} ms/event")


def bench_batched(backend: Backend, total: int, batch: int) -> Figure:
    recorder = Recorder(backend.engine)
    actor = backend.students[0]
    pool = make_events(actor, batch, offset=20_000_000)  # validated once, re-sent per batch
    n_batches = max(1, total // batch)
    start = time.perf_counter()
    sent = 0
    for _ in range(n_batches):
        sent += recorder.record_many(actor, pool)
    seconds = time.perf_counter() - start
    ms = seconds / n_batches * 1e3
    return Figure(sent / seconds, sent, seconds, f"{n_batches} × {batch}, {ms:.1f} ms/batch")


def bench_concurrent(
    backend: Backend, threads: int, per_thread: int, offset: int = 30_000_000
) -> Figure:
    """All threads (one student each) start together and call `record` one event at a time."""
    record = Recorder(backend.engine).record
    actors = backend.students[:threads]
    work = [make_events(a, per_thread, offset=offset) for a in actors]
    latencies: list[list[float]] = [[] for _ in actors]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(actors) + 1)

    def run(k: int) -> None:
        try:
            barrier.wait()
            for event in work[k]:
                t0 = time.perf_counter()
                record(actors[k], event)
                latencies[k].append(time.perf_counter() - t0)
        except BaseException as exc:  # noqa: BLE001 - reported below, never swallowed
            errors.append(exc)

    workers = [threading.Thread(target=run, args=(k,), daemon=True) for k in range(len(actors))]
    for w in workers:
        w.start()
    barrier.wait()
    start = time.perf_counter()
    for w in workers:
        w.join()
    seconds = time.perf_counter() - start
    if errors:
        raise RuntimeError(f"{len(errors)} writer thread(s) failed: {errors[0]!r}")
    flat = sorted(x for lat in latencies for x in lat)
    n = len(flat)
    p50 = flat[n // 2] * 1e3
    p95 = flat[min(n - 1, int(n * 0.95))] * 1e3
    top = flat[-1] * 1e3
    note = f"{len(actors)} threads, latency p50 {p50:.2f} / p95 {p95:.2f} / max {top:.1f} ms"
    return Figure(n / seconds, n, seconds, note, max_ms=top)


def bench_raw_sqlite(directory: Path, n: int) -> Figure:
    """Same pragmas, one INSERT + COMMIT per row, no SQLAlchemy: the durability floor."""
    path = directory / "raw.db"
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in SQLITE_PRAGMAS:
            conn.execute(pragma)
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, user_id INT, payload TEXT)")
        start = time.perf_counter()
        for i in range(n):
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO t (user_id, payload) VALUES (?, ?)", (1, f'{{"n": {i}}}'))
            conn.execute("COMMIT")
        seconds = time.perf_counter() - start
    finally:
        conn.close()
    return Figure(n / seconds, n, seconds, f"{seconds / n * 1e3:.3f} ms/commit")


def bench_event_construction(n: int) -> Figure:
    actor = Actor(1, Role.STUDENT, "bench", "Bench", "en", classroom_id=1)
    start = time.perf_counter()
    make_events(actor, n)
    seconds = time.perf_counter() - start
    return Figure(n / seconds, n, seconds, "pydantic validation only, no database")


def profile_single(backend: Backend, n: int) -> str:
    recorder = Recorder(backend.engine)
    actor = backend.students[0]
    events = make_events(actor, n, offset=40_000_000)
    profiler = cProfile.Profile()
    profiler.enable()
    for event in events:
        recorder.record(actor, event)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(12)
    return out.getvalue()


# --------------------------------------------------------------------------- PostgreSQL


@contextlib.contextmanager
def postgres_database(admin_url: str) -> Iterator[str]:
    """Yield the URL of a fresh database next to admin_url's; drop it afterwards."""
    import psycopg

    admin = make_url(admin_url)
    name = f"zerde_bench_{os.getpid()}"
    params: dict[str, Any] = {
        "host": admin.host or "127.0.0.1",
        "port": admin.port or 5432,
        "user": admin.username or "postgres",
        "dbname": admin.database or "postgres",
        "connect_timeout": 3,
        "autocommit": True,
    }
    if admin.password:
        params["password"] = admin.password
    with psycopg.connect(**params) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        reset_engines()
        with psycopg.connect(**params) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_settings(engine: Engine) -> str:
    with engine.connect() as conn:
        values = [
            f"{k}={conn.exec_driver_sql(f'SHOW {k}').scalar()}"
            for k in ("fsync", "synchronous_commit", "wal_sync_method")
        ]
    return ", ".join(values)


# --------------------------------------------------------------------------- app cold start


@dataclass
class Row:
    backend: str
    metric: str
    value: str
    target: str = ""
    verdict: str = ""


def verdict(ok: bool) -> str:
    return "PASS" if ok else "SHORT"


def run_backend(
    name: str, url: str, data_dir: Path, args: argparse.Namespace, rows: list[Row]
) -> Figure:
    """Run a), b), c) on one backend; returns the single-event figure."""
    with database_env(url, data_dir):
        backend = prepare(name, url, max(1, args.threads))
        extra = f" ({pg_settings(backend.engine)})" if name == "PostgreSQL" else ""
        say(
            f"[{name}] migrated an empty database in {backend.migrate_s:.2f} s, "
            f"{len(backend.students)} students{extra}"
        )

        single = bench_single(backend, args.single, args.warmup)
        say(f"[{name}] {'a) single:':<19}{single.rate:10,.0f} events/s  ({single.note})")
        is_sqlite = name == "SQLite"
        rows.append(
            Row(
                name,
                "a) single record() events/s",
                f"{single.rate:,.0f}",
                f"≥ {TARGET_SQLITE_SINGLE:,.0f}" if is_sqlite else "",
                verdict(single.rate >= TARGET_SQLITE_SINGLE) if is_sqlite else "",
            )
        )

        batched = bench_batched(backend, args.batch_total, args.batch_size)
        say(f"[{name}] {'b) batched:':<19}{batched.rate:10,.0f} events/s  ({batched.note})")
        rows.append(
            Row(
                name,
                f"b) record_many({args.batch_size}) events/s",
                f"{batched.rate:,.0f}",
                f"≥ {TARGET_SQLITE_BATCHED:,.0f}" if is_sqlite else "",
                verdict(batched.rate >= TARGET_SQLITE_BATCHED) if is_sqlite else "",
            )
        )

        concurrent_runs = 0
        if args.threads > 0:
            label = f"c) {args.threads} threads record() events/s"
            conc = bench_concurrent(backend, args.threads, args.per_thread)
            concurrent_runs += 1
            say(f"[{name}] {'c) concurrent:':<19}{conc.rate:10,.0f} events/s  ({conc.note})")
            rows.append(Row(name, label, f"{conc.rate:,.0f} (max {conc.max_ms:,.0f} ms)"))

        expected = (
            args.warmup + single.n + batched.n + concurrent_runs * args.threads * args.per_thread
        )
        stored = backend.count_events()
        say(f"[{name}] rows in events: {stored:,} (expected {expected:,})")
        if stored != expected:
            raise RuntimeError(f"{name}: {stored} rows stored, {expected} acknowledged")

        if args.profile and is_sqlite:
            say(f"[{name}] cProfile of {args.single} single record() calls (top by own time):")
            say(profile_single(backend, args.single))
        return single


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--single", type=int, default=5_000, help="events for a) (default 5000)")
    p.add_argument("--warmup", type=int, default=50, help="unmeasured record() calls first")
    p.add_argument("--batch-total", type=int, default=100_000, help="events for b)")
    p.add_argument("--batch-size", type=int, default=1_000, help="events per record_many()")
    p.add_argument("--threads", type=int, default=8, help="writer threads for c) (0 = skip)")
    p.add_argument("--per-thread", type=int, default=500, help="record() calls per thread")
    p.add_argument("--cold-runs", type=int, default=3, help="streamlit starts for d) (0 = skip)")
    p.add_argument("--cold-timeout", type=float, default=60.0, help="seconds per start")
    p.add_argument("--pg-url", default=DEFAULT_PG_URL, help="admin URL; a bench DB is made next")
    p.add_argument("--no-pg", action="store_true", help="skip PostgreSQL")
    p.add_argument("--profile", action="store_true", help="cProfile SQLite single events")
    p.add_argument("--quick", action="store_true", help="tiny sizes (smoke test, seconds)")
    args = p.parse_args(argv)
    if args.quick:
        args.single, args.warmup = min(args.single, 200), min(args.warmup, 10)
        args.batch_total, args.batch_size = min(args.batch_total, 5_000), min(args.batch_size, 500)
        args.threads, args.per_thread = min(args.threads, 4), min(args.per_thread, 25)
        args.cold_runs = min(args.cold_runs, 1)
    return args


def print_table(rows: list[Row]) -> None:
    headers = ("backend", "metric", "measured", "target", "result")
    table = [headers, *((r.backend, r.metric, r.value, r.target, r.verdict) for r in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(headers))]
    rule = "  ".join("-" * w for w in widths)
    say(rule)
    for k, line in enumerate(table):
        say("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())
        if k == 0:
            say(rule)
    say(rule)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    rows: list[Row] = []
    say(
        f"Zerde telemetry ingest benchmark — Python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
    )
    say(
        f"sizes: single={args.single} batched={args.batch_total}×{args.batch_size} "
        f"threads={args.threads}×{args.per_thread} cold_runs={args.cold_runs}"
    )
    say()

    construction = bench_event_construction(max(args.single, 1_000))
    say(f"[python] Event construction: {construction.rate:10,.0f} events/s ({construction.note})")
    rows.append(Row("python", "Event() validation events/s", f"{construction.rate:,.0f}"))

    with tempfile.TemporaryDirectory(prefix="zerde_bench_") as tmp:
        directory = Path(tmp)
        raw = bench_raw_sqlite(directory, args.single)
        say(f"[SQLite] raw sqlite3 floor: {raw.rate:10,.0f} commits/s ({raw.note})")
        rows.append(Row("SQLite", "raw sqlite3 commit/s (fsync floor)", f"{raw.rate:,.0f}"))
        url = f"sqlite:///{directory / 'zerde.db'}"
        single = run_backend("SQLite", url, directory, args, rows)
        overhead_ms = (1 / single.rate - 1 / raw.rate) * 1e3
        say(f"[SQLite] record() cost above the raw commit: {overhead_ms:.3f} ms/event")
    say()

    if args.no_pg:
        say("[PostgreSQL] skipped: --no-pg")
        rows.append(Row("PostgreSQL", "all", "skipped: --no-pg"))
    else:
        try:
            with postgres_database(args.pg_url) as pg_url:
                run_backend("PostgreSQL", pg_url, Path(tempfile.gettempdir()), args, rows)
        except Exception as exc:  # noqa: BLE001 - an unreachable server is a skip, not a crash
            reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
            say(f"[PostgreSQL] skipped: {reason}")
            rows.append(Row("PostgreSQL", "all", f"skipped: {reason[:60]}"))
    say()

    if args.cold_runs > 0:
        times = []
        for k in range(args.cold_runs):
            seconds = cold_start_once(args.cold_timeout)
            times.append(seconds)
            say(f"[app] d) cold start run {k + 1}: {seconds:.2f} s to /_stcore/health 200")
        median = statistics.median(times)
        rows.append(
            Row(
                "app",
                f"d) cold start, median of {len(times)} (s)",
                f"{median:.2f}",
                f"< {TARGET_COLD_START_S:.0f}",
                verdict(median < TARGET_COLD_START_S),
            )
        )
        say("[app]    (health answers before app.py runs: the script runs on a browser session)")
    heavy = heavy_import_check()
    required = [m for m in heavy["heavy"] if m in HEAVY_MODULES]
    say(f"[app] d) modules app.py imports: {', '.join(heavy['modules'])}")
    say(
        f"[app]    importing them took {heavy['seconds']:.2f} s ({heavy['n_modules']} modules "
        f"loaded); heavy libraries among them: {', '.join(heavy['heavy']) or 'none'}"
    )
    rows.append(Row("app", "import of app.py's modules (s)", f"{heavy['seconds']:.2f}"))
    rows.append(
        Row(
            "app",
            "heavy libs loaded (" + ",".join(HEAVY_MODULES) + ")",
            ", ".join(heavy["heavy"]) or "none",
            "none",
            verdict(not required),
        )
    )

    say()
    print_table(rows)
    say(f"total time {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
