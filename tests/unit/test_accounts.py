from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from core.accounts import AccountError, PermissionDenied, Role
from core.accounts.classrooms import (
    create_classroom,
    list_classrooms,
    normalise_join_code,
    roster,
    set_disabled,
)
from core.accounts.service import (
    create_first_teacher,
    login,
    logout,
    needs_first_teacher,
    register_student,
    resume,
    set_language,
)
from core.db.models import Enrolment, User
from core.db.session import read_session
from tests import factories as f


def _count_users(engine: Engine) -> int:
    with read_session(engine) as s:
        return s.scalar(select(func.count()).select_from(User)) or 0


def test_first_run_needs_a_teacher_and_only_once(engine: Engine) -> None:
    assert needs_first_teacher()
    teacher = f.teacher()
    assert teacher.role is Role.TEACHER
    assert not needs_first_teacher()
    with pytest.raises(AccountError) as info:
        create_first_teacher("second", "Second", f.PASSWORD, "ru")
    assert info.value.key == "errors.first_teacher_exists"
    assert _count_users(engine) == 1


def test_student_joins_with_code_case_and_dashes_tolerated(engine: Engine) -> None:
    room = f.classroom(f.teacher())
    messy = f"{room.join_code[:4].lower()}-{room.join_code[4:]} "
    student = register_student(messy, "Bolat", "Bolat S.", f.PASSWORD, "kk")
    assert student.role is Role.STUDENT
    assert student.username == "bolat"
    assert student.classroom_id == room.id
    assert normalise_join_code(messy) == room.join_code


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        ({"join_code": "WRONG123"}, "errors.join_code_invalid"),
        ({"password": "1234567"}, "errors.password_too_short"),
        ({"password": "password1"}, "errors.password_common"),
        ({"display_name": "A" * 61}, "errors.display_name_too_long"),
        ({"display_name": "<b>Bolat</b>"}, "errors.markup_not_allowed"),
        ({"display_name": "<script>alert(1)</script>"}, "errors.markup_not_allowed"),
        ({"display_name": "   "}, "errors.display_name_empty"),
        ({"username": "a b"}, "errors.username_invalid"),
        ({"username": "x" * 33}, "errors.username_invalid"),
        ({"language": "de"}, "errors.language_invalid"),
    ],
)
def test_bad_registration_is_explained_and_stores_nothing(
    engine: Engine, overrides: dict[str, str], key: str
) -> None:
    room = f.classroom(f.teacher())
    fields = {
        "join_code": room.join_code,
        "username": "bolat",
        "display_name": "Bolat",
        "password": f.PASSWORD,
        "language": "en",
    }
    fields.update(overrides)
    with pytest.raises(AccountError) as info:
        register_student(**fields)
    assert info.value.key == key
    assert _count_users(engine) == 1  # only the teacher
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Enrolment)) == 0


def test_duplicate_username_is_refused(engine: Engine) -> None:
    room = f.classroom(f.teacher())
    f.student(room, "bolat")
    with pytest.raises(AccountError) as info:
        register_student(room.join_code, "BOLAT", "Another", f.PASSWORD, "en")
    assert info.value.key == "errors.username_taken"


def test_login_and_logout_end_the_server_side_session(engine: Engine) -> None:
    room = f.classroom(f.teacher())
    f.student(room, "bolat")
    result = login("Bolat", f.PASSWORD)
    assert result.actor.classroom_id == room.id
    assert resume(result.token) == result.actor
    logout(result.token)
    assert resume(result.token) is None
    assert resume("forged-token") is None


def test_unknown_user_and_wrong_password_get_the_same_message(engine: Engine) -> None:
    f.teacher()
    messages = set()
    for username, password in [("nobody", f.PASSWORD), ("aigerim", "wrong-password-1")]:
        with pytest.raises(AccountError) as info:
            login(username, password)
        messages.add(info.value.key)
    assert messages == {"errors.login_failed"}


def test_five_failures_lock_for_fifteen_minutes(engine: Engine) -> None:
    room = f.classroom(f.teacher())
    f.student(room, "bolat")
    start = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    keys = []
    for i in range(5):
        with pytest.raises(AccountError) as info:
            login("bolat", "wrong-password-x", now=start + timedelta(seconds=i))
        keys.append(info.value.key)
    assert keys == ["errors.login_failed"] * 4 + ["errors.account_locked"]
    # Even the right password is refused while locked...
    with pytest.raises(AccountError) as info:
        login("bolat", f.PASSWORD, now=start + timedelta(minutes=14))
    assert info.value.key == "errors.account_locked"
    assert info.value.params["minutes"] >= 1
    # ...and accepted once the 15 minutes have passed.
    assert login("bolat", f.PASSWORD, now=start + timedelta(minutes=15, seconds=5)).token


