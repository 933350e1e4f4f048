"""Every page renders without exception in kk, ru and en, for each role that may see it."""

from __future__ import annotations

import pytest

from core.config import LANGUAGES
from core.i18n import t
from tests.app.conftest import Seed, app_as, assert_clean

STUDENT_PAGES = {
    "app_pages/home.py": "home.welcome",
    "app_pages/onboarding.py": "onboarding.title",
    "app_pages/my_progress.py": "progress.title",
}
TEACHER_PAGES = {
    **STUDENT_PAGES,
    "app_pages/teacher_dashboard.py": "dashboard.title",
    "app_pages/teacher_classes.py": "teacher.classes_title",
}


def _title(page_key: str, lang: str, name: str) -> str:
    return t(page_key, lang, name=name)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_login_page_first_run(db_url: str, lang: str) -> None:
    at = app_as(None, lang)
    assert_clean(at)
    assert at.title[0].value == t("login.title", lang)
    assert at.info[0].value == t("login.first_run", lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_login_page_with_tabs(seed: Seed, lang: str) -> None:
    at = app_as(None, lang)
    assert_clean(at)
    assert [tab.label for tab in at.tabs] == [
        t("login.tab_sign_in", lang),
        t("login.tab_join", lang),
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", sorted(STUDENT_PAGES))
def test_student_pages(seed: Seed, lang: str, page: str) -> None:
    at = app_as(seed.student, lang)
    at.switch_page(page).run()
    assert_clean(at)
    assert at.title[0].value == _title(STUDENT_PAGES[page], lang, seed.student.display_name)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", sorted(TEACHER_PAGES))
def test_teacher_pages(seed: Seed, lang: str, page: str) -> None:
    at = app_as(seed.teacher, lang)
    at.switch_page(page).run()
    assert_clean(at)
    assert at.title[0].value == _title(TEACHER_PAGES[page], lang, seed.teacher.display_name)


@pytest.mark.parametrize("page", ["app_pages/teacher_classes.py", "app_pages/teacher_dashboard.py"])
def test_teacher_pages_refuse_students_who_reach_them_by_url(seed: Seed, page: str) -> None:
    at = app_as(seed.student, "en")
    at.switch_page(page).run()
    assert not at.exception
    assert [e.value for e in at.error] == [t("errors.permission_denied", "en")]
    assert seed.room.join_code not in str(at._tree)
    assert not at.title


@pytest.mark.parametrize("page", ["app_pages/home.py", "app_pages/my_progress.py"])
def test_anonymous_deep_link_goes_to_login(seed: Seed, page: str) -> None:
    at = app_as(None, "en")
    at.switch_page(page).run()
    assert not at.exception
    assert at.title[0].value == t("login.title", "en")
