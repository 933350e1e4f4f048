"""The class overview is computed once per version of the class and kept by the caller: reused
while nothing changed, recomputed when an answer arrives, data is deleted or the roster
changes, never handed to someone who may not see the class (issue: 24 s on first open,
2.5 s on every reopen)."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine

from core.accounts import Actor, PermissionDenied
from core.analytics import report
from core.analytics.report import CACHED_VERSIONS, cached_class_analytics, class_version
from core.telemetry import Recorder, delete_student_data, load_events
from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _answer(student: Actor, minute: int, correct: bool = True) -> None:
    shown = START + timedelta(minutes=minute)
    Recorder().record(
        student,
        f.event(
            student, skill="chain.hashing", item_id=f"q{minute}", shown_at=shown,
            answered_at=shown + timedelta(seconds=8), correct=correct,
            error_type=None if correct else "expects_small_change",
        ),
    )  # fmt: skip


def test_kept_while_nothing_changes_and_recomputed_when_something_does(engine: Engine) -> None:
    teacher = f.teacher()
    room = f.classroom(teacher)
    bolat, dana = f.student(room, "bolat"), f.student(room, "dana")
    for minute in range(4):
        _answer(bolat, minute, correct=minute % 2 == 0)
        _answer(dana, minute)
    store: dict[object, report.ClassAnalytics] = {}

    first = cached_class_analytics(teacher, room.id, store)
    assert cached_class_analytics(teacher, room.id, store) is first
    assert len(first.events) == 8

    _answer(dana, 10)  # a new answer: a new version
    after_answer = cached_class_analytics(teacher, room.id, store)
    assert after_answer is not first and len(after_answer.events) == 9
    assert cached_class_analytics(teacher, room.id, store) is after_answer

    erlan = f.student(room, "erlan")  # a new student, no answers yet
    with_erlan = cached_class_analytics(teacher, room.id, store)
    assert erlan.user_id in with_erlan.students and with_erlan is not after_answer

    delete_student_data(teacher, bolat.user_id)  # fewer events, the same last id possibly
    without_bolat = cached_class_analytics(teacher, room.id, store)
    assert len(without_bolat.events) == 5 and without_bolat is not with_erlan

    # Another period of the same class is another entry, and the store stays small.
    window = cached_class_analytics(teacher, room.id, store, since=START.date())
    assert window is not without_bolat
    assert len(store) <= CACHED_VERSIONS


def test_the_access_check_runs_before_anything_kept_is_used(engine: Engine) -> None:
    teacher = f.teacher()
    other = f.teacher("dana_t", first=False, by=teacher)
    room = f.classroom(teacher)
    bolat = f.student(room, "bolat")
    _answer(bolat, 0)
    store: dict[object, report.ClassAnalytics] = {}
    cached_class_analytics(teacher, room.id, store)
    with pytest.raises(PermissionDenied):
        cached_class_analytics(other, room.id, store)
    with pytest.raises(PermissionDenied):
        cached_class_analytics(bolat, room.id, store)
    with pytest.raises(PermissionDenied):
        class_version(other, room.id)


def test_the_class_read_matches_the_repository(engine: Engine) -> None:
    teacher = f.teacher()
    room = f.classroom(teacher)
    bolat = f.student(room, "bolat")
    for minute in range(5):
        _answer(bolat, minute, correct=minute != 2)
    Recorder().record(bolat, f.event(bolat, correct=None, error_type=None))  # ungraded
    version = class_version(teacher, room.id)
    assert (version.n_events, version.students) == (6, ((bolat.user_id, "Bolat"),))
    fast = report._class_events(version, None)
    slow = load_events(teacher, [bolat.user_id], classroom_id=room.id).drop(columns="payload")
    pd.testing.assert_frame_equal(fast, slow, check_dtype=False)
    assert str(fast["shown_at"].dt.tz) == "UTC" and fast["correct"].isna().sum() == 1


def test_the_dashboard_does_not_import_scikit_learn() -> None:
    """Learner profiles use a small k-means of their own: importing scikit-learn took longer
    than the whole first open of a class."""
    code = (
        "import sys\n"
        "from core.analytics.simulate import ClassSpec, simulate_class\n"
        "from core.analytics.report import analyse_events\n"
        "c = simulate_class(ClassSpec(n_students=8, seed=1))\n"
        "names = {u: 'x' for u in c.students.index}\n"
        "a = analyse_events(c.events.assign(id=range(len(c.events))), names)\n"
        "assert a.profiles and a.overview is not None and len(a.top_mistakes())\n"
        "assert 'sklearn' not in sys.modules, 'scikit-learn was imported'\n"
    )  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