def test_success_resets_the_failure_count(engine: Engine) -> None:
    room = f.classroom(f.teacher())
    f.student(room, "bolat")
    for _ in range(4):
        with pytest.raises(AccountError):
            login("bolat", "wrong-password-x")
    login("bolat", f.PASSWORD)
    for _ in range(4):
        with pytest.raises(AccountError) as info:
            login("bolat", "wrong-password-x")
        assert info.value.key == "errors.login_failed"


def test_disabled_student_is_logged_out_and_cannot_log_in(engine: Engine) -> None:
    teacher = f.teacher()
    room = f.classroom(teacher)
    student = f.student(room, "bolat")
    token = login("bolat", f.PASSWORD).token
    set_disabled(teacher, student.user_id, True)
    assert resume(token) is None
    with pytest.raises(AccountError) as info:
        login("bolat", f.PASSWORD)
    assert info.value.key == "errors.account_disabled"
    set_disabled(teacher, student.user_id, False)
    assert login("bolat", f.PASSWORD).token


def test_language_is_remembered_per_user(engine: Engine) -> None:
    room = f.classroom(f.teacher())
    student = f.student(room, "bolat")
    set_language(student, "ru")
    assert login("bolat", f.PASSWORD).actor.language == "ru"
    with pytest.raises(AccountError):
        set_language(student, "xx")


def test_teacher_sees_only_own_classes_and_rosters(engine: Engine) -> None:
    first = f.teacher()
    second = f.teacher("dana", first=False, by=first)
    mine = f.classroom(first, "9A")
    theirs = f.classroom(second, "10B")
    f.student(mine, "bolat")
    other = f.student(theirs, "erlan")
    assert [c.name for c in list_classrooms(first)] == ["9A"]
    assert [c.n_students for c in list_classrooms(second)] == [1]
    with pytest.raises(PermissionDenied):
        roster(first, theirs.id)
    with pytest.raises(PermissionDenied):
        set_disabled(first, other.user_id, True)


def test_students_cannot_use_teacher_functions(engine: Engine) -> None:
    teacher = f.teacher()
    room = f.classroom(teacher)
    student = f.student(room, "bolat")
    with pytest.raises(PermissionDenied):
        create_classroom(student, "my own class")
    with pytest.raises(PermissionDenied):
        list_classrooms(student)
    with pytest.raises(PermissionDenied):
        roster(student, room.id)
    with pytest.raises(PermissionDenied):
        f.teacher("sneaky", first=False, by=student)


def test_class_name_rules(engine: Engine) -> None:
    teacher = f.teacher()
    for bad, key in [
        ("", "errors.class_name_empty"),
        ("<i>9A</i>", "errors.markup_not_allowed"),
        ("x" * 61, "errors.class_name_too_long"),
    ]:
        with pytest.raises(AccountError) as info:
            create_classroom(teacher, bad)
        assert info.value.key == key
    codes = {create_classroom(teacher, f"class {i}").join_code for i in range(20)}
    assert len(codes) == 20
    assert all(len(c) == 8 and not set(c) & set("01OIL") for c in codes)


def test_sessions_expire_after_the_configured_hours(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZERDE_SESSION_HOURS", "12")
    room = f.classroom(f.teacher())
    f.student(room, "bolat")
    start = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    token = login("bolat", f.PASSWORD, now=start).token
    assert resume(token, now=start + timedelta(hours=11, minutes=59)) is not None
    assert resume(token, now=start + timedelta(hours=12, minutes=1)) is None


def test_the_password_check_runs_outside_the_write_transaction(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A class signing in at once must not queue every answer behind argon2 (0.8 s each)."""
    from core.accounts import service
    from core.db.engine import write_lock

    f.teacher()
    lock = write_lock(engine)
    held_while_hashing: list[bool] = []
    real_verify = service.verify_password

    def verify(stored: str, password: str) -> bool:
        held_while_hashing.append(lock.locked())  # type: ignore[attr-defined]
        return real_verify(stored, password)

    monkeypatch.setattr(service, "verify_password", verify)
    assert login("aigerim", f.PASSWORD).actor.username == "aigerim"
    with pytest.raises(AccountError):
        login("aigerim", "wrong-password-1")
    assert held_while_hashing == [False, False]
