"""Deleting a student's data removes every per-learner artefact: the data folder is listed
before and after, and nothing keyed by the student may remain (issue 20, item 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.blockchain.chain import learner_dir
from core.db.models import FaceEnrolment, Job
from core.db.session import read_session
from core.learner_files import chain_dir, learner_paths, rl_agents_dir, traffic_dir
from core.rl.agents import AgentStore
from core.telemetry import delete_student_data
from core.traffic.rl import policy_folder
from tests import factories as f
from tests.security.privacy_fixtures import data_files, give_artefacts


def _rows(model: type, column: object, user_id: int) -> int:
    with read_session() as s:
        return int(s.scalar(select(func.count()).select_from(model).where(column == user_id)))


@pytest.mark.parametrize("with_account", [False, True])
def test_deleting_a_student_removes_every_file_and_row(
    db_url: str, tmp_path: Path, with_account: bool
) -> None:
    teacher = f.teacher()
    room = f.classroom(teacher)
    bolat, dana = f.student(room, "bolat"), f.student(room, "dana")
    give_artefacts(bolat)
    give_artefacts(dana, label="Dana")
    before = data_files(tmp_path)
    mine = {p for p in before if f"/{bolat.user_id}/" in p or f"user-{bolat.user_id}/" in p}
    assert {p.split("/")[0] for p in mine} == {"chains", "rl_agents", "traffic"}, before

    delete_student_data(teacher, bolat.user_id, delete_account=with_account)

    assert data_files(tmp_path) == before - mine  # the classmate's files are all still there
    assert not any(p.exists() for p in learner_paths(bolat.user_id))
    assert _rows(FaceEnrolment, FaceEnrolment.user_id, bolat.user_id) == 0
    assert _rows(Job, Job.owner_id, bolat.user_id) == 0
    assert _rows(FaceEnrolment, FaceEnrolment.user_id, dana.user_id) == 1
    assert AgentStore(dana.user_id).list()


def test_modules_build_their_folders_through_learner_files(tmp_path: Path) -> None:
    """One storage API: a module building its own path would escape deletion."""
    assert learner_dir(5, tmp_path) == chain_dir(5, tmp_path)
    assert AgentStore(5).folder == rl_agents_dir(5)
    assert policy_folder(5) == traffic_dir(5)


@pytest.mark.parametrize("bad", [0, -1, True, 1.5])
def test_learner_paths_refuse_non_ids(bad: object) -> None:
    with pytest.raises(ValueError):
        learner_paths(bad)  # type: ignore[arg-type]
