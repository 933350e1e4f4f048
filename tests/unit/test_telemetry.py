import json
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine, select

from core.accounts import PermissionDenied
from core.accounts.audit import audit_entries
from core.accounts.service import login
from core.db.models import User
from core.db.session import read_session
from core.telemetry import (
    Recorder,
    delete_student_data,
    export_user_data,
    load_events,
    record,
)
from tests import factories as f


def test_event_contract_derives_decision_time() -> None:
    shown = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
    event = f.event(
        f.ANY_STUDENT, shown_at=shown, answered_at=shown + timedelta(seconds=2, milliseconds=5)
    )
    assert event.decision_ms == 2005
    assert event.to_row()["decision_ms"] == 2005


@pytest.mark.parametrize(
    "overrides",
    [
        {"answered_at": datetime(2026, 11, 23, 8, 59, tzinfo=UTC)},  # before shown_at
        {"shown_at": datetime(2026, 11, 23, 9, 0)},  # naive timestamp
        {"skill": "nodots"},
        {"skill": "Chain.Hashing"},
        {"error_type": "Has Spaces"},
        {"attempt": 0},
        {"hints_used": -1},
        {"correct": True, "error_type": "misread"},
        {"payload": {"blob": "x" * 5000}},
        {"payload": {"bad": object()}},
        {"unknown_field": 1},
        {"answered_at": datetime(2026, 11, 23, 16, 0, tzinfo=UTC)},  # 7 h: tab left open
    ],
)
def test_invalid_events_are_rejected(overrides: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        f.event(f.ANY_STUDENT, **overrides)


def test_record_and_read_back_own_events(engine: Engine) -> None:
    room = f.classroom(f.teacher())
    student = f.student(room, "bolat")
    first = record(student, f.event(student))
    second = record(student, f.event(student, item_id="q2", correct=True, error_type=None))
    assert second > first
    events = load_events(student)
    assert list(events["item_id"]) == ["q1", "q2"]
    assert list(events["decision_ms"]) == [4200, 4200]
    assert events.loc[0, "payload"] == {"choice": "b"}
    assert str(events["answered_at"].dt.tz) == "UTC"


def test_batch_recording(engine: Engine) -> None:
    room = f.classroom(f.teacher())
    student = f.student(room, "bolat")
    batch = [f.event(student, item_id=f"q{i}") for i in range(250)]
    assert Recorder().record_many(student, batch) == 250
    assert Recorder().record_many(student, []) == 0
    assert len(load_events(student)) == 250


def test_cannot_record_for_someone_else(engine: Engine) -> None:
    room = f.classroom(f.teacher())
    bolat, dana = f.student(room, "bolat"), f.student(room, "dana")
    with pytest.raises(PermissionDenied):
        record(bolat, f.event(dana))
    with pytest.raises(PermissionDenied):
        Recorder().record_many(bolat, [f.event(bolat), f.event(dana)])
    with pytest.raises(PermissionDenied):
        record(bolat, f.event(bolat, classroom_id=room.id + 1))
    assert load_events(bolat).empty


def test_student_cannot_read_another_students_events(engine: Engine) -> None:
    room = f.classroom(f.teacher())
    bolat, dana = f.student(room, "bolat"), f.student(room, "dana")
    record(dana, f.event(dana))
    with pytest.raises(PermissionDenied):
        load_events(bolat, [dana.user_id])
    with pytest.raises(PermissionDenied):
        export_user_data(bolat, dana.user_id)
    assert load_events(bolat).empty  # default scope: only their own


def test_teacher_reads_own_class_but_not_another_teachers(engine: Engine) -> None:
    first = f.teacher()
    second = f.teacher("dana_t", first=False, by=first)
    mine, theirs = f.classroom(first, "9A"), f.classroom(second, "10B")
    bolat, erlan = f.student(mine, "bolat"), f.student(theirs, "erlan")
    record(bolat, f.event(bolat))
    record(erlan, f.event(erlan))
    assert set(load_events(first)["user_id"]) == {bolat.user_id}
    assert len(load_events(first, classroom_id=mine.id)) == 1
    with pytest.raises(PermissionDenied):
        load_events(first, [erlan.user_id])
    with pytest.raises(PermissionDenied):
        load_events(first, classroom_id=theirs.id)
    with pytest.raises(PermissionDenied):
        delete_student_data(first, erlan.user_id)


def test_export_contains_profile_and_all_events_but_no_password(engine: Engine) -> None:
    room = f.classroom(f.teacher())
    student = f.student(room, "bolat")
    for i in range(3):
        record(student, f.event(student, item_id=f"q{i}", payload={"choice": "ә", "i": i}))
    export = export_user_data(student, student.user_id)
    data = json.loads(export.to_json())
    assert data["profile"]["username"] == "bolat"
    assert "password" not in json.dumps(data["profile"])
    assert [e["item_id"] for e in data["events"]] == ["q0", "q1", "q2"]
    assert data["events"][0]["payload"] == {"choice": "ә", "i": 0}
    csv_text = export.to_csv().decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith('"id","user_id"')
    assert len(csv_text.splitlines()) == 4
    assert "ә" in csv_text


def test_teacher_deletes_student_data_with_audit(engine: Engine) -> None:
    teacher = f.teacher()
    room = f.classroom(teacher)
    bolat, dana = f.student(room, "bolat"), f.student(room, "dana")
    for actor in (bolat, bolat, dana):
        record(actor, f.event(actor))
    assert delete_student_data(teacher, bolat.user_id) == 2
    assert load_events(bolat).empty
    assert len(load_events(dana)) == 1  # nobody else touched
    entry = audit_entries(teacher)[0]
    assert (entry.action, entry.target_user_id) == ("delete_student_data", bolat.user_id)
    assert entry.details == {"events_deleted": 2, "account_deleted": False}
    assert login("bolat", f.PASSWORD).token  # account kept

    assert delete_student_data(teacher, dana.user_id, delete_account=True) == 1
    with read_session(engine) as s:
        assert s.scalar(select(User).where(User.username == "dana")) is None
    assert audit_entries(teacher)[0].details["account_deleted"] is True
    with pytest.raises(PermissionDenied):
        audit_entries(bolat)


def test_item_history_comes_from_the_stored_events(db_url: str) -> None:
    """Attempt numbers and 'solved' survive a reload: they are read back, not kept in a tab."""
    from core.telemetry import NEVER, item_history

    room = f.classroom(f.teacher())
    aru, bolat = f.student(room, "aru"), f.student(room, "bolat")
    for attempt, correct in ((1, False), (2, False), (3, True)):
        error = None if correct else "misread"
        record(aru, f.event(aru, item_id="q1", attempt=attempt, correct=correct, error_type=error))
    record(aru, f.event(aru, item_id="q2", attempt=1, correct=True, error_type=None))
    record(aru, f.event(aru, item_id="q3", correct=None, error_type=None))  # not graded
    record(bolat, f.event(bolat, item_id="q1", attempt=1, correct=True, error_type=None))
    history = item_history(aru, "onboarding")
    assert history["q1"].attempts == 3 and history["q1"].next_attempt == 4
    assert history["q1"].solved and not history["q1"].solved_first_try
    assert history["q2"].solved_first_try
    assert "q3" not in history and history.get("q9", NEVER).next_attempt == 1
