"""Item 20.4: the teacher's Disable/Enable button always shows the student's current state, and
a click always applies the state the button showed (a stale button can never invert it)."""

from __future__ import annotations

from streamlit.proto.WidgetStates_pb2 import WidgetStates

from core.accounts.audit import audit_entries
from core.accounts.classrooms import roster
from core.i18n import t
from tests.app.conftest import Seed, app_as, assert_clean


def _disabled(seed: Seed) -> bool:
    (student,) = roster(seed.teacher, seed.room.id)
    return student.is_disabled


def _toggle_key(seed: Seed, target: str) -> str:
    return f"student_{seed.student.user_id}_toggle_{target}"


def test_one_click_shows_enable_at_once_and_enable_enables(seed: Seed) -> None:
    at = app_as(seed.teacher, "en")
    at.switch_page("app_pages/teacher_classes.py").run()
    button = at.button(key=_toggle_key(seed, "disable"))
    assert button.label == t("teacher.disable", "en")
    button.click().run()  # one run, no extra at.run()
    assert_clean(at)
    assert _disabled(seed)
    assert at.button(key=_toggle_key(seed, "enable")).label == t("teacher.enable", "en")
    at.button(key=_toggle_key(seed, "enable")).click().run()
    assert_clean(at)
    assert not _disabled(seed)
    assert at.button(key=_toggle_key(seed, "disable")).label == t("teacher.disable", "en")


def test_a_stale_second_click_does_not_flip_the_student_back(seed: Seed) -> None:
    at = app_as(seed.teacher, "en")
    at.switch_page("app_pages/teacher_classes.py").run()
    stale = at.button(key=_toggle_key(seed, "disable"))
    stale.click().run()
    assert _disabled(seed)
    # the browser sends the same click again (double click, or a click racing the rerun)
    states = WidgetStates()
    states.widgets.append(stale._widget_state)
    at._run(states)
    assert_clean(at)
    assert _disabled(seed), "a stale Disable click enabled the student again"
    assert at.button(key=_toggle_key(seed, "enable")).label == t("teacher.enable", "en")
    actions = [e.action for e in audit_entries(seed.teacher)]
    assert actions.count("enable") == 0
