"""Accounts: first teacher, student registration by join code, login with lockout, sessions."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.accounts.actor import Actor, Role
from core.accounts.classrooms import find_classroom_by_code
from core.accounts.errors import AccountError, PermissionDenied
from core.accounts.passwords import (
    DUMMY_HASH,
    check_password_policy,
    hash_password,
    needs_rehash,
    verify_password,
)
from core.accounts.validation import clean_display_name, normalise_username
from core.config import LANGUAGES, load_settings
from core.db.models import Enrolment, LoginSession, User
from core.db.session import read_session, write_session


@dataclass(frozen=True)
class LoginResult:
    token: str
    actor: Actor


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes even for timezone=True columns; they are stored as UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


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


def _new_user(username: str, display_name: str, password: str, role: Role, language: str) -> User:
    name = normalise_username(username)
    shown = clean_display_name(display_name)
    check_password_policy(password, name)
    return User(
        username=name,
        display_name=shown,
        password_hash=hash_password(password),
        role=role.value,
        language=_check_language(language),
        is_disabled=False,
        failed_logins=0,
    )


def _insert_user(s: Session, user: User) -> None:
    if s.scalar(select(User.id).where(User.username == user.username)) is not None:
        raise AccountError("errors.username_taken")
    s.add(user)
    try:
        s.flush()
    except IntegrityError as exc:
        raise AccountError("errors.username_taken") from exc


def create_first_teacher(
    username: str, display_name: str, password: str, language: str, engine: Engine | None = None
) -> Actor:
    """Only while no teacher exists: the install has no default account to forget about."""
    user = _new_user(username, display_name, password, Role.TEACHER, language)
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
    """A teacher adds a colleague; students can never create teachers."""
    if not actor.is_teacher:
        raise PermissionDenied("create_teacher")
    user = _new_user(username, display_name, password, Role.TEACHER, language)
    with write_session(engine) as s:
        _insert_user(s, user)
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
    username: str, password: str, engine: Engine | None = None, now: datetime | None = None
) -> LoginResult:
    """Lock after N failures for M minutes (settings); the same message for unknown users.

    The argon2 check (most of a second on a laptop) runs before the write transaction, not
    inside it: on SQLite one writer at a time holds the database, and a class signing in at
    once would otherwise queue every answer being recorded behind the hashing."""
    settings = load_settings()
    now = now or _now()
    try:
        name = normalise_username(username)
    except AccountError:
        verify_password(DUMMY_HASH, password)
        raise AccountError("errors.login_failed") from None
    with read_session(engine) as s:
        seen = s.execute(
            select(User.id, User.password_hash, User.locked_until).where(User.username == name)
        ).first()
    if seen is None:
        verify_password(DUMMY_HASH, password)
        raise AccountError("errors.login_failed")
    _refuse_if_locked(_aware(seen.locked_until), now)
    verified = verify_password(seen.password_hash, password)
    new_hash = hash_password(password) if verified and needs_rehash(seen.password_hash) else None
    with write_session(engine) as s:
        user = s.get(User, seen.id)
        if user is None:
            raise AccountError("errors.login_failed")
        _refuse_if_locked(_aware(user.locked_until), now)  # another attempt may have locked it
        if not verified or user.password_hash != seen.password_hash:
            user.failed_logins += 1
            failure = AccountError("errors.login_failed")
            if user.failed_logins >= settings.max_failed_logins:
                user.locked_until = now + timedelta(minutes=settings.lockout_minutes)
                user.failed_logins = 0
                failure = AccountError("errors.account_locked", minutes=settings.lockout_minutes)
            s.commit()  # the failed attempt must count even though we raise
            raise failure
        if user.is_disabled:
            raise AccountError("errors.account_disabled")
        user.failed_logins = 0
        user.locked_until = None
        if new_hash is not None:
            user.password_hash = new_hash
        token = secrets.token_urlsafe(32)
        s.add(LoginSession(token_hash=_token_hash(token), user_id=user.id, created_at=now))
        classroom_id = s.scalar(select(Enrolment.classroom_id).where(Enrolment.user_id == user.id))
        return LoginResult(token=token, actor=_actor_for(user, classroom_id))


def _refuse_if_locked(locked_until: datetime | None, now: datetime) -> None:
    if locked_until is not None and locked_until > now:
        minutes = max(1, int((locked_until - now).total_seconds() // 60) + 1)
        raise AccountError("errors.account_locked", minutes=minutes)


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
