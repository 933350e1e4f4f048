"""The job API on its in-process engine: the store, the worker code and the policies (one job per
learner at a time, slots, Stop, lost workers) are the same ones the Huey workers run."""

from __future__ import annotations

import os
import threading
import time

import pytest
from sqlalchemy import update

from core import jobs
from core.accounts import Actor
from core.db.models import Job
from core.db.session import write_session
from core.jobs import probes, store
from core.jobs.worker import function_path
from tests import factories as f


@pytest.fixture
def people(db_url: str) -> tuple[Actor, Actor, Actor]:
    teacher = f.teacher()
    room = f.classroom(teacher)
    return teacher, f.student(room, "aru"), f.student(room, "bolat")


@pytest.fixture
def learners(people: tuple[Actor, Actor, Actor]) -> tuple[Actor, Actor]:
    return people[1], people[2]


def _until(check, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def test_a_job_reports_progress_updates_and_its_result(learners: tuple[Actor, Actor]) -> None:
    aru, _ = learners
    job = jobs.submit(probes.count, {"steps": 5}, owner_id=aru.user_id, slot="ml_fit")
    snap = jobs.wait(job, aru.user_id, 10)
    assert snap is not None and snap.status == "done" and snap.progress == 1.0
    assert snap.updates == (1, 2, 3, 4, 5)
    assert snap.result["steps"] == 5
    assert snap.result["pid"] == os.getpid()  # the inline engine: a thread of this process
    assert jobs.latest(aru.user_id, "ml_fit") == jobs.snapshot(job, aru.user_id)


def test_stop_ends_a_running_job_and_keeps_what_it_reported(
    learners: tuple[Actor, Actor],
) -> None:
    aru, _ = learners
    job = jobs.submit(probes.count, {"steps": 400, "pause_s": 0.02}, owner_id=aru.user_id, slot="s")
    _until(lambda: (s := jobs.snapshot(job, aru.user_id)) is not None and len(s.updates) >= 3)
    jobs.stop(job, aru.user_id)
    snap = jobs.wait(job, aru.user_id, 10)
    assert snap is not None and snap.status == "stopped"
    assert 3 <= snap.result["steps"] < 400
    assert snap.updates[:3] == (1, 2, 3)


def test_one_running_job_per_learner_the_next_is_held(learners: tuple[Actor, Actor]) -> None:
    aru, bolat = learners
    slow = {"steps": 200, "pause_s": 0.01}
    first = jobs.submit(probes.count, slow, owner_id=aru.user_id, slot="a")
    second = jobs.submit(probes.count, {"steps": 2}, owner_id=aru.user_id, slot="b")
    other = jobs.submit(probes.count, {"steps": 2}, owner_id=bolat.user_id, slot="a")
    held = jobs.snapshot(second, aru.user_id)
    assert held is not None and held.status == "held" and held.waiting
    assert jobs.wait(other, bolat.user_id, 10).status == "done"  # type: ignore[union-attr]
    assert jobs.snapshot(second, aru.user_id).status == "held"  # type: ignore[union-attr]
    jobs.stop(first, aru.user_id)
    done = jobs.wait(second, aru.user_id, 10)
    assert done is not None and done.status == "done"


def test_a_learner_cannot_see_or_stop_another_learners_job(
    learners: tuple[Actor, Actor],
) -> None:
    aru, bolat = learners
    job = jobs.submit(probes.count, {"steps": 50, "pause_s": 0.02}, owner_id=aru.user_id, slot="x")
    assert jobs.snapshot(job, bolat.user_id) is None
    jobs.stop(job, bolat.user_id)
    assert jobs.wait(job, aru.user_id, 10).status == "done"  # type: ignore[union-attr]


def test_a_new_job_in_a_slot_replaces_the_old_one(learners: tuple[Actor, Actor]) -> None:
    aru, _ = learners
    old = jobs.submit(probes.count, {"steps": 1}, owner_id=aru.user_id, slot="rl")
    assert jobs.wait(old, aru.user_id, 10).status == "done"  # type: ignore[union-attr]
    running = jobs.submit(
        probes.count, {"steps": 500, "pause_s": 0.02}, owner_id=aru.user_id, slot="rl"
    )
    assert jobs.snapshot(old, aru.user_id) is None  # the finished one (and its result) is gone
    _until(lambda: jobs.snapshot(running, aru.user_id).status == "running")  # type: ignore[union-attr]
    newest = jobs.submit(probes.count, {"steps": 1}, owner_id=aru.user_id, slot="rl")
    assert jobs.wait(newest, aru.user_id, 10).status == "done"  # type: ignore[union-attr]
    assert jobs.latest(aru.user_id, "rl").id == newest  # type: ignore[union-attr]
    replaced = jobs.wait(running, aru.user_id, 10)  # stopped; deleted by the slot's next job
    assert replaced is not None and replaced.status == "stopped"


def test_a_failing_job_is_reported_not_raised(learners: tuple[Actor, Actor]) -> None:
    aru, _ = learners
    job = jobs.submit(probes.fail, {"message": "bad parameters"}, owner_id=aru.user_id, slot="f")
    snap = jobs.wait(job, aru.user_id, 10)
    assert snap is not None and snap.status == "failed"
    assert snap.error == "RuntimeError: bad parameters" and snap.updates == ("half",)


def test_a_job_whose_worker_died_is_failed_and_the_held_job_starts(
    learners: tuple[Actor, Actor],
) -> None:
    aru, _ = learners
    dead = jobs.submit(probes.count, {"steps": 1}, owner_id=aru.user_id, slot="a")
    jobs.wait(dead, aru.user_id, 10)
    with write_session() as s:  # as if a worker process had claimed it and then been killed
        s.execute(
            update(Job)
            .where(Job.id == dead)
            .values(status="running", worker=f"{store.HOST}:999999999", ended_at=None)
        )
    held = jobs.submit(probes.count, {"steps": 1}, owner_id=aru.user_id, slot="b")
    assert jobs.snapshot(held, aru.user_id).status == "held"  # type: ignore[union-attr]
    lost = jobs.snapshot(dead, aru.user_id)
    assert lost is not None and lost.status == "failed" and lost.error == jobs.LOST
    assert jobs.wait(held, aru.user_id, 10).status == "done"  # type: ignore[union-attr]


def test_a_closed_session_stops_its_jobs_unless_another_session_took_them(
    learners: tuple[Actor, Actor],
) -> None:
    aru, bolat = learners
    slow = {"steps": 500, "pause_s": 0.02}
    mine = jobs.submit(probes.count, slow, owner_id=aru.user_id, slot="a", session="tab-1")
    reloaded = jobs.submit(probes.count, slow, owner_id=bolat.user_id, slot="a", session="tab-2")
    jobs.adopt(reloaded, "tab-3")  # the learner reloaded: a new session shows the job
    assert jobs.stop_session("tab-1") == 1
    assert jobs.stop_session("tab-2") == 0
    assert jobs.wait(mine, aru.user_id, 10).status == "stopped"  # type: ignore[union-attr]
    assert jobs.snapshot(reloaded, bolat.user_id).status in ("queued", "running")  # type: ignore[union-attr]
    jobs.stop(reloaded, bolat.user_id)
    jobs.wait(reloaded, bolat.user_id, 10)


def test_meta_travels_with_the_job(learners: tuple[Actor, Actor]) -> None:
    aru, _ = learners
    job = jobs.submit(
        probes.count, {"steps": 1}, owner_id=aru.user_id, slot="m", meta=("ppo", 30_000)
    )
    assert jobs.wait(job, aru.user_id, 10).meta == ("ppo", 30_000)  # type: ignore[union-attr]


def test_only_core_functions_can_be_jobs() -> None:
    assert function_path(probes.count) == "core.jobs.probes:count"
    with pytest.raises(ValueError, match="module-level function in core"):
        function_path(lambda ctx: None)
    with pytest.raises(ValueError, match="module-level function in core"):
        function_path(_until)


def test_deleting_a_learners_data_deletes_their_jobs_and_results(
    people: tuple[Actor, Actor, Actor],
) -> None:
    from core.telemetry.repository import delete_student_data

    teacher, aru, bolat = people
    for who in (aru, bolat):
        job = jobs.submit(probes.count, {"steps": 1}, owner_id=who.user_id, slot="a")
        jobs.wait(job, who.user_id, 10)
    delete_student_data(teacher, aru.user_id)
    assert jobs.latest(aru.user_id, "a") is None
    assert jobs.latest(bolat.user_id, "a") is not None


def test_a_short_job_never_waits_for_the_learners_own_training(
    learners: tuple[Actor, Actor],
) -> None:
    aru, _ = learners
    slow = {"steps": 300, "pause_s": 0.01}
    training = jobs.submit(probes.count, slow, owner_id=aru.user_id, slot="cnn")
    quick = jobs.submit(probes.count, {"steps": 2}, owner_id=aru.user_id, slot="map", short=True)
    assert jobs.snapshot(quick, aru.user_id).status != "held"  # type: ignore[union-attr]
    assert jobs.wait(quick, aru.user_id, 10).status == "done"  # type: ignore[union-attr]
    jobs.stop(training, aru.user_id)
    jobs.wait(training, aru.user_id, 10)


def test_a_job_whose_learner_data_was_deleted_stops(people: tuple[Actor, Actor, Actor]) -> None:
    from core.telemetry.repository import delete_student_data

    teacher, aru, _ = people
    job = jobs.submit(
        probes.count, {"steps": 3000, "pause_s": 0.01}, owner_id=aru.user_id, slot="s"
    )
    _until(lambda: jobs.snapshot(job, aru.user_id).status == "running")  # type: ignore[union-attr]
    delete_student_data(teacher, aru.user_id)
    flusher = f"job-flush-{job[:8]}"  # lives exactly as long as the job runs
    _until(lambda: all(t.name != flusher for t in threading.enumerate()), timeout=10)
