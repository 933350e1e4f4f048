"""Accounts: an administrator flag and a table of failed sign-ins.

``is_admin`` is a flag beside ``role`` rather than a third role value: every check that asks "is
this a teacher?" keeps working for the administrator (who is a teacher with extra rights), and
the ``ck_users_role`` CHECK constraint stays as it is. Both changes are additive: ``ADD COLUMN``
and ``CREATE TABLE`` need no rebuild of ``users``, so with ``PRAGMA foreign_keys=ON`` no row that
references a user (classes, enrolments, events, sessions) is touched. On an existing install the
lowest-id teacher (the first one created) becomes the administrator.

``sign_in_failures`` holds one row per failed sign-in, counted per typed username (whether or not
the account exists, so the answers do not reveal which usernames are real) and per client
address. It lives in the database because several Streamlit processes share the sign-in load.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-14
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.add_column(
        "users", sa.Column("is_admin", sa.Boolean, nullable=False, server_default=sa.false())
    )
    op.execute(
        "UPDATE users SET is_admin = true WHERE id = "
        "(SELECT min(id) FROM users WHERE role = 'teacher')"
    )
    op.create_table(
        "sign_in_failures",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("scope", sa.String(8), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("locks", sa.Boolean, nullable=False),
    )
    op.create_index("ix_sign_in_failures_scope_key_at", "sign_in_failures", ["scope", "key", "at"])
    op.create_index("ix_sign_in_failures_at", "sign_in_failures", ["at"])


def downgrade() -> None:
    op.drop_table("sign_in_failures")
    # A plain DROP COLUMN (SQLite >= 3.35), not a batch rebuild: rebuilding ``users`` with foreign
    # keys on would cascade-delete every row that references a user.
    op.drop_column("users", "is_admin")
