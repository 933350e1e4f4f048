"""Names: what a person may call themselves without breaking pages or other people's screens."""

from __future__ import annotations

import re
import unicodedata

from core.accounts.errors import AccountError

USERNAME_RE = re.compile(r"^[\w.-]{3,32}$")
MAX_DISPLAY_NAME = 60
MAX_CLASS_NAME = 60
_MARKUP = re.compile(r"[<>]|javascript:", re.IGNORECASE)


def normalise_username(username: str) -> str:
    name = unicodedata.normalize("NFKC", username).strip().lower()
    if not USERNAME_RE.fullmatch(name):
        raise AccountError("errors.username_invalid", min=3, max=32)
    return name


def clean_text(value: str, max_len: int, field: str) -> str:
    """Trim, refuse control characters and markup; the field name picks the message."""
    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
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
