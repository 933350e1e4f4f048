"""Interactions through the widgets: first run, registration errors, quiz telemetry, logout,
disabling, language switch and the teacher's class management."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from core.accounts.classrooms import set_disabled
from core.accounts.service import login, resume
from core.blockchain.chain import LearnerChain, learner_dir
from core.blockchain.progress import ACTIVITY
from core.blockchain.quests import LEVELS, TASKS
from core.db.models import User
from core.db.session import read_session
from core.i18n import t
from core.quiz import load_quiz
from core.rewards import XP_FIRST_TRY, rewards
from core.telemetry import load_events, record
from tests import factories as f
from tests.app.conftest import Seed, app_as, assert_clean


def _submit(at: AppTest, form: str, label_key: str, lang: str = "en") -> AppTest:
    at.button(key=f"FormSubmitter:{form}-{t(label_key, lang)}").click().run()
    return at.run()  # st.rerun() after a successful sign-in: let the app render the new state


def _fill(at: AppTest, **values: str) -> None:
    for key, value in values.items():
        at.text_input(key=key).input(value)


def _users() -> int:
    with read_session() as s:
        return s.scalar(select(func.count()).select_from(User)) or 0


def test_first_run_creates_the_teacher_and_signs_in(db_url: str) -> None:
    at = app_as(None, "ru")
    _fill(at, ft_username="aigerim", ft_name="Айгерим", ft_password=f.PASSWORD)
    _fill(at, ft_password2=f.PASSWORD)
    _submit(at, "first_teacher", "login.create_teacher", "ru")
    assert_clean(at)
    assert at.title[0].value == t("home.welcome", "ru", name="Айгерим")
    assert login("aigerim", f.PASSWORD).actor.language == "ru"


@pytest.mark.parametrize(
    ("values", "error_key"),
    [
        ({"jc_code": "NOPE2345"}, "errors.join_code_invalid"),
        ({"jc_password": "short", "jc_password2": "short"}, "errors.password_too_short"),
        ({"jc_password": "qwerty123", "jc_password2": "qwerty123"}, "errors.password_common"),
        ({"jc_name": "Б" * 61}, "errors.display_name_too_long"),
        ({"jc_name": "<img src=x onerror=alert(1)>"}, "errors.markup_not_allowed"),
        ({"jc_password2": "Different-2026-pass"}, "errors.passwords_differ"),
    ],
)
@pytest.mark.parametrize("lang", ["kk", "en"])
def test_bad_registration_shows_translated_error_and_keeps_input(
    seed: Seed, values: dict[str, str], error_key: str, lang: str
) -> None:
    before = _users()
    at = app_as(None, lang)
    form = {
        "jc_code": seed.room.join_code,
        "jc_username": "dana",
        "jc_name": "Dana",
        "jc_password": f.PASSWORD,
        "jc_password2": f.PASSWORD,
    }
    form.update(values)
    _fill(at, **form)
    at.button(key=f"FormSubmitter:join_class-{t('login.join', lang)}").click().run()
    assert not at.exception
    messages = [e.value for e in at.error]
    expected = t(error_key, lang, min=8, max=60)
    assert any(m.startswith(expected.split("{")[0][:20]) for m in messages), messages
    assert _users() == before
    assert at.text_input(key="jc_username").value == "dana"  # nothing the student typed is lost


def test_student_registers_with_join_code_and_lands_home(seed: Seed) -> None:
    at = app_as(None, "kk")
    _fill(at, jc_code=seed.room.join_code.lower(), jc_username="dana", jc_name="Дана")
    _fill(at, jc_password=f.PASSWORD, jc_password2=f.PASSWORD)
    _submit(at, "join_class", "login.join", "kk")
    assert_clean(at)
    assert at.title[0].value == t("home.welcome", "kk", name="Дана")


def test_wrong_password_then_lockout_message(seed: Seed) -> None:
    at = app_as(None, "en")
    for _ in range(5):
        _fill(at, si_username="bolat", si_password="not-the-password")
        at.button(key=f"FormSubmitter:sign_in-{t('login.sign_in', 'en')}").click().run()
    assert at.error[0].value == t("errors.account_locked", "en", minutes=15)


def test_quiz_records_attempts_error_types_hints_and_time(seed: Seed) -> None:
    student = seed.student
    at = app_as(student, "en")
    at.switch_page("app_pages/onboarding.py").run()
    item = load_quiz("onboarding")[0]
    prefix = f"quiz::onboarding::{item.id}"
    wrong = next(i for i in range(len(item.options)) if i != item.answer)
    at.button(key=f"{prefix}::hint").click().run()
    at.radio(key=f"{prefix}::choice").set_value(wrong).run()
    at.button(key=f"{prefix}::check").click().run()
    assert at.error[0].value == t("quiz.wrong", "en", attempt=2)
    at.radio(key=f"{prefix}::choice").set_value(item.answer).run()
    at.button(key=f"{prefix}::check").click().run()
    assert_clean(at)
    assert any(item.explanation["en"] in s.value for s in at.success)
    events = load_events(student)
    quiz = events[events["item_id"] == item.id].reset_index(drop=True)
    assert list(quiz["attempt"]) == [1, 2]
    assert list(quiz["correct"]) == [False, True]
    assert quiz.loc[0, "error_type"] == item.options[wrong].error_type
    assert pd.isna(quiz.loc[1, "error_type"])
    assert list(quiz["hints_used"]) == [1, 1]
    assert (quiz["decision_ms"] >= 0).all()
    assert set(quiz["classroom_id"]) == {seed.room.id}


def _quiz_summary(at: AppTest) -> str:
    return str(at.get("progress")[0].proto.text)


def test_quiz_attempts_and_solved_items_survive_signing_in_again(seed: Seed) -> None:
    """Regression: a new sign-in showed "0 of 4" and stored answers again as attempt 1."""
    student = seed.student
    first, second = load_quiz("onboarding")[:2]
    wrong = next(i for i in range(len(first.options)) if i != first.answer)
    at = app_as(student, "en")
    at.switch_page("app_pages/onboarding.py").run()
    one = f"quiz::onboarding::{first.id}"
    two = f"quiz::onboarding::{second.id}"
    at.radio(key=f"{one}::choice").set_value(wrong).run()
    at.button(key=f"{one}::check").click().run()
    at.radio(key=f"{two}::choice").set_value(second.answer).run()
    at.button(key=f"{two}::check").click().run()
    assert_clean(at)
    assert _quiz_summary(at) == t("onboarding.progress", "en", solved=1, total=4)

    again = app_as(student, "en")  # a new session: signed in again (or the page reloaded)
    again.switch_page("app_pages/onboarding.py").run()
    assert_clean(again)
    assert _quiz_summary(again) == t("onboarding.progress", "en", solved=1, total=4)
    assert again.button(key=f"{two}::check").disabled  # solved stays solved
    assert again.radio(key=f"{two}::choice").disabled
    assert any(s.value.startswith(t("quiz.solved_before", "en")) for s in again.success)
    again.radio(key=f"{one}::choice").set_value(wrong).run()
    again.button(key=f"{one}::check").click().run()
    assert again.error[0].value == t("quiz.wrong", "en", attempt=3)
    again.radio(key=f"{one}::choice").set_value(first.answer).run()
    again.button(key=f"{one}::check").click().run()
    assert_clean(again)
    assert _quiz_summary(again) == t("onboarding.progress", "en", solved=2, total=4)

    events = load_events(student)
    quiz = events[events["activity"] == "onboarding"]
    assert list(quiz.loc[quiz["item_id"] == first.id, "attempt"]) == [1, 2, 3]
    assert list(quiz.loc[quiz["item_id"] == second.id, "attempt"]) == [1]  # no duplicate


def test_my_progress_and_the_quest_show_the_same_xp_level_and_badges(seed: Seed) -> None:
    """Regression: for one student the quest showed 510 XP and 13 badges, My progress 225 XP and
    3 badges. Both now read the one ledger (core/rewards.py)."""
    student = seed.student  # the seed holds two onboarding answers, one of them right

    def answer(task: str, correct: bool, attempt: int = 1) -> None:
        error = None if correct else "picked_later_block"
        row = {"activity": ACTIVITY, "item_id": task, "skill": TASKS[task].skill}
        record(student, f.event(student, **row, correct=correct, error_type=error, attempt=attempt))

    for task in LEVELS[0].tasks:
        answer(task.id, True)
    answer("find_tampered", False)
    answer("find_tampered", True, 2)
    ledger = rewards(load_events(student))
    assert ledger.xp == LEVELS[0].xp + TASKS["find_tampered"].xp + XP_FIRST_TRY

    mine = app_as(student, "en")
    mine.switch_page("app_pages/my_progress.py").run()
    assert_clean(mine)
    shown = {m.label: m.value for m in mine.metric}
    assert shown[t("progress.xp", "en")] == str(ledger.xp)
    assert shown[t("progress.level", "en")] == str(ledger.level)
    assert shown[t("progress.badges", "en")] == str(len(ledger.badges))

    quest = app_as(student, "en")
    quest.switch_page("app_pages/blockchain_game.py").run()
    assert not quest.exception  # the page's own texts are checked in test_blockchain_game.py
    header = {m.label: m.value for m in quest.metric}
    assert header[t("quest.xp_total", "en")].split(" / ")[0] == shown[t("progress.xp", "en")]
    assert header[t("quest.badges", "en")] == shown[t("progress.badges", "en")]
    line = t("quest.results.rewards", "en", xp=ledger.xp, level=ledger.level, n=len(ledger.badges))
    assert any(line in m.value for m in quest.markdown)


def test_logout_ends_the_session(seed: Seed) -> None:
    at = app_as(seed.student, "en")
    token = at.session_state["zerde_token"]
    at.sidebar.button(key="logout").click().run()
    at.run()
    assert at.title[0].value == t("login.title", "en")
    assert resume(token) is None


def test_disabled_student_is_logged_out_on_next_rerun(seed: Seed) -> None:
    at = app_as(seed.student, "ru")
    assert at.title[0].value == t("home.welcome", "ru", name=seed.student.display_name)
    set_disabled(seed.teacher, seed.student.user_id, True)
    at.run()
    assert at.title[0].value == t("login.title", "ru")
    assert at.warning[0].value == t("login.session_ended", "ru")


def test_language_switch_is_remembered_for_the_user(seed: Seed) -> None:
    at = app_as(seed.student, "en")
    at.sidebar.selectbox(key="language_switch").set_value("kk").run()
    assert_clean(at)
    assert at.title[0].value == t("home.welcome", "kk", name=seed.student.display_name)
    assert login("bolat", f.PASSWORD).actor.language == "kk"
    fresh = AppTest.from_file(at._script_path, default_timeout=60)
    fresh.session_state["zerde_token"] = login("bolat", f.PASSWORD).token
    fresh.run()
    assert fresh.title[0].value == t("home.welcome", "kk", name=seed.student.display_name)


def test_teacher_creates_class_and_deletes_a_students_data(seed: Seed) -> None:
    at = app_as(seed.teacher, "en")
    at.switch_page("app_pages/teacher_classes.py").run()
    inputs = [w for w in at.text_input if w.label == t("teacher.class_name", "en")]
    inputs[0].input("10B informatics")
    at.button(key=f"FormSubmitter:new_class-{t('teacher.create_class', 'en')}").click().run()
    assert_clean(at)
    assert t("teacher.class_created", "en", name="10B informatics") in [s.value for s in at.success]
    assert len(at.code) == 2  # one join code per class
    key = f"student_{seed.student.user_id}"
    chain_dir = learner_dir(seed.student.user_id)
    assert LearnerChain.shared(chain_dir).send("me", "shop", 1).ok  # the student's quest chain
    at.text_input(key=f"{key}_confirm").input("wrong")
    at.button(key=f"{key}_delete").click().run()
    assert at.error[0].value == t("errors.confirm_mismatch", "en")
    assert len(load_events(seed.student)) == 2
    at.text_input(key=f"{key}_confirm").input("bolat")
    at.button(key=f"{key}_delete").click().run()
    assert t("teacher.deleted", "en", n=2) in [s.value for s in at.success]
    assert load_events(seed.student).empty
    assert not chain_dir.exists()  # the chain went with the events


def test_teacher_disables_a_student_from_the_roster(seed: Seed) -> None:
    at = app_as(seed.teacher, "kk")
    at.switch_page("app_pages/teacher_classes.py").run()
    at.button(key=f"student_{seed.student.user_id}_toggle_disable").click().run()
    assert_clean(at)
    toggle = at.button(key=f"student_{seed.student.user_id}_toggle_enable")
    assert toggle.label == t("teacher.enable", "kk")
    with pytest.raises(Exception, match="account_disabled"):
        login("bolat", f.PASSWORD)
