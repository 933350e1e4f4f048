"""Password hashing (argon2id) and a policy that rejects what attackers try first.

The policy has two layers. Quick rules with exact reasons (length, the common-password list,
keyboard runs, the username inside). Then zxcvbn, a real strength estimator (Dropbox's, pattern
matching over dictionaries, dates, l33t, repeats and sequences), with the words anyone here tries
first added to its dictionaries: Kazakh cities and regions, the country's name in its spellings,
school words, the person's own username and name. A 120-word list let through ``Passw0rd!``,
``Kazakhstan2024`` and ``Mektep2024``; zxcvbn scores each of them 1 out of 4.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn  # type: ignore[import-untyped]

from core.accounts.errors import AccountError

MIN_LENGTH = 8
MAX_LENGTH = 128
COMMON_LIST = Path(__file__).resolve().parents[2] / "content" / "common_passwords.txt"
KEYBOARD_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "йцукенгшщзхъ", "фывапролджэ")
# zxcvbn's scale: 0-2 fall to an online or a fast offline attack, 3 is "safely unguessable"
# (~10^8 guesses and up) for a password also protected by argon2 and the sign-in lockout.
MIN_SCORE = 3
ZXCVBN_MAX = 72  # zxcvbn's own limit; its time grows with length, the first 72 chars decide
# Guessed first in Kazakhstan, in the Latin spellings people type and in Cyrillic.
LOCAL_WORDS = (
    # the country and its people
    "kazakhstan", "qazaqstan", "kazakstan", "qazaq", "kazakh", "kazak", "kz",
    "казахстан", "қазақстан", "казакстан", "қазақ", "казах", "казак",
    # cities
    "almaty", "alma-ata", "astana", "nursultan", "akmola", "aqmola", "shymkent", "chimkent",
    "karaganda", "qaraghandy", "karagandy", "aktobe", "aqtobe", "taraz", "pavlodar",
    "oskemen", "ustkamenogorsk", "semey", "semei", "atyrau", "kostanay", "qostanay",
    "kyzylorda", "qyzylorda", "oral", "uralsk", "petropavl", "petropavlovsk", "aktau", "aqtau",
    "turkestan", "turkistan", "kokshetau", "taldykorgan", "taldyqorgan", "ekibastuz",
    "zhezkazgan", "jezkazgan", "baikonur", "baikonyr", "konaev", "qonaev", "temirtau",
    "алматы", "астана", "шымкент", "караганда", "қарағанды", "ақтөбе", "актобе", "тараз",
    "павлодар", "өскемен", "семей", "атырау", "қостанай", "костанай", "қызылорда",
    "кызылорда", "орал", "уральск", "петропавл", "ақтау", "актау", "түркістан", "туркестан",
    "көкшетау", "кокшетау", "талдықорған", "талдыкорган",
    # regions
    "zhetysu", "jetisu", "abai", "abay", "ulytau", "mangystau", "mangistau", "zhambyl",
    "jambyl", "zhambul", "sko", "vko", "zko",
    "жетісу", "абай", "ұлытау", "маңғыстау", "ақмола", "жамбыл",
    # school words
    "mektep", "sabaq", "sabak", "synyp", "sinip", "oqushy", "okushy", "oqushi", "muqalim",
    "mugalim", "mugalimi", "ustaz", "bilim", "zerde", "school", "shkola", "klass", "uchitel",
    "student", "teacher", "class", "parol", "qupiasoz", "kupiyasoz", "qupiya",
    "мектеп", "сабақ", "сынып", "оқушы", "мұғалім", "ұстаз", "білім", "зерде", "школа",
    "класс", "учитель", "ученик", "пароль", "құпиясөз",
)  # fmt: skip
# zxcvbn keeps the user-input dictionary in a module global: two threads (two Streamlit sessions)
# checking at once would score against each other's names.
_zxcvbn_lock = threading.Lock()

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


def strength(password: str, *personal: str) -> dict[str, Any]:
    """zxcvbn's verdict with the local words and the person's own words in its dictionary."""
    words = [*LOCAL_WORDS, *(part for text in personal for part in text.lower().split() if part)]
    with _zxcvbn_lock:
        return dict(zxcvbn(password[:ZXCVBN_MAX], user_inputs=words))


def check_password_policy(password: str, username: str = "", display_name: str = "") -> None:
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
    verdict = strength(password, username, display_name)
    if verdict["score"] < MIN_SCORE:
        local = any(m.get("dictionary_name") == "user_inputs" for m in verdict["sequence"])
        raise AccountError("errors.password_local_word" if local else "errors.password_guessable")


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
