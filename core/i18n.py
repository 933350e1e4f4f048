"""Translations: `t(key, lang, **params)` over TOML catalogues: content/i18n/{lang}.toml for the
platform, plus content/i18n/{lang}/*.toml, one file per lab, so labs grow without editing
each other's files. Keys must not repeat across files.

A missing key falls back to English so a lesson never breaks mid-class, but it is remembered in
`missing_seen()` and the test suite fails on it; a key missing everywhere is shown raw and the
AppTest suite fails on that too.
"""

from __future__ import annotations

import re
import string
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.config import LANGUAGES
from core.locale import format_spec as locale_spec

CATALOGUE_DIR = Path(__file__).resolve().parents[1] / "content" / "i18n"
FALLBACK = "en"
LANGUAGE_NAMES: dict[str, str] = {"kk": "Қазақша", "ru": "Русский", "en": "English"}

_missing: set[tuple[str, str]] = set()


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{full}."))
        else:
            flat[full] = str(value)
    return flat


@lru_cache(maxsize=len(LANGUAGES))
def catalogue(lang: str) -> dict[str, str]:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    merged: dict[str, str] = {}
    for path in [CATALOGUE_DIR / f"{lang}.toml", *sorted((CATALOGUE_DIR / lang).glob("*.toml"))]:
        with path.open("rb") as fh:
            entries = _flatten(tomllib.load(fh))
        clash = merged.keys() & entries.keys()
        if clash:
            raise ValueError(f"{path}: keys already defined elsewhere: {sorted(clash)[:5]}")
        merged.update(entries)
    return merged


class _ReaderFormatter(string.Formatter):
    """str.format, with numbers written the reader's way (core.locale): "{x:.1f}" gives "2,5"
    in Kazakh and Russian, "{n:,}" gives "2 000"."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            shown = locale_spec(value, format_spec, self.lang)
            if shown is not None:
                return shown
        return super().format_field(value, format_spec)


def t(key: str, lang: str, **params: Any) -> str:
    text = catalogue(lang).get(key)
    if text is None:
        _missing.add((lang, key))
        text = catalogue(FALLBACK).get(key, key)
    if not params:
        return text
    try:
        return _ReaderFormatter(lang).format(text, **params)
    except (KeyError, IndexError, ValueError):
        _missing.add((lang, f"{key} (bad placeholders)"))
        return text


def has_key(key: str) -> bool:
    return key in catalogue(FALLBACK)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def missing_seen() -> set[tuple[str, str]]:
    return set(_missing)


def namespaces() -> set[str]:
    return {key.split(".", 1)[0] for key in catalogue(FALLBACK)}


RAW_KEY = re.compile(r"\b[a-z_]+(?:\.[a-z0-9_]+)+\b")


def raw_keys_in(text: str) -> list[str]:
    """Dotted tokens in rendered text that look like our keys (a namespace we use)."""
    spaces = namespaces()
    return [m for m in RAW_KEY.findall(text) if m.split(".", 1)[0] in spaces]


def best_language(locale: str | None, default: str) -> str:
    """Pick kk/ru/en from a browser locale such as 'ru-RU'."""
    if locale:
        code = locale.split("-")[0].split("_")[0].lower()
        if code in LANGUAGES:
            return code
    return default
