from pathlib import Path

from sqlalchemy import text

from core.db import make_engine
from tests.migration_checks import check_up_down_up


def test_sqlite_migrations_from_empty(tmp_path: Path) -> None:
    check_up_down_up(f"sqlite:///{tmp_path / 'nested' / 'dir' / 'zerde.db'}")


def test_sqlite_pragmas_are_set(engine_url_pragmas: dict[str, object]) -> None:
    assert engine_url_pragmas == {
        "journal_mode": "wal",
        "synchronous": 2,  # FULL
        "foreign_keys": 1,
        "busy_timeout": 30000,
    }


def test_foreign_keys_are_enforced(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.connect() as conn:
        try:
            conn.execute(text("INSERT INTO enrolments(user_id, classroom_id) VALUES (99, 99)"))
            raise AssertionError("FK violation accepted")
        except Exception as exc:  # noqa: BLE001 - the driver's IntegrityError
            assert "FOREIGN KEY" in str(exc)
    engine.dispose()
