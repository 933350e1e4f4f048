"""Alembic environment: URL comes from the Config built in core.db.migrate."""

from __future__ import annotations

from alembic import context

from core.db.engine import make_engine
from core.db.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url")
assert url, "core.db.migrate sets sqlalchemy.url"

engine = make_engine(url)
try:
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
finally:
    engine.dispose()
