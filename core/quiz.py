"""Multiple-choice items with misconception-coded wrong answers, loaded from content/quizzes.

Each wrong option names the misconception it reveals, so telemetry records *why* an answer was
wrong (the error type), not only that it was.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from core.config import LANGUAGES

if TYPE_CHECKING:
    from core.telemetry import ItemHistory

QUIZ_DIR = Path(__file__).resolve().parents[1] / "content" / "quizzes"


@dataclass(frozen=True)
class Option:
    text: dict[str, str]
    error_type: str | None  # None marks the correct option


@dataclass(frozen=True)
class QuizItem:
    id: str
    skill: str
    question: dict[str, str]
    hint: dict[str, str]
    explanation: dict[str, str]
    options: tuple[Option, ...]

    @property
    def answer(self) -> int:
        return next(i for i, o in enumerate(self.options) if o.error_type is None)


@dataclass(frozen=True)
class Grade:
    correct: bool
    error_type: str | None


def _texts(raw: dict[str, object], field: str, where: str) -> dict[str, str]:
    texts = {lang: raw.get(f"{field}_{lang}") for lang in LANGUAGES}
    missing = [lang for lang, text in texts.items() if not isinstance(text, str) or not text]
    if missing:
        raise ValueError(f"{where}: {field} missing in {missing}")
    return {lang: str(text) for lang, text in texts.items()}


@lru_cache(maxsize=32)
def load_quiz(name: str) -> tuple[QuizItem, ...]:
    with (QUIZ_DIR / f"{name}.toml").open("rb") as fh:
        data = tomllib.load(fh)
    items = []
    for raw in data["item"]:
        where = f"{name}:{raw['id']}"
        options = tuple(
            Option(_texts(o, "text", where), o.get("error_type")) for o in raw["option"]
        )
        if sum(o.error_type is None for o in options) != 1:
            raise ValueError(f"{where}: exactly one option must be correct")
        items.append(
            QuizItem(
                id=raw["id"],
                skill=raw["skill"],
                question=_texts(raw, "question", where),
                hint=_texts(raw, "hint", where),
                explanation=_texts(raw, "explanation", where),
                options=options,
            )
        )
    return tuple(items)


def grade(item: QuizItem, choice: int) -> Grade:
    if not 0 <= choice < len(item.options):
        raise ValueError(f"choice {choice} out of range for {item.id}")
    return Grade(choice == item.answer, item.options[choice].error_type)


def solved_count(items: Iterable[QuizItem], history: Mapping[str, ItemHistory]) -> int:
    """How many items the learner has answered right, from the stored events (the history per
    item id of core.telemetry.item_history), so the count survives a reload or a new sign-in."""
    return sum(1 for item in items if item.id in history and history[item.id].solved)
