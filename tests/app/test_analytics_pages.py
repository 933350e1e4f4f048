"""The dashboard and My progress with a simulated class, in every language."""

from __future__ import annotations

import pytest

from core.accounts.audit import audit_entries
from core.accounts.classrooms import list_classrooms, roster
from core.analytics.demo import load_demo_class
from core.config import LANGUAGES
from core.i18n import t
from core.telemetry import Recorder
from tests import factories as f
from tests.app.conftest import Seed, app_as, assert_clean


def test_teacher_loads_the_demo_class_from_the_dashboard(seed: Seed) -> None:
    at = app_as(seed.teacher, "en")
    at.switch_page("app_pages/teacher_dashboard.py").run()
    at.button(key="load_demo").click().run()
    assert_clean(at)
    demo = [c for c in list_classrooms(seed.teacher) if c.name == t("dashboard.demo_name", "en")]
    assert len(demo) == 1 and demo[0].n_students == 24
    assert at.selectbox(key="dashboard_class").value == demo[0].id
    assert [tab.label for tab in at.tabs] == [
        t("dashboard.tab_class", "en"), t("dashboard.tab_students", "en"),
        t("dashboard.tab_quest", "en"), t("dashboard.tab_export", "en"),
    ]  # fmt: skip
    assert at.metric[0].value == "24"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_drill_down_into_a_student_is_audited_once(seed: Seed, lang: str) -> None:
    room = load_demo_class(seed.teacher, "Demo", n_students=12, seed=4)
    at = app_as(seed.teacher, lang)
    at.switch_page("app_pages/teacher_dashboard.py").run()
    at.selectbox(key="dashboard_class").set_value(room.id).run()
    student = roster(seed.teacher, room.id)[3]
    at.selectbox(key="dashboard_student").set_value(student.user_id).run()
    assert_clean(at)
    summary = at.info[0].value
    assert student.display_name in summary
    at.selectbox(key="heatmap_sort").set_value("mean").run()  # another rerun, same student open
    assert_clean(at)
    views = [e for e in audit_entries(seed.teacher) if e.action == "view_student"]
    assert [(e.target_user_id, e.details["classroom_id"]) for e in views] == [
        (student.user_id, room.id)
    ]


def test_date_range_that_excludes_everything(seed: Seed) -> None:
    load_demo_class(seed.teacher, "Demo", n_students=6, seed=2)
    at = app_as(seed.teacher, "ru")
    at.switch_page("app_pages/teacher_dashboard.py").run()
    import datetime as dt

    at.date_input(key="dashboard_until").set_value(dt.date(2020, 1, 1)).run()
    assert_clean(at)
    assert at.info[0].value == t("dashboard.no_events", "ru")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_my_progress_shows_mastery_xp_and_next_steps(seed: Seed, lang: str) -> None:
    student = seed.student
    events = [
        f.event(student, skill="chain.hashing", item_id=f"h{i}", correct=True, error_type=None)
        for i in range(6)
    ] + [f.event(student, skill="chain.signatures", item_id=f"s{i}") for i in range(4)]
    Recorder().record_many(student, events)
    at = app_as(student, lang)
    at.switch_page("app_pages/my_progress.py").run()
    assert_clean(at)
    values = {m.label: m.value for m in at.metric}
    # 1 seeded right answer + 6 right first tries, 10 XP each
    assert values[t("progress.xp", lang)] == "70"
    assert at.subheader[1].value == t("progress.next_title", lang)
