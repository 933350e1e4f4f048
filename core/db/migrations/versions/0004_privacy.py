"""Privacy: user ids are never reused, and students can ask for their data to be deleted.

SQLite gives a plain ``INTEGER PRIMARY KEY`` the highest deleted id again, so a student who
registered after a deleted one inherited the old id and with it every file keyed by it (saved
agents, traffic policies). ``AUTOINCREMENT`` keeps a high-water mark in ``sqlite_sequence``.
SQLite cannot add it in place: ``users`` is rebuilt with the documented 12-step procedure. With
``PRAGMA foreign_keys=ON`` (core.db.engine) dropping the old table would cascade-delete every
child row (classes, enrolments, events, sessions, faces, jobs), and that pragma is silently
ignored inside a transaction, so the rebuild commits, turns foreign keys off, rebuilds in its own
transaction, checks the keys and turns them back on. PostgreSQL's SERIAL never reuses ids: the
rebuild is skipped there.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-14
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
USER_COLUMNS = (
    "id, username, display_name, password_hash, role, language, is_disabled, failed_logins, "
    "locked_until, created_at"
)


def _users_table(name: str, autoincrement: bool) -> sa.Table:
    """The users table exactly as 0001 made it, optionally with SQLite AUTOINCREMENT."""
    return sa.Table(
        name,
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(40), nullable=False, unique=True),
        sa.Column("display_name", sa.String(80), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("is_disabled", sa.Boolean, nullable=False),
        sa.Column("failed_logins", sa.Integer, nullable=False),
        sa.Column("locked_until", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint("role in ('student', 'teacher')", name="ck_users_role"),
        sqlite_autoincrement=autoincrement,
    )


def _rebuild_users_sqlite(autoincrement: bool) -> None:
    bind = op.get_bind()
    raw: Any = bind.connection.dbapi_connection  # pysqlite, isolation_level=None (engine.py)
    cur = raw.cursor()
    if raw.in_transaction:
        cur.execute("COMMIT")  # PRAGMA foreign_keys is a no-op inside a transaction
    cur.execute("PRAGMA foreign_keys=OFF")
    try:
        cur.execute("BEGIN IMMEDIATE")
        # Compile the CREATE TABLE with SQLAlchemy (same types/constraints as the models).
        ddl = str(sa.schema.CreateTable(_users_table("users_rebuild", autoincrement)).compile(bind))
        cur.execute(ddl)
        cur.execute(f"INSERT INTO users_rebuild ({USER_COLUMNS}) SELECT {USER_COLUMNS} FROM users")
        cur.execute("DROP TABLE users")
        cur.execute("ALTER TABLE users_rebuild RENAME TO users")
        if autoincrement:
            # Ids deleted before this migration are known only from the audit log: start above
            # them too, so not even the last deleted student's id comes back.
            cur.execute(
                "SELECT max(coalesce(m, 0)) FROM ("
                " SELECT max(id) AS m FROM users"
                " UNION ALL SELECT max(actor_id) FROM audit_log"
                " UNION ALL SELECT max(target_user_id) FROM audit_log)"
            )
            high = int(cur.fetchone()[0] or 0)
            cur.execute("DELETE FROM sqlite_sequence WHERE name = 'users'")
            cur.execute("INSERT INTO sqlite_sequence(name, seq) VALUES ('users', ?)", (high,))
        broken = cur.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"users rebuild broke foreign keys: {broken[:5]}")
        cur.execute("COMMIT")
    except BaseException:
        if raw.in_transaction:
            cur.execute("ROLLBACK")
        raise
    finally:
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("BEGIN")  # alembic records the new revision in the transaction it expects
        cur.close()


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_users_sqlite(autoincrement=True)
    op.create_table(
        "deletion_requests",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("requested_at", TS, nullable=False),
        sa.Column("resolved_at", TS, nullable=True),
        sa.Column(
            "resolved_by", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.CheckConstraint(
            "outcome is null or outcome in ('approved', 'rejected')",
            name="ck_deletion_requests_outcome",
        ),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("deletion_requests")
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_users_sqlite(autoincrement=False)
