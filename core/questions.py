"""Predict-then-check questions shared by the labs. The learner locks a prediction before a run;
the right option is then computed from that run's numbers by the lab, never written down, and
each wrong option names the misconception it reveals (the recorded error type)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    id: str
    skill: str
    errors: dict[str, str]  # option -> the error type recorded when that option is wrong

    @property
    def options(self) -> tuple[str, ...]:
        return tuple(self.errors)


@dataclass(frozen=True)
class Verdict:
    correct: bool
    error_type: str | None
    truth: tuple[str, ...]  # every option the numbers make right


def question(id: str, skill: str, **errors: str) -> Question:
    return Question(id, skill, errors)


def judge(
    question: Question, choice: str, truth: Sequence[str], unlisted_error: str = "misjudged"
) -> Verdict:
    """``unlisted_error`` is recorded for a wrong option the question does not list (options
    chosen per run, such as k-mers)."""
    correct = choice in truth
    error = None if correct else question.errors.get(choice, unlisted_error)
    return Verdict(correct, error, tuple(truth))
