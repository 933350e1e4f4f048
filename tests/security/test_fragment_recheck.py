"""Item 20.9: a fragment rerun runs only the fragment (not app.py, not the page's require_*), so
every fragment re-checks the sign-in itself, and the telemetry write refuses a disabled account
whatever the page did (defence in depth)."""

from __future__ import annotations

from unittest import mock

import pytest
from streamlit.runtime.scriptrunner_utils.script_requests import RerunData
from streamlit.testing.v1 import AppTest

from core.accounts import AccountError
from core.accounts.classrooms import set_disabled
from core.blockchain.hashing import search
from core.blockchain.progress import ACTIVITY
from core.i18n import t
from core.telemetry import Recorder, load_events, record
from tests import factories as f
from tests.app.conftest import Seed, app_as

PAGE = "app_pages/blockchain_game.py"


def _fragment_id(at: AppTest, name: str) -> str:
    """The id under which Streamlit stored the fragment whose function is called `name`."""
    for fragment_id, wrapper in at._fragment_storage._fragments.items():
        cells = [c.cell_contents for c in wrapper.__closure__ or ()]
        if any(getattr(v, "__qualname__", None) == name for v in cells):
            return fragment_id
    raise AssertionError(f"no fragment {name}")


def _rerun_fragment(at: AppTest, fragment_id: str) -> AppTest:
    """What the browser asks for when a widget inside a fragment changes: a rerun of only that
    fragment, with the current widget states."""

    def fragment_rerun(**kwargs: object) -> RerunData:
        return RerunData(**kwargs, fragment_id_queue=[fragment_id])  # type: ignore[arg-type]

    target = "streamlit.testing.v1.local_script_runner.RerunData"
    with mock.patch(target, fragment_rerun):
        return at._run(at._tree.get_widget_states())


def _quest_answers(seed: Seed) -> int:
    events = load_events(seed.teacher, [seed.student.user_id])
    return int((events["activity"] == ACTIVITY).sum())


def test_a_disabled_student_cannot_answer_through_an_open_fragment(seed: Seed) -> None:
    at = app_as(seed.student, "en")
    at.switch_page(PAGE).run()
    prefix = _fragment_id(at, "_prefix")
    at.text_input(key="bcq_l1_prefix_text").set_value("Bolat")
    at.button(key="bcq_find_prefix_check").click()
    _rerun_fragment(at, prefix)  # the fragment works while the student is enabled
    assert _quest_answers(seed) == 1

    set_disabled(seed.teacher, seed.student.user_id, True)  # the teacher disables the student
    at.text_input(key="bcq_l1_prefix_text").set_value(search("Bolat", "00"))
    at.button(key="bcq_find_prefix_check").click()
    _rerun_fragment(at, prefix)
    assert not at.exception, [e.value for e in at.exception]
    assert _quest_answers(seed) == 1, "the disabled student's answer was stored"
    assert t("login.session_ended", "en") in [w.value for w in at.warning]


def test_a_revoked_session_ends_inside_a_polling_fragment(seed: Seed) -> None:
    """Logging out in another tab revokes the token: the open fragment stops on its next run."""
    from core.accounts.service import logout

    at = app_as(seed.student, "en")
    at.switch_page(PAGE).run()
    prefix = _fragment_id(at, "_prefix")
    logout(at.session_state["zerde_token"])
    at.text_input(key="bcq_l1_prefix_text").set_value("Bolat")
    at.button(key="bcq_find_prefix_check").click()
    _rerun_fragment(at, prefix)
    assert _quest_answers(seed) == 0
    assert t("login.session_ended", "en") in [w.value for w in at.warning]


def test_the_recorder_refuses_a_disabled_account(seed: Seed) -> None:
    set_disabled(seed.teacher, seed.student.user_id, True)
    before = len(load_events(seed.teacher, [seed.student.user_id]))
    with pytest.raises(AccountError) as refused:
        record(seed.student, f.event(seed.student, item_id="late"))
    assert refused.value.key == "errors.account_disabled"
    with pytest.raises(AccountError):
        Recorder().record_many(seed.student, [f.event(seed.student, item_id="late2")])
    assert len(load_events(seed.teacher, [seed.student.user_id])) == before
    set_disabled(seed.teacher, seed.student.user_id, False)
    record(seed.student, f.event(seed.student, item_id="back"))  # enabled again: recorded
    assert len(load_events(seed.teacher, [seed.student.user_id])) == before + 1
