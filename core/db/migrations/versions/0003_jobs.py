"""Jobs: background trainings run by worker processes; progress and results live here so every
web process (and a page reloaded later) sees the same job.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("owner_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE")),
        sa.Column("slot", sa.String(80), nullable=False),
        sa.Column("label", sa.String(80), nullable=False),
        sa.Column("fn", sa.String(200), nullable=False),
        sa.Column("args", sa.LargeBinary, nullable=False),
        sa.Column("meta", sa.LargeBinary),
        sa.Column("priority", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("progress", sa.Float, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updates", sa.LargeBinary),
        sa.Column("result", sa.LargeBinary),
        sa.Column("error", sa.String(500)),
        sa.Column("stop_requested", sa.Boolean, nullable=False),
        sa.Column("session", sa.String(64)),
        sa.Column("worker", sa.String(80)),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("started_at", sa.Float),
        sa.Column("ended_at", sa.Float),
        sa.Column("heartbeat_at", sa.Float),
        sa.CheckConstraint(
            "status in ('held', 'queued', 'running', 'done', 'failed', 'stopped')",
            name="ck_jobs_status",
        ),
    )
    op.create_index("ix_jobs_owner_slot", "jobs", ["owner_id", "slot"])
    op.create_index("ix_jobs_status_priority", "jobs", ["status", "priority", "created_at"])


def downgrade() -> None:
    op.drop_table("jobs")
