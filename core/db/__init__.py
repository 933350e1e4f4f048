"""Database: SQLAlchemy 2 models, engine with safe SQLite pragmas, Alembic migrations."""

from core.db.engine import get_engine, make_engine, reset_engines
from core.db.migrate import upgrade_to_head

__all__ = ["get_engine", "make_engine", "reset_engines", "upgrade_to_head"]
