"""Settings read from the environment, so one code base serves a laptop and a district."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

LANGUAGES: tuple[str, ...] = ("kk", "ru", "en")


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from exc


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    default_language: str
    max_failed_logins: int
    lockout_minutes: int
    session_hours: int

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_settings() -> Settings:
    """Read settings fresh each call: tests and benchmarks switch databases via env vars."""
    data_dir = Path(os.environ.get("ZERDE_DATA_DIR", "data")).resolve()
    url = os.environ.get("ZERDE_DATABASE_URL") or f"sqlite:///{data_dir / 'zerde.db'}"
    lang = os.environ.get("ZERDE_DEFAULT_LANGUAGE", "kk")
    if lang not in LANGUAGES:
        raise ValueError(f"ZERDE_DEFAULT_LANGUAGE must be one of {LANGUAGES}, got {lang!r}")
    return Settings(
        data_dir=data_dir,
        database_url=url,
        default_language=lang,
        max_failed_logins=_int("ZERDE_MAX_FAILED_LOGINS", 5),
        lockout_minutes=_int("ZERDE_LOCKOUT_MINUTES", 15),
        session_hours=_int("ZERDE_SESSION_HOURS", 12),
    )
