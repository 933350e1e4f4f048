"""The teacher's audit trail reads as words in the teacher's language and clock: names instead of
bare ids, no raw dicts or "None" (issue 19, item 13); the dashboard's date pickers show the
reader's date order."""

from __future__ import annotations

import pytest

from core.analytics.demo import load_demo_class
from core.config import LANGUAGES
from core.i18n import t
from core.locale import date_input_format
from core.telemetry import Recorder, delete_student_data
from tests import factories as f
from tests.app.conftest import Seed, app_as, assert_clean


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_audit_trail_names_students_and_classes(seed: Seed, lang: str) -> None:
    load_demo_class(seed.teacher, "Demo 7B", n_students=4, seed=2)
    kept = f.student(seed.room, "dana")
    gone = f.student(seed.room, "erlan")
    for student in (kept, kept, gone):
        Recorder().record(student, f.event(student))
    delete_student_data(seed.teacher, kept.user_id)
    delete_student_data(seed.teacher, gone.user_id, delete_account=True)

    at = app_as(seed.teacher, lang)
    at.switch_page("app_pages/teacher_classes.py").run()
    assert_clean(at)
    expander = next(e for e in at.expander if e.label == t("teacher.audit_title", lang))
    table = expander.dataframe[0].value
    target = table[t("teacher.col_target", lang)].tolist()
    details = table[t("teacher.col_details", lang)].tolist()
    assert target[:2] == [t("audit_detail.target_gone", lang), "Dana"]
    assert details[0] == " · ".join(
        [t("audit_detail.events_deleted", lang, n=1), t("audit_detail.account_deleted", lang)]
    )
    assert details[1].startswith(t("audit_detail.events_deleted", lang, n=2))
    assert details[-1].startswith(t("audit_detail.classroom", lang, name="Demo 7B"))
    shown = " ".join(map(str, table.to_numpy().ravel()))
    assert not any(raw in shown for raw in ("{", "None", "nan", "_id", "UTC"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_dashboard_dates_in_the_readers_order(seed: Seed, lang: str) -> None:
    at = app_as(seed.teacher, lang)
    at.switch_page("app_pages/teacher_dashboard.py").run()
    assert_clean(at)
    picker = at.date_input(key="dashboard_since")
    assert picker.proto.format == date_input_format(lang)
