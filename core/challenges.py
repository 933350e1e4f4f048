"""A lesson's challenge: a goal the experiment's measured numbers must meet, and a rule that names
what a miss reveals (an error code the teacher's dashboard aggregates as a misconception).

``judge_challenge`` never trusts the page for the verdict: the page passes the experiment's setup
and the numbers core computed, and the challenge's rule decides.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

Setup = Mapping[str, object]
Measured = Mapping[str, float]


@dataclass(frozen=True)
class Challenge:
    lesson: str
    skill: str
    goal: Mapping[str, float]  # the numbers in the goal's text, also used by the rule
    setup: Mapping[str, object]  # what the experiment must be set to (dataset, noise…)
    rule: Callable[[Measured, Mapping[str, float]], str | None] = field(repr=False)
    codes: tuple[str, ...]  # every error code the rule can return

    @property
    def item_id(self) -> str:
        return f"challenge.{self.lesson}"


@dataclass(frozen=True)
class Verdict:
    ready: bool  # the experiment is set up as the challenge asks; otherwise nothing is judged
    correct: bool
    error_type: str | None
    mismatched: tuple[str, ...] = ()  # setup keys to change first


def judge_challenge(challenge: Challenge, setup: Setup, measured: Measured) -> Verdict:
    mismatched = tuple(k for k, v in challenge.setup.items() if setup.get(k) != v)
    if mismatched:
        return Verdict(ready=False, correct=False, error_type=None, mismatched=mismatched)
    error = challenge.rule(measured, challenge.goal)
    return Verdict(ready=True, correct=error is None, error_type=error)


def error_codes(challenges: Iterable[Challenge]) -> tuple[str, ...]:
    return tuple(sorted({code for challenge in challenges for code in challenge.codes}))
