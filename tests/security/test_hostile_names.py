"""Names that are Markdown (issue 20, item 1): a display name or class name such as
`![x](http://203.0.113.5/x.png)` must show as those characters everywhere Streamlit renders
Markdown, never as an image the browser fetches or a link a teacher trusts."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import element_tree as et

from core.accounts import AccountError, Actor
from core.accounts.classrooms import create_classroom
from core.accounts.service import create_first_teacher, register_student
from core.db.models import Classroom, User
from core.db.session import get_engine
from core.telemetry import record
from core.text import WORD_JOINER, plain_markdown
from tests import factories as f
from tests.app.conftest import app_as, assert_clean

OUTSIDE = "203.0.113.5"
IMAGE = f"![x](http://{OUTSIDE}/x.png)"
LINK = f"[Teacher says click](http://{OUTSIDE}/a)"
COLOUR = ":red[x] :material/home: :streamlit:"
HTML = f"<img src=http://{OUTSIDE}/i.png>"
BARE = f"http://{OUTSIDE}/bare www.example.com a@b.com"
MATHS = "$x^2$ **b** _i_ `c` # h > q | t ~~s~~"
LONG = "Ә" * 400 + IMAGE
HOSTILE = [IMAGE, LINK, COLOUR, HTML, BARE, MATHS, LONG, "1. x", "- y", "    code", "a\n\n# H"]
# The hostile names' payloads that must never reach a Markdown element unescaped: a link or
# image target, an autolink, a colour directive or icon, raw HTML (the app's own texts do use
# `:material/…:` icons and badges, so only these names' ones count).
DANGER = re.compile(
    r"\]\(|://|www\.|:red\[x|:material/home|:streamlit:|(?<!\\)<img|@b\.com|203\.0\.113\.5"
)


def _unescape(text: str) -> str:
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text.replace(WORD_JOINER, ""))


@pytest.mark.parametrize("name", HOSTILE)
def test_escaped_text_reads_back_as_typed_on_one_line(name: str) -> None:
    escaped = plain_markdown(name)
    assert _unescape(escaped) == " ".join(name.split())
    assert not DANGER.search(escaped), escaped
    assert "\n" not in escaped and not escaped.startswith(" ")


@pytest.mark.parametrize("name", HOSTILE)
def test_every_markdown_character_is_escaped(name: str) -> None:
    escaped = plain_markdown(name).replace(WORD_JOINER, "")
    i = 0
    while i < len(escaped):
        if escaped[i] == "\\":
            assert escaped[i + 1] in string.punctuation, escaped
            i += 2
            continue
        assert escaped[i] not in string.punctuation.replace(".", ""), (escaped, i)
        i += 1


def test_ordinary_names_are_unchanged() -> None:
    for name in ("Aigerim T.", "Дана Серікова", "10B informatics", "Bolat"):
        assert plain_markdown(name) == name


# --- every page, as a teacher and as a student, with hostile names in the database ----------


@dataclass
class Hostile:
    teacher: Actor
    students: list[Actor]
    room_id: int
    names: list[str]


@pytest.fixture
def hostile(db_url: str) -> Hostile:
    teacher = create_first_teacher("aigerim", IMAGE, f.PASSWORD, "en")
    room = create_classroom(teacher, LINK)
    names = [COLOUR, BARE, MATHS, HTML, LONG]
    students, refused = [], []
    for i, name in enumerate(names):
        try:
            students.append(register_student(room.join_code, f"pupil{i}", name, f.PASSWORD, "en"))
        except AccountError:  # markup or too long: refused today, may sit in an older database
            students.append(register_student(room.join_code, f"pupil{i}", "x", f.PASSWORD, "en"))
            refused.append((students[-1].user_id, name))
    assert len(refused) < len(names), "core refuses every hostile name: the walk proves little"
    with get_engine(db_url).begin() as conn:
        for user_id, name in refused:
            conn.execute(update(User).where(User.id == user_id).values(display_name=name))
        conn.execute(update(Classroom).where(Classroom.id == room.id).values(name=LINK + HTML))
    for student in students:
        record(student, f.event(student))
        record(student, f.event(student, item_id="q2", correct=True, error_type=None))
    return Hostile(teacher, students, room.id, [IMAGE, LINK + HTML, *names])


def _markdown_texts(node: Any) -> Iterator[str]:
    """Every string the browser renders as Markdown: element bodies and every label (widget,
    expander, tab, popover, button, metric labels all render Markdown). Select-box options,
    table cells and typed values are plain text and are left out."""
    if isinstance(node, et.Markdown | et.AlertBase | et.HeadingBase | et.Toast):
        yield node.value
    label = getattr(node, "label", None)
    if isinstance(label, str):
        yield label
    proto = getattr(node, "proto", None)
    if proto is not None and getattr(proto, "WhichOneof", None) and proto.DESCRIPTOR.oneofs:
        kind = proto.WhichOneof("type") if "type" in proto.DESCRIPTOR.oneofs_by_name else None
        if kind in {"popover", "expandable", "tab_container"}:
            yield str(getattr(getattr(proto, kind), "label", ""))
    for child in getattr(node, "children", {}).values():
        yield from _markdown_texts(child)


def _check(at: AppTest, shown: list[str]) -> str:
    assert_clean(at)
    texts = list(_markdown_texts(at._tree))
    bad = [text for text in texts if DANGER.search(text)]
    assert not bad, f"user text rendered as Markdown: {bad}"
    everything = "\n".join(texts)
    for name in shown:
        assert plain_markdown(name) in everything, f"{name!r} not shown (escaped) on the page"
    return everything


def test_teacher_pages_show_hostile_names_as_text(hostile: Hostile) -> None:
    at = app_as(hostile.teacher)
    _check(at, [IMAGE])  # home title and sidebar
    for page in ("app_pages/onboarding.py", "app_pages/my_progress.py"):
        at.switch_page(page).run()
        _check(at, [IMAGE])  # the sidebar
    at.switch_page("app_pages/teacher_classes.py").run()
    _check(at, [LINK + HTML])  # the class's expander
    for student, name in zip(hostile.students, hostile.names[2:], strict=True):
        at.selectbox(key=f"pick_{hostile.room_id}").set_value(student.user_id).run()
        _check(at, [name])  # the delete popover names the chosen student
    at.switch_page("app_pages/teacher_dashboard.py").run()
    _check(at, [])
    for student, name in zip(hostile.students, hostile.names[2:], strict=True):
        at.selectbox(key="dashboard_student").set_value(student.user_id).run()
        _check(at, [name])  # the summary paragraph


def test_student_pages_show_hostile_names_as_text(hostile: Hostile) -> None:
    for student, name in zip(hostile.students, hostile.names[2:], strict=True):
        at = app_as(student)
        _check(at, [name])
        for page in ("app_pages/onboarding.py", "app_pages/my_progress.py"):
            at.switch_page(page).run()
            _check(at, [name])
