"""A deleted student's id never goes to the next registration (SQLite reused the highest deleted
id, and the newcomer saw "My saved agents (1)" from someone else: issue 20, item 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.accounts.data_requests import request_deletion, resolve_request
from core.db import upgrade_to_head
from core.learner_files import learner_paths
from core.rl.agents import AgentStore
from core.telemetry import delete_student_data, load_events
from core.telemetry.export import full_export
from core.vision import gallery
from tests import factories as f
from tests.integration.conftest import pg_url  # noqa: F401 - the PostgreSQL fixture
from tests.security.privacy_fixtures import give_artefacts


def test_a_new_student_never_gets_a_deleted_students_id(db_url: str) -> None:
    teacher = f.teacher()
    room = f.classroom(teacher)
    bolat = f.student(room, "bolat")  # the highest id: the one SQLite would hand out again
    give_artefacts(bolat)
    delete_student_data(teacher, bolat.user_id, delete_account=True)

    dana = f.student(room, "dana")

    assert dana.user_id > bolat.user_id
    assert AgentStore(dana.user_id).list() == []
    assert not any(p.exists() for p in learner_paths(dana.user_id))
    assert gallery.enrolled(dana) == []
    assert load_events(dana).empty
    export = full_export(dana, dana.user_id)
    assert export.faces == [] and export.files == [] and export.blockchain is None
    assert export.jobs == []


def test_ids_are_not_reused_even_if_files_survive(db_url: str) -> None:
    """Belt and braces: even a folder left behind (a crash mid-deletion, a file restored from a
    backup) cannot reach a newcomer, because the id itself is never handed out again."""
    teacher = f.teacher()
    room = f.classroom(teacher)
    ids = []
    for name in ("aruzhan", "bolat", "dana"):
        student = f.student(room, name)
        ids.append(student.user_id)
        delete_student_data(teacher, student.user_id, delete_account=True)
    assert f.student(room, "erlan").user_id > max(ids)


@pytest.mark.postgres
def test_postgres_deletion_and_requests(
    pg_url: str,  # noqa: F811 - the fixture imported above
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same deletion, export and request flow on PostgreSQL, where the SQLite-only steps
    (AUTOINCREMENT rebuild, secure_delete, WAL checkpoint) are skipped."""
    monkeypatch.setenv("ZERDE_DATA_DIR", str(tmp_path))
    upgrade_to_head(pg_url)
    teacher = f.teacher()
    room = f.classroom(teacher)
    bolat = f.student(room, "bolat")
    give_artefacts(bolat)
    assert full_export(bolat, bolat.user_id).faces
    request = request_deletion(bolat)
    resolve_request(teacher, request.id, approve=True, delete_account=True)
    assert not any(p.exists() for p in learner_paths(bolat.user_id))
    assert f.student(room, "dana").user_id > bolat.user_id
