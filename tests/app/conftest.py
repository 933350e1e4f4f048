"""AppTest helpers: a seeded class, sign-in by token, and every visible string of a page."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.accounts import Actor
from core.accounts.classrooms import ClassroomView
from core.accounts.service import login, set_language
from core.i18n import missing_seen, raw_keys_in
from core.telemetry import load_events, record
from tests import factories as f

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@dataclass
class Seed:
    teacher: Actor
    room: ClassroomView
    student: Actor


@pytest.fixture
def seed(db_url: str) -> Seed:
    teacher = f.teacher()
    room = f.classroom(teacher)
    student = f.student(room, "bolat")
    record(student, f.event(student))
    record(student, f.event(student, item_id="q2", correct=True, error_type=None))
    return Seed(teacher, room, student)


def app_as(actor: Actor | None, lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if actor is None:
        at.session_state["zerde_lang"] = lang
    else:
        set_language(actor, lang)
        at.session_state["zerde_token"] = login(actor.username, f.PASSWORD).token
    return at.run()


def _texts(node: Any, out: list[str]) -> None:
    for attr in ("value", "label", "body", "placeholder", "help"):
        try:
            value = getattr(node, attr, None)
        except Exception:  # noqa: BLE001 - some nodes compute values lazily and may refuse
            continue
        if isinstance(value, str):
            out.append(value)
    for option in getattr(node, "options", None) or []:
        if isinstance(option, str):
            out.append(option)
    for child in getattr(node, "children", {}).values():
        _texts(child, out)


def visible_texts(at: AppTest) -> list[str]:
    out: list[str] = []
    _texts(at._tree, out)
    return out


def assert_clean(at: AppTest) -> None:
    """No exception, no raw i18n key on screen, no key missing in the page's language."""
    assert not at.exception, [e.value for e in at.exception]
    raw = [key for text in visible_texts(at) for key in raw_keys_in(text)]
    assert not raw, f"raw i18n keys on the page: {raw}"
    assert not missing_seen(), f"keys missing in a language: {missing_seen()}"


@pytest.fixture(autouse=True)
def _clear_missing() -> Iterator[None]:
    from core import i18n

    i18n._missing.clear()
    yield


def lock_prediction(at: AppTest, prefix: str, question: str, option: str) -> AppTest:
    """Answer a predict-then-check card (app_pages/components/predict_card.py) and lock it."""
    at.radio(key=f"{prefix}_q_choice_{question}").set_value(option).run()
    at.button(key=f"{prefix}_q_lock_{question}").click().run()
    assert_clean(at)
    return at


def run_job(at: AppTest, key: str, timeout: float = 180) -> AppTest:
    """Press a job's start button (app_pages/components/jobs.button_job), wait for the job in
    the job store, then rerun to show the result."""
    from core import jobs

    at.button(key=f"{key}_go").click().run()
    actor = at.session_state["zerde_actor"]
    snap = jobs.latest(actor.user_id, key)
    assert snap is not None, f"no job started under {key}"
    done = jobs.wait(snap.id, actor.user_id, timeout)
    assert done is not None and done.finished, f"job {key} still {done and done.status}"
    at.run()
    assert_clean(at)
    return at


def open_as(actor: Actor, page: str, lang: str = "en") -> AppTest:
    """Sign ``actor`` in and go to ``page`` (a path under app_pages/)."""
    at = app_as(actor, lang)
    at.switch_page(page).run()
    assert_clean(at)
    return at


def activity_events(actor: Actor, activity: str) -> pd.DataFrame:
    """The actor's own events of one activity (a lab's telemetry prefix)."""
    events = load_events(actor, [actor.user_id])
    return events[events["activity"] == activity].reset_index(drop=True)
