"""Names: what a person may call themselves without breaking pages or other people's screens."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from core.accounts.errors import AccountError
from core.text import scripts, skeleton

USERNAME_RE = re.compile(r"^[\w.-]{3,32}$")
MAX_DISPLAY_NAME = 60
MAX_CLASS_NAME = 60
_MARKUP = re.compile(r"[<>]|javascript:", re.IGNORECASE)
# Unicode's Bidi_Control property (PropList.txt): overrides, embeddings, isolates and marks
# reorder what follows them (U+202E before "gnp.exe" shows "exe.png"); a name never needs them.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Letters that draw nothing (Hangul fillers, the blank braille pattern): not Cf, still invisible.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _visible(text: str) -> bool:
    """At least one letter, digit, punctuation mark or symbol that draws something: a name of
    only zero-width spaces (Cf), combining marks or blank fillers would show as nothing."""
    return any(unicodedata.category(ch)[0] in "LNPS" and ch not in _BLANK_LETTERS for ch in text)


def check_new_username(name: str, existing: Iterable[str]) -> None:
    """A new (normalised) username must not pass for someone else's: one alphabet only, and no
    existing username with the same Unicode TR39 skeleton ("dаna.s" with a Cyrillic а is
    refused once "dana.s" exists). Existing accounts keep their names; only new ones are checked."""
    if len(scripts(name)) > 1:
        raise AccountError("errors.username_mixed_script")
    mine = skeleton(name)
    if any(other != name and skeleton(other) == mine for other in existing):
        raise AccountError("errors.username_confusable")


def normalise_username(username: str) -> str:
    name = unicodedata.normalize("NFKC", username).strip().lower()
    if not USERNAME_RE.fullmatch(name):
        raise AccountError("errors.username_invalid", min=3, max=32)
    return name


def clean_text(value: str, max_len: int, field: str) -> str:
    """Trim, drop bidi controls, refuse invisible-only text, control characters and markup;
    the field name picks the message."""
    text = unicodedata.normalize("NFKC", value)
    text = "".join(ch for ch in text if ch not in BIDI_CONTROLS).strip()
    if not _visible(text):
        raise AccountError(f"errors.{field}_empty")
    if len(text) > max_len:
        raise AccountError(f"errors.{field}_too_long", max=max_len)
    if _MARKUP.search(text) or any(unicodedata.category(ch) == "Cc" for ch in text):
        raise AccountError("errors.markup_not_allowed")
    return text


def clean_display_name(value: str) -> str:
    return clean_text(value, MAX_DISPLAY_NAME, "display_name")


def clean_class_name(value: str) -> str:
    return clean_text(value, MAX_CLASS_NAME, "class_name")
