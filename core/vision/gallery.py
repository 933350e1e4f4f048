"""The enrolled-face gallery: a learner's own enrolments, stored as embeddings (128 numbers)
rather than photos, listed and deletable by the learner. Nothing else from a camera is kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt
from sqlalchemy import Engine, delete, select

from core.accounts.actor import Actor
from core.db.models import FaceEnrolment
from core.db.session import read_session, write_session
from core.telemetry.repository import scrub_sqlite, zero_on_delete

MODEL = "Dlib"
MAX_PER_USER = 50
NAME_LENGTH = 80


class GalleryError(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Enrolled:
    id: int
    name: str
    created_at: datetime
    embedding: npt.NDArray[np.float32]


def enrol(
    actor: Actor, name: str, embedding: npt.NDArray[np.float32], engine: Engine | None = None
) -> int:
    clean = " ".join(name.split())
    if not clean:
        raise GalleryError("empty_name")
    if len(clean) > NAME_LENGTH:
        raise GalleryError("long_name")
    vector = np.asarray(embedding, dtype=np.float64)
    if vector.shape != (128,) or not np.isfinite(vector).all():
        raise GalleryError("bad_embedding")
    with write_session(engine) as s:
        count = len(
            s.scalars(select(FaceEnrolment.id).where(FaceEnrolment.user_id == actor.user_id)).all()
        )
        if count >= MAX_PER_USER:
            raise GalleryError("full")
        row = FaceEnrolment(
            user_id=actor.user_id,
            name=clean,
            model=MODEL,
            embedding=[round(float(v), 6) for v in vector],
            created_at=datetime.now(UTC),
        )
        s.add(row)
        s.flush()
        return int(row.id)


def enrolled(actor: Actor, engine: Engine | None = None) -> list[Enrolled]:
    with read_session(engine) as s:
        rows = s.scalars(
            select(FaceEnrolment)
            .where(FaceEnrolment.user_id == actor.user_id, FaceEnrolment.model == MODEL)
            .order_by(FaceEnrolment.id)
        ).all()
    return [
        Enrolled(r.id, r.name, r.created_at, np.asarray(r.embedding, dtype=np.float32))
        for r in rows
    ]


def forget(actor: Actor, enrolment_id: int | None = None, engine: Engine | None = None) -> int:
    """Delete one enrolment, or all of the learner's when ``enrolment_id`` is None."""
    with write_session(engine) as s:
        zero_on_delete(s)
        query = delete(FaceEnrolment).where(FaceEnrolment.user_id == actor.user_id)
        if enrolment_id is not None:
            query = query.where(FaceEnrolment.id == enrolment_id)
        removed = int(s.execute(query).rowcount)  # type: ignore[attr-defined]
    if removed:
        scrub_sqlite(engine)  # the label must not linger in zerde.db-wal
    return removed
