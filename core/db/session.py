"""Unit-of-work helpers: one short transaction per call, writers flagged for BEGIN IMMEDIATE."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.db.engine import get_engine, write_lock


@contextmanager
def read_session(engine: Engine | None = None) -> Iterator[Session]:
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        yield session


@contextmanager
def write_session(engine: Engine | None = None) -> Iterator[Session]:
    base = engine or get_engine()
    eng = base.execution_options(zerde_write=True)
    with write_lock(base), Session(eng, expire_on_commit=False) as session, session.begin():
        yield session
