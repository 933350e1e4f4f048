"""Roles and class management (issue 20, item 13).

Before: any teacher created teachers, unaudited, and teacher accounts could not be disabled;
classes could not be renamed, deleted, or get a new join code. Now the first teacher is the
administrator (an ``is_admin`` flag, migration 0005): only they create, disable and enable
teachers and read the sign-in trail, refused in core and not only hidden; class changes are the
owner's, audited; a replaced join code stops working."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select, text, update

from core.accounts import AccountError, PermissionDenied
from core.accounts.admin import is_admin, list_teachers, set_teacher_disabled, sign_in_entries
from core.accounts.classrooms import (
    delete_classroom,
    list_classrooms,
    rename_classroom,
    rotate_join_code,
)
from core.accounts.service import create_teacher, login, register_student, resume
from core.db import make_engine, upgrade_to_head
from core.db.migrate import alembic_config
from core.db.models import AuditLog, User
from core.db.session import read_session, write_session
from core.i18n import t
from tests import factories as f
from tests.app.conftest import Seed, app_as, assert_clean


def _audit(action: str) -> list[AuditLog]:
    with read_session() as s:
        return list(s.scalars(select(AuditLog).where(AuditLog.action == action)))


def test_only_the_administrator_creates_teachers(seed: Seed) -> None:
    assert is_admin(seed.teacher)
    colleague = f.teacher("dana_t", first=False, by=seed.teacher)
    assert not is_admin(colleague)
    for actor in (colleague, seed.student):  # refused in core, whatever the page shows
        with pytest.raises(PermissionDenied):
            create_teacher(actor, "sneaky", "Sneaky", f.PASSWORD, "kk")
        with pytest.raises(PermissionDenied):
            list_teachers(actor)
        with pytest.raises(PermissionDenied):
            sign_in_entries(actor)
    with read_session() as s:
        assert s.scalar(select(User.id).where(User.username == "sneaky")) is None
    (row,) = _audit("teacher_create")
    assert (row.actor_id, row.target_user_id) == (seed.teacher.user_id, colleague.user_id)


def test_the_administrator_disables_a_teacher_who_then_cannot_sign_in(seed: Seed) -> None:
    colleague = f.teacher("dana_t", first=False, by=seed.teacher)
    token = login("dana_t", f.PASSWORD).token
    with pytest.raises(PermissionDenied):
        set_teacher_disabled(colleague, seed.teacher.user_id, True)
    set_teacher_disabled(seed.teacher, colleague.user_id, True)
    assert resume(token) is None
    with pytest.raises(AccountError) as info:
        login("dana_t", f.PASSWORD)
    assert info.value.key == "errors.account_disabled"
    set_teacher_disabled(seed.teacher, colleague.user_id, False)
    assert login("dana_t", f.PASSWORD).actor.is_teacher
    assert [r.action for r in _audit("teacher_disable") + _audit("teacher_enable")] == [
        "teacher_disable",
        "teacher_enable",
    ]


def test_the_administrator_never_disables_themselves_or_a_student(seed: Seed) -> None:
    with pytest.raises(AccountError) as info:
        set_teacher_disabled(seed.teacher, seed.teacher.user_id, True)
    assert info.value.key == "errors.cannot_disable_self"
    with pytest.raises(PermissionDenied):
        set_teacher_disabled(seed.teacher, seed.student.user_id, True)


def test_a_disabled_administrator_loses_the_rights_at_once(seed: Seed) -> None:
    """Rights are read from the database on each call, not from the signed-in Actor."""
    second = f.teacher("dana_t", first=False, by=seed.teacher)
    with write_session() as s:
        s.execute(update(User).where(User.id == second.user_id).values(is_admin=True))
    set_teacher_disabled(second, seed.teacher.user_id, True)
    with pytest.raises(PermissionDenied):
        create_teacher(seed.teacher, "late", "Late", f.PASSWORD, "kk")


def test_rename_rotate_and_delete_a_class(seed: Seed) -> None:
    other = f.teacher("dana_t", first=False, by=seed.teacher)
    for attempt in (
        lambda a: rename_classroom(a, seed.room.id, "10B"),
        lambda a: rotate_join_code(a, seed.room.id),
        lambda a: delete_classroom(a, seed.room.id),
    ):
        for stranger in (other, seed.student):
            with pytest.raises(PermissionDenied):
                attempt(stranger)
    assert rename_classroom(seed.teacher, seed.room.id, "10B").name == "10B"
    with pytest.raises(AccountError):
        rename_classroom(seed.teacher, seed.room.id, "<b>x</b>")
    old_code = seed.room.join_code
    new_code = rotate_join_code(seed.teacher, seed.room.id)
    assert new_code != old_code
    with pytest.raises(AccountError) as info:
        register_student(old_code, "dana", "Dana", f.PASSWORD, "en")
    assert info.value.key == "errors.join_code_invalid"
    assert register_student(new_code, "dana", "Dana", f.PASSWORD, "en").classroom_id == (
        seed.room.id
    )
    assert login("bolat", f.PASSWORD).token  # students already in the class are unaffected
    # A class with students is not deleted (their enrolments would cascade away).
    with pytest.raises(AccountError) as info:
        delete_classroom(seed.teacher, seed.room.id)
    assert info.value.key == "errors.class_not_empty"
    empty = f.classroom(seed.teacher, "Spare")
    delete_classroom(seed.teacher, empty.id)
    assert [c.id for c in list_classrooms(seed.teacher)] == [seed.room.id]
    actions = [r.action for r in _audit("class_rename") + _audit("join_code_rotate")]
    assert actions == ["class_rename", "join_code_rotate"]
    (deleted,) = _audit("class_delete")
    assert deleted.details == {"classroom_id": empty.id, "name": "Spare"}


SEED_0004 = [
    "INSERT INTO users (id, username, display_name, password_hash, role, language, is_disabled,"
    " failed_logins, created_at) VALUES"
    " (3, 'aigerim', 'Aigerim', 'h', 'teacher', 'kk', 0, 0, '2026-11-01'),"
    " (1, 'bolat', 'Bolat', 'h', 'student', 'en', 0, 0, '2026-11-01'),"
    " (5, 'dana', 'Dana', 'h', 'teacher', 'ru', 0, 0, '2026-11-01')",
    "INSERT INTO classrooms (id, name, join_code, teacher_id, created_at)"
    " VALUES (1, '9A', 'JOIN1', 3, '2026-11-01')",
    "INSERT INTO enrolments (user_id, classroom_id) VALUES (1, 1)",
    "INSERT INTO login_sessions (token_hash, user_id, created_at) VALUES ('t1', 1, '2026-11-01')",
    "INSERT INTO events (user_id, classroom_id, activity, item_id, skill, shown_at, answered_at,"
    " decision_ms, correct, attempt, hints_used, payload) VALUES"
    " (1, 1, 'quiz', 'q1', 's', '2026-11-01', '2026-11-01', 5, 1, 1, 0, '{}')",
]
TABLES = ("users", "classrooms", "enrolments", "login_sessions", "events")


def test_migration_0005_keeps_every_row_and_makes_the_first_teacher_admin(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'zerde.db'}"
    command.upgrade(alembic_config(url), "0004")
    engine = make_engine(url)
    with engine.begin() as conn:
        for statement in SEED_0004:
            conn.execute(text(statement))
        before = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}
    engine.dispose()

    upgrade_to_head(url)

    engine = make_engine(url)
    with engine.begin() as conn:
        after = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}
        admins = conn.execute(text("SELECT id, is_admin FROM users ORDER BY id")).all()
    engine.dispose()
    assert after == before
    assert [(i, bool(a)) for i, a in admins] == [(1, False), (3, True), (5, False)]


def test_a_colleague_sees_no_teacher_form_and_the_admin_adds_one(seed: Seed) -> None:
    colleague = f.teacher("dana_t", first=False, by=seed.teacher)
    at = app_as(colleague, "ru")
    at.switch_page("app_pages/teacher_classes.py").run()
    assert_clean(at)
    assert not [e for e in at.text_input if e.key == "col_username"]
    assert t("teacher_admin.ask_admin", "ru") in [c.value for c in at.caption]

    at = app_as(seed.teacher, "kk")
    at.switch_page("app_pages/teacher_classes.py").run()
    assert_clean(at)
    at.text_input(key="col_username").input("zhanar")
    at.text_input(key="col_name").input("Жанар")
    at.text_input(key="col_password").input("Almaty2024")
    submit = f"FormSubmitter:colleague-{t('teacher.add_colleague_button', 'kk')}"
    at.button(key=submit).click().run()
    assert_clean(at)
    assert at.error[0].value == t("errors.password_local_word", "kk")
    at.text_input(key="col_password").input("Jaz-Tamshy-Orik-41")
    at.button(key=submit).click().run()
    assert_clean(at)
    assert login("zhanar", "Jaz-Tamshy-Orik-41").actor.is_teacher


def test_class_settings_through_the_page(seed: Seed) -> None:
    at = app_as(seed.teacher, "en")
    at.switch_page("app_pages/teacher_classes.py").run()
    key = f"class_{seed.room.id}"
    at.button(key=f"{key}_rotate").click().run()
    assert_clean(at)
    (room,) = list_classrooms(seed.teacher)
    assert room.join_code != seed.room.join_code
    assert t("class_admin.rotated", "en", code=room.join_code) in [s.value for s in at.success]
    at.text_input(key=f"{key}_name").input("10B informatics")
    at.button(key=f"FormSubmitter:{key}_rename-{t('class_admin.rename', 'en')}").click().run()
    assert_clean(at)
    assert list_classrooms(seed.teacher)[0].name == "10B informatics"
