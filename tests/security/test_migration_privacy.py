"""Migration 0004 rebuilds `users` with AUTOINCREMENT. With foreign keys on, a careless rebuild
(DROP TABLE users) cascade-deletes every child row; this fills a 0003 database with users,
classes, enrolments, sessions, events, faces and jobs and checks every row survives."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text

from core.db import make_engine, upgrade_to_head
from core.db.migrate import alembic_config

CHILD_TABLES = (
    "users",
    "classrooms",
    "enrolments",
    "login_sessions",
    "events",
    "face_enrolments",
    "jobs",
    "audit_log",
)

SEED = [
    "INSERT INTO users (id, username, display_name, password_hash, role, language, is_disabled,"
    " failed_logins, created_at) VALUES"
    " (1, 'aigerim', 'Aigerim', 'h', 'teacher', 'kk', 0, 0, '2026-11-01'),"
    " (2, 'bolat', 'Bolat', 'h', 'student', 'en', 0, 0, '2026-11-01'),"
    " (3, 'dana', 'Dana', 'h', 'student', 'ru', 0, 0, '2026-11-01')",
    "INSERT INTO classrooms (id, name, join_code, teacher_id, created_at)"
    " VALUES (1, '9A', 'JOIN1', 1, '2026-11-01')",
    "INSERT INTO enrolments (user_id, classroom_id) VALUES (2, 1), (3, 1)",
    "INSERT INTO login_sessions (token_hash, user_id, created_at) VALUES"
    " ('t1', 1, '2026-11-01'), ('t2', 2, '2026-11-01')",
    "INSERT INTO events (user_id, classroom_id, activity, item_id, skill, shown_at, answered_at,"
    " decision_ms, correct, attempt, hints_used, payload) VALUES"
    " (2, 1, 'quiz', 'q1', 's', '2026-11-01', '2026-11-01', 5, 1, 1, 0, '{}'),"
    " (3, 1, 'quiz', 'q2', 's', '2026-11-01', '2026-11-01', 5, 0, 1, 0, '{}')",
    "INSERT INTO face_enrolments (user_id, name, model, embedding, created_at)"
    " VALUES (2, 'Bolat', 'dlib', '[0.1, 0.2]', '2026-11-01')",
    "INSERT INTO jobs (id, owner_id, slot, label, fn, args, priority, status, progress, version,"
    " stop_requested, created_at) VALUES ('j1', 2, 'rl', 'l', 'f', x'00', 0, 'done', 1, 0, 0, 1)",
    # A student with id 9 was deleted before the upgrade: only the audit log remembers the id.
    "INSERT INTO audit_log (at, actor_id, action, target_user_id, details)"
    " VALUES ('2026-11-02', 1, 'delete_student_data', 9, '{}')",
]


def _counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {
                t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                for t in CHILD_TABLES
            }
    finally:
        engine.dispose()


def _seeded_0003(tmp_path: Path) -> str:
    """A database at revision 0003 holding SEED's rows; returns its URL."""
    url = f"sqlite:///{tmp_path / 'zerde.db'}"
    command.upgrade(alembic_config(url), "0003")
    engine = make_engine(url)
    with engine.begin() as conn:
        for statement in SEED:
            conn.execute(text(statement))
    engine.dispose()
    return url


def test_upgrade_keeps_every_row_and_never_reuses_ids(tmp_path: Path) -> None:
    url = _seeded_0003(tmp_path)
    before = _counts(url)
    assert all(before.values())

    upgrade_to_head(url)

    assert _counts(url) == before
    engine = make_engine(url)
    with engine.begin() as conn:
        ddl = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = 'users'")).scalar_one()
        assert "AUTOINCREMENT" in ddl
        assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
        # The enrolment still points at the user, and deleting a user still cascades.
        conn.execute(text("DELETE FROM users WHERE id = 3"))
        assert conn.execute(text("SELECT count(*) FROM enrolments")).scalar_one() == 1
        conn.execute(
            text(
                "INSERT INTO users (username, display_name, password_hash, role, language,"
                " is_disabled, failed_logins) VALUES ('erlan', 'Erlan', 'h', 'student', 'en', 0, 0)"
            )
        )
        new_id = conn.execute(text("SELECT id FROM users WHERE username = 'erlan'")).scalar_one()
    engine.dispose()
    assert new_id == 10  # above the live max (3) and the audited deleted id (9)


def test_downgrade_keeps_rows(tmp_path: Path) -> None:
    url = _seeded_0003(tmp_path)
    before = _counts(url)
    upgrade_to_head(url)
    command.downgrade(alembic_config(url), "0003")
    assert _counts(url) == before
