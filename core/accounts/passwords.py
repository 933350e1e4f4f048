"""Password hashing (argon2id) and a policy that rejects what attackers try first."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core.accounts.errors import AccountError

MIN_LENGTH = 8
MAX_LENGTH = 128
COMMON_LIST = Path(__file__).resolve().parents[2] / "content" / "common_passwords.txt"
KEYBOARD_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "йцукенгшщзхъ", "фывапролджэ")

# argon2id with RFC 9106's second recommended profile (64 MiB, t=3, p=4): ~50-100 ms on a laptop
# core, slow for an attacker, fast enough for a class logging in at once.
_hasher = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=4)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


def _is_pattern(pw: str) -> bool:
    low = pw.lower()
    if len(set(low)) <= 2:
        return True
    return any(low in row or low in row[::-1] for row in KEYBOARD_ROWS)


def check_password_policy(password: str, username: str = "") -> None:
    """Raise AccountError with the reason a password is weak; return None if acceptable."""
    if len(password) < MIN_LENGTH:
        raise AccountError("errors.password_too_short", min=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        raise AccountError("errors.password_too_long", max=MAX_LENGTH)
    low = password.lower()
    if low in common_passwords() or _is_pattern(password):
        raise AccountError("errors.password_common")
    if username and username.lower() in low:
        raise AccountError("errors.password_contains_username")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


# Verified against when the username does not exist, so response time does not reveal accounts.
DUMMY_HASH = _hasher.hash("zerde-dummy-password-for-timing")
