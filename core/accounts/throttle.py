"""Failed sign-ins, counted where every web process sees them: per typed username and per client.

Why per typed *username* and not per account: if only real accounts were locked, the fifth wrong
password would say "locked" for a real username and "wrong password" for an unknown one, and
anyone could list the school's accounts. Counting the string itself gives unknown usernames the
very same answers at every try.

Why per *client* too: the username lock stops guessing one password, not trying one password
against many usernames, and it lets anyone lock a teacher out. The client throttle stops a
device after many failures whatever usernames it tries; a real sign-in from another device is
unaffected.

The rows live in the database (table ``sign_in_failures``) because two or more Streamlit
processes behind HAProxy answer sign-ins; a counter in one process's memory would be beaten by
landing on another. Refusals while locked or throttled write nothing, so hammering a locked
username cannot grow the table; rows older than a day are pruned as new ones arrive.
"""

from __future__ import annotations

import ipaddress
import math
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from core.accounts.errors import AccountError
from core.config import load_settings
from core.db.models import SignInFailure

USER = "user"
CLIENT = "client"
KEY_LENGTH = 64
# A whole class may share one address (a school NAT): generous, yet far below what a guessing
# script needs. Failures older than the window stop counting.
CLIENT_MAX_FAILURES = 30
CLIENT_WINDOW = timedelta(minutes=15)
# Failures on a username that never reached the lock are forgiven after a day.
FORGET_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class Failure:
    """What one failed attempt did: the error to show and whether it started a lock/throttle."""

    error: AccountError
    locked: bool
    throttled: bool


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes for timezone=True columns; they were stored as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _minutes_until(moment: datetime, now: datetime) -> int:
    return max(1, math.ceil((moment - now).total_seconds() / 60))


def username_key(typed: str) -> str:
    """The username as the sign-in form will look it up, bounded; valid or not."""
    return unicodedata.normalize("NFKC", typed).strip().lower()[:KEY_LENGTH]


def client_key(peer_ip: str | None, forwarded_for: Iterable[str] = ()) -> str | None:
    """The address to throttle, from what Streamlit sees of the connection.

    A direct connection from another machine: its address (a header cannot override it).
    Streamlit reports None for a loopback peer, which is HAProxy (serve/) or someone on the server
    itself: then the *last* X-Forwarded-For value, the one the proxy appends (``option
    forwardfor``); earlier values are whatever the browser sent. Anything that is not an IP
    address is ignored, and None means "unknown": the per-username lock still applies."""
    candidates = [peer_ip] if peer_ip else []
    if not candidates:
        values = [part.strip() for value in forwarded_for for part in value.split(",")]
        candidates = values[-1:]
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            return None
    return None


def _client_block(s: Session, client: str, now: datetime) -> datetime | None:
    """When a throttled client may try again, or None if it is not throttled."""
    times = list(
        s.scalars(
            select(SignInFailure.at)
            .where(SignInFailure.scope == CLIENT, SignInFailure.key == client)
            .where(SignInFailure.at > now - CLIENT_WINDOW)
            .order_by(SignInFailure.at)
        )
    )
    if len(times) < CLIENT_MAX_FAILURES:
        return None
    # Blocked until enough failures leave the window to fall below the limit.
    return _aware(times[len(times) - CLIENT_MAX_FAILURES]) + CLIENT_WINDOW


def locked_until(s: Session, name_key: str, now: datetime) -> datetime | None:
    """The end of the current lock on this username string, if any."""
    lock_at = s.scalar(
        select(func.max(SignInFailure.at)).where(
            SignInFailure.scope == USER, SignInFailure.key == name_key, SignInFailure.locks
        )
    )
    if lock_at is None:
        return None
    until = _aware(lock_at) + timedelta(minutes=load_settings().lockout_minutes)
    return until if until > now else None


def refuse_if_blocked(s: Session, name_key: str, client: str | None, now: datetime) -> None:
    """Raise before any password is checked: the same answer whether the account exists."""
    if client is not None and (until := _client_block(s, client, now)) is not None:
        raise AccountError("errors.too_many_attempts", minutes=_minutes_until(until, now))
    if (until := locked_until(s, name_key, now)) is not None:
        raise AccountError("errors.account_locked", minutes=_minutes_until(until, now))


def record_failure(s: Session, name_key: str, client: str | None, now: datetime) -> Failure:
    """Count one failed attempt; the N-th failure since the last lock starts a new lock."""
    settings = load_settings()
    s.execute(delete(SignInFailure).where(SignInFailure.at < now - FORGET_AFTER))
    last_lock = s.scalar(
        select(func.max(SignInFailure.at)).where(
            SignInFailure.scope == USER, SignInFailure.key == name_key, SignInFailure.locks
        )
    )
    since = select(func.count()).where(SignInFailure.scope == USER, SignInFailure.key == name_key)
    if last_lock is not None:
        since = since.where(SignInFailure.at > last_lock)
    count = (s.scalar(since) or 0) + 1
    locks = count >= settings.max_failed_logins
    s.add(SignInFailure(scope=USER, key=name_key, at=now, locks=locks))
    throttled = False
    if client is not None:
        s.add(SignInFailure(scope=CLIENT, key=client, at=now, locks=False))
        s.flush()
        throttled = _client_block(s, client, now) is not None
    if locks:
        error = AccountError("errors.account_locked", minutes=settings.lockout_minutes)
    elif throttled:
        minutes = math.ceil(CLIENT_WINDOW.total_seconds() / 60)
        error = AccountError("errors.too_many_attempts", minutes=minutes)
    else:
        error = AccountError("errors.login_failed")
    return Failure(error=error, locked=locks, throttled=throttled)


def clear_username(s: Session, name_key: str) -> None:
    """A successful sign-in or a teacher's unlock forgets the username's failures and lock."""
    s.execute(
        delete(SignInFailure).where(SignInFailure.scope == USER, SignInFailure.key == name_key)
    )
