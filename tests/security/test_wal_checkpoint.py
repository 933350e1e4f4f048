"""After a deletion the deleted name and face label are not readable in zerde.db-wal or in
zerde.db itself: the WAL is checkpointed and truncated, and freed cells are zeroed
(PRAGMA secure_delete). Before, both still sat in the -wal file (issue 20, item 3)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import event

from core.accounts.service import register_student
from core.db import get_engine
from core.telemetry import delete_student_data
from core.vision import gallery
from tests import factories as f

NAME = "Zhanargul-Qwertyuiop"
LABEL = "Face-Label-Xylophonic"


def _bytes(tmp_path: Path) -> bytes:
    return b"".join(
        p.read_bytes() for p in (tmp_path / "zerde.db", tmp_path / "zerde.db-wal") if p.exists()
    )


@pytest.mark.parametrize("with_account", [False, True])
def test_deleted_name_and_face_label_leave_the_database_files(
    db_url: str, tmp_path: Path, with_account: bool
) -> None:
    # Debian's SQLite is built with SECURE_DELETE on; Python's own builds for Windows and macOS
    # are not. Turn it off on every pooled connection, as there, so the test shows that the
    # deletion itself asks for zeroed pages.
    engine = get_engine()
    event.listen(engine, "connect", lambda conn, _record: conn.execute("PRAGMA secure_delete=OFF"))
    engine.dispose()
    teacher = f.teacher()
    room = f.classroom(teacher)
    student = register_student(room.join_code, "zhanargul", NAME, f.PASSWORD, "kk")
    f.student(room, "dana")  # a classmate whose rows share the pages
    gallery.enrol(student, LABEL, np.ones(128, dtype=np.float32))
    assert LABEL.encode() in _bytes(tmp_path) and NAME.encode() in _bytes(tmp_path)

    delete_student_data(teacher, student.user_id, delete_account=with_account)

    wal = tmp_path / "zerde.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    assert LABEL.encode() not in _bytes(tmp_path)
    assert (NAME.encode() in _bytes(tmp_path)) is not with_account  # the account keeps its name


def test_a_face_the_learner_forgets_leaves_the_database_files(db_url: str, tmp_path: Path) -> None:
    """The learner's own "forget this face" in the vision gallery scrubs the label too."""
    engine = get_engine()
    event.listen(engine, "connect", lambda conn, _record: conn.execute("PRAGMA secure_delete=OFF"))
    engine.dispose()
    student = f.student(f.classroom(f.teacher()), "zhanargul")
    gallery.enrol(student, LABEL, np.ones(128, dtype=np.float32))
    gallery.enrol(student, "Kept-Label-Quartzite", np.zeros(128, dtype=np.float32))
    forgotten = next(e for e in gallery.enrolled(student) if e.name == LABEL)
    assert gallery.forget(student, forgotten.id) == 1
    assert LABEL.encode() not in _bytes(tmp_path)
    assert b"Kept-Label-Quartzite" in _bytes(tmp_path)
