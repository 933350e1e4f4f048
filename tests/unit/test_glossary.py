"""One glossary of key terms (content/i18n/glossary.toml): the catalogues, quizzes and lesson
texts use its word for each term where the term is named, and none of its forbidden variants;
plus the teacher's summary wording (no empty brackets)."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from core.analytics.profiles import Profile
from core.analytics.report import StudentReport
from core.analytics.summary import student_summary
from core.config import LANGUAGES
from core.i18n import CATALOGUE_DIR, catalogue, t
from core.quiz import QUIZ_DIR, load_quiz

GLOSSARY = CATALOGUE_DIR / "glossary.toml"
LESSONS = Path(__file__).resolve().parents[2] / "content" / "lessons"


@cache
def glossary() -> dict[str, dict[str, Any]]:
    with GLOSSARY.open("rb") as fh:
        return tomllib.load(fh)


def uses(text: str, word: str) -> bool:
    """A word of ``text`` starts with ``word`` (any case): inflected forms count."""
    return re.search(rf"(?<!\w){re.escape(word)}", text, re.IGNORECASE) is not None


@cache
def texts(lang: str) -> dict[str, str]:
    """Every text of one language by where it lives: catalogue keys, quiz texts
    (quiz:<quiz>:<item>:<field>) and lesson files (lesson:<lab>/<file>)."""
    found = dict(catalogue(lang))
    for path in sorted(QUIZ_DIR.glob("*.toml")):
        for item in load_quiz(path.stem):
            where = f"quiz:{path.stem}:{item.id}"
            found[f"{where}:question"] = item.question[lang]
            found[f"{where}:hint"] = item.hint[lang]
            found[f"{where}:explanation"] = item.explanation[lang]
            for n, option in enumerate(item.options, start=1):
                found[f"{where}:option{n}"] = option.text[lang]
    for path in sorted(LESSONS.glob(f"*/{lang}/*.md")):
        found[f"lesson:{path.parent.parent.name}/{path.name}"] = path.read_text(encoding="utf-8")
    return found


def test_every_term_has_a_word_in_every_language_and_a_place() -> None:
    assert glossary()
    for term, entry in glossary().items():
        assert entry.get("meaning"), term
        for lang in LANGUAGES:
            assert isinstance(entry.get(lang), str) and entry[lang].strip(), (term, lang)
        assert entry.get("used_in"), term
        assert set(entry.get("forbidden", {})) <= set(LANGUAGES), term


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_term_is_named_with_its_glossary_word(lang: str) -> None:
    known = texts(lang)
    wrong = []
    for term, entry in glossary().items():
        for where in entry["used_in"]:
            assert where in known, f"{term}: {where} is not a catalogue key or quiz text"
            text = known[where]
            if not uses(text, entry[lang]):
                wrong.append(f"{where} does not use «{entry[lang]}» ({term}): {text}")
            clashes = [
                other
                for other, other_entry in glossary().items()
                if other != term
                and where not in other_entry["used_in"]
                and uses(text, other_entry[lang])
            ]
            wrong += [f"{where} names {term} with {other}'s word: {text}" for other in clashes]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_forbidden_variant_anywhere(lang: str) -> None:
    found = [
        f"{where}: «{variant}» instead of «{entry[lang]}» ({term})"
        for term, entry in glossary().items()
        for variant in entry.get("forbidden", {}).get(lang, [])
        for where, text in texts(lang).items()
        if uses(text, variant)
    ]
    assert not found, "\n".join(found)


def test_the_checks_catch_what_they_should() -> None:
    assert uses("Тәжірибені іске қосыңыз", "тәжірибе")
    assert not uses("попыток", "опыт") and not uses("expected", "XP")
    assert uses("«Айлар» жиынында", "«айлар")
    assert uses("Тәжірибе (XP)", glossary()["experiment"]["kk"])  # the old label of XP


def test_kazakh_and_russian_wording_fixed() -> None:
    assert "игереді" in texts("kk")["quiz:ml:classification:option4"]
    assert t("profiles.fast_guesser", "ru") == "отвечает наугад"
    assert t("profiles.struggling", "ru") == "затрудняется по всем темам"


def _report(reasons: tuple[str, ...]) -> StudentReport:
    table = pd.DataFrame({"skill": ["chain.hashing"], "p_mastery": [0.5]})
    profile = Profile(1, "on_track", reasons, None)
    return StudentReport(1, "Bolat", table, pd.DataFrame(), profile, [])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_teacher_summary_without_reasons_prints_no_empty_brackets(lang: str) -> None:
    quiet = student_summary(_report(()), lang)
    assert "()" not in quiet and "( )" not in quiet
    assert t("profiles.on_track", lang) in quiet
    reasoned = student_summary(_report(("accuracy_high",)), lang)
    assert f"({t('profiles.reason.accuracy_high', lang)})" in reasoned
