"""Accounts: first teacher (the administrator), teachers, student registration by join code,
sign-in with lockout and throttling, sessions, password change and reset."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import NoReturn

from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.accounts import throttle
from core.accounts.actor import Actor, Role
from core.accounts.admin import require_admin
from core.accounts.audit import write_audit
from core.accounts.classrooms import find_classroom_by_code, require_student_of, revoke_sessions
from core.accounts.errors import AccountError, PermissionDenied
from core.accounts.passwords import (
    DUMMY_HASH,
    check_password_policy,
    hash_password,
    needs_rehash,
    verify_password,
)
from core.accounts.validation import (
    check_new_username,
    clean_display_name,
    normalise_username,
)
from core.config import LANGUAGES, load_settings
from core.db.models import Enrolment, LoginSession, User
from core.db.session import read_session, write_session


@dataclass(frozen=True)
class LoginResult:
    token: str
    actor: Actor


def _now() -> datetime:
    return datetime.now(UTC)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise AccountError("errors.language_invalid")
    return language


def _actor_for(user: User, classroom_id: int | None) -> Actor:
    return Actor(
        user_id=user.id,
        role=Role(user.role),
        username=user.username,
        display_name=user.display_name,
        language=user.language,
        classroom_id=classroom_id,
    )


def needs_first_teacher(engine: Engine | None = None) -> bool:
    with read_session(engine) as s:
        return s.scalar(select(func.count()).select_from(User).where(User.role == "teacher")) == 0


def _new_user(
    username: str,
    display_name: str,
    password: str,
    role: Role,
    language: str,
    is_admin: bool = False,
) -> User:
    name = normalise_username(username)
    shown = clean_display_name(display_name)
    check_password_policy(password, name, shown)
    return User(
        username=name,
        display_name=shown,
        password_hash=hash_password(password),
        role=role.value,
        language=_check_language(language),
        is_disabled=False,
        is_admin=is_admin,
        failed_logins=0,
    )


def _insert_user(s: Session, user: User) -> None:
    if s.scalar(select(User.id).where(User.username == user.username)) is not None:
        raise AccountError("errors.username_taken")
    check_new_username(user.username, s.scalars(select(User.username)))
    s.add(user)
    try:
        s.flush()
    except IntegrityError as exc:
        raise AccountError("errors.username_taken") from exc


def create_first_teacher(
    username: str, display_name: str, password: str, language: str, engine: Engine | None = None
) -> Actor:
    """Only while no teacher exists: the install has no default account to forget about. The
    first teacher is the administrator (the one who creates and disables teacher accounts)."""
    user = _new_user(username, display_name, password, Role.TEACHER, language, is_admin=True)
    with write_session(engine) as s:
        if s.scalar(select(func.count()).select_from(User).where(User.role == "teacher")):
            raise AccountError("errors.first_teacher_exists")
        _insert_user(s, user)
        return _actor_for(user, None)


def create_teacher(
    actor: Actor,
    username: str,
    display_name: str,
    password: str,
    language: str,
    engine: Engine | None = None,
) -> Actor:
    """Only the administrator adds teachers (refused here, not just hidden), and it is audited."""
    if not actor.is_teacher:
        raise PermissionDenied("create_teacher")
    with read_session(engine) as s:
        require_admin(s, actor, "create_teacher")  # before the slow hashing in _new_user
    user = _new_user(username, display_name, password, Role.TEACHER, language)
    with write_session(engine) as s:
        require_admin(s, actor, "create_teacher")
        _insert_user(s, user)
        write_audit(s, actor, "teacher_create", user.id)
        return _actor_for(user, None)


def register_student(
    join_code: str,
    username: str,
    display_name: str,
    password: str,
    language: str,
    engine: Engine | None = None,
) -> Actor:
    user = _new_user(username, display_name, password, Role.STUDENT, language)
    with write_session(engine) as s:
        classroom_id = find_classroom_by_code(s, join_code)
        _insert_user(s, user)
        s.add(Enrolment(user_id=user.id, classroom_id=classroom_id))
        return _actor_for(user, classroom_id)


def login(
    username: str,
    password: str,
    engine: Engine | None = None,
    now: datetime | None = None,
    client: str | None = None,
) -> LoginResult:
    """Sign in. Every answer is the same for a real and an unknown username, at every try.

    Failures are counted per typed username (real or not; the N-th locks it for M minutes,
    settings) and per client address (``client``, see throttle.client_key; many failures from
    one device pause it). A locked username or throttled client is refused before any password
    is checked. Sign-ins, failures, locks and throttles go to the audit trail. "Disabled" is
    only said to someone who typed the right password.

    The argon2 check (most of a second on a laptop) runs before the write transaction, not
    inside it: on SQLite one writer at a time holds the database, and a class signing in at
    once would otherwise queue every answer being recorded behind the hashing."""
    now = now or _now()
    try:
        name: str | None = normalise_username(username)
    except AccountError:
        name = None
    # Counted under the name the account lookup uses (so look-alike spellings that normalise to
    # one account share its count), and under the typed text when it cannot be a username.
    key = name if name is not None else throttle.username_key(username)
    with read_session(engine) as s:
        throttle.refuse_if_blocked(s, key, client, now)
        seen = (
            s.execute(select(User.id, User.password_hash).where(User.username == name)).first()
            if name is not None
            else None
        )
    verified = verify_password(seen.password_hash if seen else DUMMY_HASH, password) and bool(seen)
    new_hash = None
    if seen is not None and verified and needs_rehash(seen.password_hash):
        new_hash = hash_password(password)
    with write_session(engine) as s:
        throttle.refuse_if_blocked(s, key, client, now)  # another attempt may have locked it
        user = s.get(User, seen.id) if seen is not None else None
        if user is None or seen is None or not verified or user.password_hash != seen.password_hash:
            # The trail names the account only when it exists: an unknown "username" may be a
            # password typed into the wrong box, and must not be written down.
            _fail(s, key, client, now, user.id if user else None, user.username if user else None)
        if user.is_disabled:
            write_audit(s, None, "sign_in_failed", user.id, client=client, reason="disabled")
            s.commit()
            raise AccountError("errors.account_disabled")
        throttle.clear_username(s, key)
        if new_hash is not None:
            user.password_hash = new_hash
        token = secrets.token_urlsafe(32)
        s.add(LoginSession(token_hash=_token_hash(token), user_id=user.id, created_at=now))
        classroom_id = s.scalar(select(Enrolment.classroom_id).where(Enrolment.user_id == user.id))
        actor = _actor_for(user, classroom_id)
        write_audit(s, actor, "sign_in", user.id, client=client)
        return LoginResult(token=token, actor=actor)


def _fail(
    s: Session, key: str, client: str | None, now: datetime, user_id: int | None, typed: str | None
) -> NoReturn:
    """Count and audit one failed attempt, commit (it must count though we raise), and raise."""
    failure = throttle.record_failure(s, key, client, now)
    write_audit(s, None, "sign_in_failed", user_id, username=typed, client=client)
    if failure.locked:
        write_audit(s, None, "sign_in_locked", user_id, username=typed, client=client)
    if failure.throttled:
        write_audit(s, None, "client_throttled", None, client=client)
    s.commit()
    raise failure.error


def resume(token: str, engine: Engine | None = None, now: datetime | None = None) -> Actor | None:
    """Called on every rerun: a revoked, expired or disabled session ends here."""
    oldest = (now or _now()) - timedelta(hours=load_settings().session_hours)
    with read_session(engine) as s:
        row = s.execute(
            select(User, Enrolment.classroom_id)
            .join(LoginSession, LoginSession.user_id == User.id)
            .outerjoin(Enrolment, Enrolment.user_id == User.id)
            .where(LoginSession.token_hash == _token_hash(token))
            .where(LoginSession.revoked_at.is_(None))
            .where(LoginSession.created_at > oldest)
        ).first()
    if row is None or row[0].is_disabled:
        return None
    return _actor_for(row[0], row[1])


def logout(token: str, engine: Engine | None = None) -> None:
    with write_session(engine) as s:
        s.execute(
            update(LoginSession)
            .where(LoginSession.token_hash == _token_hash(token))
            .values(revoked_at=_now())
        )


def set_language(actor: Actor, language: str, engine: Engine | None = None) -> Actor:
    lang = _check_language(language)
    with write_session(engine) as s:
        s.execute(update(User).where(User.id == actor.user_id).values(language=lang))
    return replace(actor, language=lang)


def change_password(
    actor: Actor,
    token: str,
    old_password: str,
    new_password: str,
    engine: Engine | None = None,
    now: datetime | None = None,
) -> None:
    """Anyone signed in changes their own password, proving the old one (a borrowed open laptop
    is not enough). A wrong old password counts as a failed sign-in on the username, so the form
    cannot be used to guess it; the other sessions end, the one in use stays."""
    now = now or _now()
    key = throttle.username_key(actor.username)
    with read_session(engine) as s:
        throttle.refuse_if_blocked(s, key, None, now)
        user = s.get(User, actor.user_id)
        if user is None:
            raise PermissionDenied("change_password")
        stored, shown = user.password_hash, user.display_name
    if not verify_password(stored, old_password):
        with write_session(engine) as s:
            failure = throttle.record_failure(s, key, None, now)
            write_audit(s, None, "sign_in_failed", actor.user_id, reason="old_password")
            if failure.locked:
                write_audit(s, None, "sign_in_locked", actor.user_id, username=actor.username)
            s.commit()
        raise AccountError(
            "errors.account_locked" if failure.locked else "errors.old_password_wrong",
            **failure.error.params,
        )
    if new_password == old_password:
        raise AccountError("errors.password_unchanged")
    check_password_policy(new_password, actor.username, shown)
    new_hash = hash_password(new_password)
    with write_session(engine) as s:
        user = s.get(User, actor.user_id)
        if user is None or user.password_hash != stored:  # changed meanwhile: start again
            raise AccountError("errors.old_password_wrong")
        user.password_hash = new_hash
        revoked = revoke_sessions(s, actor.user_id, keep_token_hash=_token_hash(token))
        write_audit(s, actor, "password_change", actor.user_id, sessions_ended=revoked)


def reset_student_password(
    actor: Actor, student_id: int, new_password: str, engine: Engine | None = None
) -> None:
    """A teacher sets a new password for a student of theirs who forgot it (the same rules as
    any password; the teacher tells it to the student, who can change it in My progress). Every
    session of the student ends and any lock on the username is lifted; audited."""
    with read_session(engine) as s:
        student = require_student_of(s, actor, student_id)
        username, shown = student.username, student.display_name
    check_password_policy(new_password, username, shown)
    new_hash = hash_password(new_password)
    with write_session(engine) as s:
        student = require_student_of(s, actor, student_id)
        student.password_hash = new_hash
        revoked = revoke_sessions(s, student_id)
        throttle.clear_username(s, throttle.username_key(student.username))
        write_audit(s, actor, "password_reset", student_id, sessions_ended=revoked)


def lock_status(actor: Actor, student_id: int, engine: Engine | None = None) -> datetime | None:
    """Until when a student of this teacher is locked out by failed sign-ins, or None."""
    with read_session(engine) as s:
        student = require_student_of(s, actor, student_id)
        return throttle.locked_until(s, throttle.username_key(student.username), _now())


def unlock_student(actor: Actor, student_id: int, engine: Engine | None = None) -> None:
    """Lift a lock on a student's username at once (it would expire by itself); audited."""
    with write_session(engine) as s:
        student = require_student_of(s, actor, student_id)
        throttle.clear_username(s, throttle.username_key(student.username))
        write_audit(s, actor, "unlock", student_id)
