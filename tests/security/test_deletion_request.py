"""A student asks for their data to be deleted and their teacher confirms (issue 20, item 3), as
in Moodle's data requests: core rules first, then the two pages (AppTest)."""

from __future__ import annotations

import pytest

from core.accounts import AccountError, PermissionDenied
from core.accounts.audit import audit_entries
from core.accounts.data_requests import (
    my_latest_request,
    pending_requests,
    request_deletion,
    resolve_request,
)
from core.learner_files import learner_paths
from core.telemetry import load_events
from core.vision import gallery
from tests import factories as f
from tests.app.conftest import Seed, app_as, assert_clean
from tests.security.privacy_fixtures import give_artefacts


def test_request_then_approve_runs_the_full_deletion(seed: Seed) -> None:
    give_artefacts(seed.student)
    first = request_deletion(seed.student)
    assert request_deletion(seed.student).id == first.id  # asking twice is one request
    [pending] = pending_requests(seed.teacher)
    assert pending.username == "bolat" and pending.classroom_name == seed.room.name

    n = resolve_request(seed.teacher, pending.id, approve=True)

    assert n == 3  # the seed's two answers and the artefacts' one
    assert load_events(seed.student).empty
    assert gallery.enrolled(seed.student) == []
    assert not any(p.exists() for p in learner_paths(seed.student.user_id))
    assert pending_requests(seed.teacher) == []
    latest = my_latest_request(seed.student)
    assert latest is not None and latest.outcome == "approved"
    actions = [e.action for e in audit_entries(seed.teacher)]
    assert actions[:2] == ["delete_student_data", "deletion_request_approved"]
    with pytest.raises(AccountError):
        resolve_request(seed.teacher, pending.id, approve=True)  # handled once only


def test_reject_keeps_the_data(seed: Seed) -> None:
    request = request_deletion(seed.student)
    assert resolve_request(seed.teacher, request.id, approve=False) == 0
    assert len(load_events(seed.student)) == 2
    latest = my_latest_request(seed.student)
    assert latest is not None and latest.outcome == "rejected"
    assert request_deletion(seed.student).id != request.id  # the student may ask again
    assert audit_entries(seed.teacher)[0].action == "deletion_request_rejected"


def test_only_the_students_own_teacher_resolves(seed: Seed) -> None:
    other = f.teacher("dana_t", first=False, by=seed.teacher)
    request = request_deletion(seed.student)
    assert pending_requests(other) == []
    with pytest.raises(PermissionDenied):
        resolve_request(other, request.id, approve=True)
    with pytest.raises(PermissionDenied):
        resolve_request(seed.student, request.id, approve=True)
    with pytest.raises(PermissionDenied):
        request_deletion(seed.teacher)  # teachers have no request to make here
    assert len(load_events(seed.student)) == 2


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_student_asks_in_my_progress_and_teacher_approves_in_classes(seed: Seed, lang: str) -> None:
    mine = app_as(seed.student, lang)
    mine.switch_page("app_pages/my_progress.py").run()
    assert_clean(mine)
    assert mine.button(key="privacy_request").disabled  # not before the confirmation
    mine.checkbox(key="privacy_sure").check().run()
    mine.button(key="privacy_request").click().run()
    assert_clean(mine)
    assert my_latest_request(seed.student) is not None
    assert not [b for b in mine.button if b.key == "privacy_request"]  # now waiting

    teacher = app_as(seed.teacher, lang)
    teacher.switch_page("app_pages/teacher_classes.py").run()
    assert_clean(teacher)
    [pending] = pending_requests(seed.teacher)
    key = f"deletion_{pending.id}"
    assert teacher.button(key=f"{key}_approve").disabled
    teacher.checkbox(key=f"{key}_checked").check().run()
    teacher.button(key=f"{key}_approve").click().run()
    assert_clean(teacher)
    assert load_events(seed.student).empty
    assert pending_requests(seed.teacher) == []
    assert not [b for b in teacher.button if b.key == f"{key}_approve"]
