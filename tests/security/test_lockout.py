"""Sign-in lockout and throttling (issue 20, item 7).

Before: only real accounts counted failures, so the fifth wrong password said "locked" for a real
username and "wrong password" for an unknown one (a way to list accounts), and nothing limited
one device trying many usernames. Now: failures count per typed username whether or not it
exists, and per client address; both live in the database; every step is audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from core.accounts import AccountError, PermissionDenied
from core.accounts import throttle as th
from core.accounts.admin import sign_in_entries
from core.accounts.audit import audit_entries
from core.accounts.service import lock_status, login, unlock_student
from core.db import make_engine
from core.db.models import AuditLog
from core.db.session import read_session
from core.i18n import t
from tests import factories as f
from tests.app.conftest import Seed, app_as, assert_clean

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _answer(username: str, password: str, at: datetime, client: str | None = None) -> tuple:
    try:
        login(username, password, now=at, client=client)
    except AccountError as error:
        return error.key, error.params
    return ("ok", {})


def _audit(action: str) -> list[AuditLog]:
    with read_session() as s:
        return list(s.scalars(select(AuditLog).where(AuditLog.action == action)))


def test_real_and_unknown_usernames_get_the_same_answer_at_every_try(seed: Seed) -> None:
    answers: dict[str, list[tuple]] = {}
    for name in ("bolat", "nobody-here", "x"):  # a real one, an unknown one, an invalid one
        answers[name] = [
            _answer(name, "Wrong-Guess-2026", START + timedelta(seconds=i)) for i in range(7)
        ]
    assert answers["bolat"] == answers["nobody-here"] == answers["x"]
    keys = [key for key, _ in answers["bolat"]]
    assert keys == ["errors.login_failed"] * 4 + ["errors.account_locked"] * 3
    # Locked means locked for everyone: the right password is refused too, with the same answer.
    assert _answer("bolat", f.PASSWORD, START + timedelta(minutes=5)) == _answer(
        "nobody-here", "anything-at-all", START + timedelta(minutes=5)
    )
    assert _answer("bolat", f.PASSWORD, START + timedelta(minutes=16))[0] == "ok"


def test_the_lock_is_shared_by_every_process(seed: Seed, db_url: str) -> None:
    """The count is in the database: failures made through one engine lock sign-ins through
    another (as on two Streamlit processes behind HAProxy)."""
    for i in range(4):
        _answer("bolat", "Wrong-Guess-2026", START + timedelta(seconds=i))
    other: Engine = make_engine(db_url)
    try:
        with pytest.raises(AccountError) as info:
            login("bolat", "Wrong-Guess-2026", engine=other, now=START + timedelta(seconds=5))
    finally:
        other.dispose()
    assert info.value.key == "errors.account_locked"


def test_one_client_is_throttled_and_another_is_not(
    seed: Seed, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(th, "CLIENT_MAX_FAILURES", 3)
    attacker, classmate = "203.0.113.7", "203.0.113.8"
    keys = [
        _answer(name, "Wrong-Guess-2026", START + timedelta(seconds=i), attacker)[0]
        for i, name in enumerate(["aigerim", "dana", "zhanar"])
    ]
    assert keys == ["errors.login_failed"] * 2 + ["errors.too_many_attempts"]
    # Paused before any password is checked: even a right password from that device...
    later = START + timedelta(minutes=1)
    assert _answer("bolat", f.PASSWORD, later, attacker)[0] == "errors.too_many_attempts"
    # ...while the same student signs in from their own device,
    assert _answer("bolat", f.PASSWORD, later, classmate)[0] == "ok"
    # and the attacker's device may try again once the window has passed.
    assert _answer("bolat", f.PASSWORD, START + timedelta(minutes=16), attacker)[0] == "ok"
    assert len(_audit("client_throttled")) == 1


def test_client_address_is_the_peer_or_the_proxys_forwarded_for() -> None:
    # A direct connection: the header is the client's own word and is ignored.
    assert th.client_key("198.51.100.4", ["10.9.9.9"]) == "198.51.100.4"
    # Behind the local proxy (Streamlit reports None for a loopback peer): the value HAProxy
    # appends is the last one; whatever the browser sent comes before it.
    assert th.client_key(None, ["1.2.3.4, 10.0.0.5"]) == "10.0.0.5"
    assert th.client_key(None, ["1.2.3.4", "10.0.0.6"]) == "10.0.0.6"
    assert th.client_key(None, ["2001:db8::1"]) == "2001:db8::1"
    assert th.client_key(None, ["<script>"]) is None
    assert th.client_key(None, []) is None


def test_sign_ins_failures_and_locks_are_audited(seed: Seed) -> None:
    for i in range(5):
        _answer("bolat", "Wrong-Guess-2026", START + timedelta(seconds=i), "203.0.113.7")
    _answer("Tulpar-2026-steppe", "oops", START, "203.0.113.7")  # a password in the name box
    login("aigerim", f.PASSWORD, client="203.0.113.9")
    failed = _audit("sign_in_failed")
    assert len(failed) == 6
    assert all(row.actor_id is None for row in failed)  # nobody was signed in
    assert all(row.details["client"] == "203.0.113.7" for row in failed)
    # The account is named when it exists; an unknown name (maybe a password) is not written.
    assert [(r.target_user_id, r.details["username"]) for r in failed] == [
        (seed.student.user_id, "bolat")
    ] * 5 + [(None, None)]
    assert "tulpar" not in str([r.details for r in failed]).lower()
    locked = _audit("sign_in_locked")
    assert [r.target_user_id for r in locked] == [seed.student.user_id]
    signed_in = _audit("sign_in")
    assert [(r.actor_id, r.target_user_id, r.details["client"]) for r in signed_in] == [
        (seed.teacher.user_id, seed.teacher.user_id, "203.0.113.9")
    ]
    # The administrator reads them; a teacher's own trail is not flooded with them.
    actions = {e.action for e in sign_in_entries(seed.teacher)}
    assert {"sign_in", "sign_in_failed", "sign_in_locked"} <= actions
    assert not {e.action for e in audit_entries(seed.teacher)} & actions


def test_a_teacher_unlocks_their_student(seed: Seed) -> None:
    for i in range(5):
        _answer("bolat", "Wrong-Guess-2026", datetime.now(UTC) + timedelta(seconds=i))
    assert lock_status(seed.teacher, seed.student.user_id) is not None
    stranger = f.teacher("dana_t", first=False, by=seed.teacher)
    with pytest.raises(PermissionDenied):
        unlock_student(stranger, seed.student.user_id)
    with pytest.raises(PermissionDenied):
        unlock_student(seed.student, seed.student.user_id)
    unlock_student(seed.teacher, seed.student.user_id)
    assert lock_status(seed.teacher, seed.student.user_id) is None
    assert login("bolat", f.PASSWORD).actor.user_id == seed.student.user_id
    (row,) = _audit("unlock")
    assert (row.actor_id, row.target_user_id) == (seed.teacher.user_id, seed.student.user_id)


def test_the_sign_in_page_answers_an_unknown_name_like_a_real_one(seed: Seed) -> None:
    """Through the form: the fifth failure for a username nobody has says "locked", in Russian."""
    at = app_as(None, "ru")
    messages = []
    for _ in range(5):
        at.text_input(key="si_username").input("nobody-here")
        at.text_input(key="si_password").input("Wrong-Guess-2026")
        at.button(key=f"FormSubmitter:sign_in-{t('login.sign_in', 'ru')}").click().run()
        assert_clean(at)
        messages.append(at.error[0].value)
    assert messages[:4] == [t("errors.login_failed", "ru")] * 4
    assert messages[4] == t("errors.account_locked", "ru", minutes=15)
