"""The demo class looks like a real class: it is made of the decisions the labs record (their
activities, item ids, skills and error codes), every tab of the dashboard has something to
show, and its spread of ability is a plausible one (issue: other mistake codes than the labs
record, an empty quest tab, 23 of 24 students "below 40 %")."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.analytics.report import ClassAnalytics, analyse_events
from core.analytics.simulate import ClassSpec, SimulatedCohort, simulate_class
from core.blockchain import quests as q
from core.blockchain.hashing import digest
from core.blockchain.keys import Puzzle
from core.blockchain.ledger import Ledger
from core.blockchain.progress import ACTIVITY as QUEST
from core.blockchain.quests import LEVELS, TASKS
from core.blockchain.quests_onchain import VOCABULARY
from core.blockchain.results import CONCEPTS, class_concepts
from core.ml import challenges as ml_challenges
from core.ml import lessons as ml_lessons
from core.quiz import load_quiz
from core.rl import challenges as rl_challenges
from core.rl import lessons as rl_lessons

ROOT = Path(__file__).resolve().parents[2]
Key = tuple[str, str, str]  # activity, item id, part


def _onboarding_activity() -> str:
    """The activity the onboarding page records under (a page cannot be imported in a test)."""
    page = (ROOT / "app_pages" / "onboarding.py").read_text(encoding="utf-8")
    found = re.search(r'^ACTIVITY = "([a-z_]+)"$', page, re.MULTILINE)
    assert found
    return found.group(1)


def _quiz_codes(item: object) -> set[str]:
    return {o.error_type for o in item.options if o.error_type}  # type: ignore[attr-defined]


def _checked_codes() -> dict[Key, set[str]]:
    """What the checkers of quest levels 1-4 answer to wrong answers, found by running them."""
    codes: dict[Key, set[str]] = defaultdict(set)

    def add(task: str, outcome: q.Outcome, part: str = "") -> None:
        assert not outcome.correct
        codes[(QUEST, task, part)].add(str(outcome.error_type))

    add("avalanche", q.check_avalanche("Kegen", "Kegan", 0.0))
    add("avalanche", q.check_avalanche("Kegen", "Kegan", 1.0))
    add("find_prefix", q.check_prefix_answer("", "0"))
    for i in range(300):
        outcome = q.check_prefix_answer(f"text {i}", "0")
        if not outcome.correct:
            add("find_prefix", outcome)
    text = "Bolat sells 12 bales of wool"
    add("keccak_vs_sha", q.check_keccak_vs_sha(text, "sha256", digest(text, "keccak256")))
    ledger = Ledger(difficulty=1)
    for data in ("a", "b", "c"):
        ledger.add_block(data)
    add("find_tampered", q.check_tampered_pick(ledger, 1))
    ledger.edit(2, "forged")
    add("find_tampered", q.check_tampered_pick(ledger, 3))
    add("find_tampered", q.check_tampered_pick(ledger, 1))
    add("repair_chain", q.check_repaired(ledger))
    old_link = ledger.blocks[3].previous_hash
    ledger.mine(2)  # re-mined, but the next block still points at the old seal
    ledger.blocks[3].previous_hash = old_link
    add("repair_chain", q.check_repaired(ledger))
    add("predict_attempts", q.check_attempts_guess(3, 48))
    add("predict_attempts", q.check_attempts_guess(3, 100_000))
    address = "0x" + "ab" * 20
    add("derive_address", q.check_address_answer(address, "0x" + "12" * 32))
    add("derive_address", q.check_address_answer(address, "0x12"))
    verdicts = ("genuine", "message_changed", "other_signer", "malformed")
    for truth in verdicts:
        for answer in verdicts:
            if answer != truth:
                puzzle = Puzzle("note", "0x00", address, truth)  # type: ignore[arg-type]
                add("spot_forgery", q.check_forgery_verdict(puzzle, answer), part=truth)  # type: ignore[arg-type]
    return codes


@cache
def recordable() -> dict[Key, tuple[str, frozenset[str]]]:
    """Every (activity, item id, part) the labs of the demo record, with its skill and the error
    codes a wrong answer there can carry, from the labs' own definitions."""
    out: dict[Key, tuple[str, frozenset[str]]] = {}
    onboarding = _onboarding_activity()
    for item in load_quiz(onboarding):
        out[(onboarding, item.id, "")] = (item.skill, frozenset(_quiz_codes(item)))
    checked = _checked_codes()
    for level in LEVELS:
        for task in level.tasks:
            for part in task.parts or ("",):
                key = (QUEST, task.id, part)
                codes = VOCABULARY.get(level.id) or checked.get(key, set())
                out[key] = (task.skill, frozenset(codes))
    for lessons, challenges in ((ml_lessons, ml_challenges), (rl_lessons, rl_challenges)):
        quiz = {item.id: item for item in load_quiz(lessons.ACTIVITY)}
        for lesson in lessons.LESSONS:
            item = quiz[lesson.id]
            predict = (lessons.ACTIVITY, lesson.prediction_item, "")
            out[predict] = (item.skill, frozenset(_quiz_codes(item)))
            challenge = challenges.CHALLENGES.get(lesson.id)
            if challenge is not None:
                key = (lessons.ACTIVITY, challenge.item_id, "")
                out[key] = (challenge.skill, frozenset(challenge.codes))
    return out


@cache
def _class(seed: int) -> tuple[SimulatedCohort, ClassAnalytics]:
    cohort = simulate_class(ClassSpec(seed=seed))
    events = cohort.events.copy()
    events.insert(0, "id", np.arange(1, len(events) + 1))
    students = {int(u): f"S{u}" for u in cohort.students.index}
    return cohort, analyse_events(events, students, classroom_id=1)


def _part(payload: object) -> str:
    return str(payload.get("part", "")) if isinstance(payload, dict) else ""


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_event_is_one_the_labs_record(seed: int) -> None:
    events = _class(seed)[0].events
    known = recordable()
    for event in events.to_dict("records"):
        key = (event["activity"], event["item_id"], _part(event["payload"]))
        assert key in known, f"no lab records {key}"
        skill, codes = known[key]
        assert event["skill"] == skill, key
        if event["correct"]:
            assert event["error_type"] is None
        else:
            assert event["error_type"] in codes, (key, event["error_type"])
    # Every lab of the month is there, and a good part of each lab's vocabulary.
    assert set(events["activity"]) == {_onboarding_activity(), QUEST, "ml", "rl"}
    assert set(events.loc[events["activity"] == QUEST, "item_id"]) >= set(TASKS) - {
        "longest_chain", "double_spend"
    }  # fmt: skip
    assert events["error_type"].nunique() > 40


def test_every_tab_of_the_dashboard_has_something_to_show() -> None:
    cohort, analytics = _class(0)
    assert analytics.heatmap().notna().to_numpy().mean() > 0.6
    assert len(analytics.difficulty()) == cohort.events["skill"].nunique() >= 15
    assert analytics.top_mistakes()["skill"].nunique() >= 10
    assert not analytics.decision_times.empty
    assert analytics.overview["mean_mastery"].notna().all()
    assert len({p.profile for p in analytics.profiles.values()}) >= 2
    quest = class_concepts(analytics.quest, analytics.students)
    practised = quest[list(CONCEPTS)].notna().sum(axis=1)
    assert (practised >= 4).mean() >= 0.8  # the quest tab: a row of concepts for the class


def test_a_plausible_share_of_students_needs_help() -> None:
    """The dashboard's "with a skill below 40 %", over a few classes: most students are fine,
    a few are not."""
    shares = [_class(seed)[1].needs_help / 24 for seed in range(5)]
    assert np.mean(shares) <= 0.25
    assert max(shares) <= 0.5
    assert sum(share > 0 for share in shares) >= 3


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_realistic_spread_of_ability(seed: int) -> None:
    """First answers right: most students between 40 % and 90 %, a few above, a spread."""
    events = _class(seed)[0].events
    first = events[events["attempt"] == 1].groupby("user_id")["correct"].mean()
    assert first.between(0.4, 0.9).mean() >= 0.6
    assert first.max() - first.min() >= 0.2
    # How far each got in the month differs too: not everyone reached the last lessons.
    reached = events.groupby("user_id")["answered_at"].size()
    assert reached.max() > 1.3 * reached.min()


def test_quest_parts_and_lessons_are_played_as_the_labs_do() -> None:
    events = _class(0)[0].events
    predictions = events[events["item_id"].str.startswith("predict.")]
    assert (predictions["attempt"] == 1).all()  # one prediction per lesson
    assert not predictions.duplicated(["user_id", "activity", "item_id"]).any()
    forgery = events[events["item_id"] == "spot_forgery"]
    assert set(forgery["payload"].map(_part)) == set(TASKS["spot_forgery"].parts)
    # A retry follows a wrong answer to the same item and starts when it was given.
    ordered = events.sort_values(["user_id", "answered_at"], kind="stable")
    previous = ordered.groupby("user_id").shift(1)
    retry = ordered["attempt"] > 1
    assert (previous.loc[retry, "item_id"] == ordered.loc[retry, "item_id"]).all()
    assert (~previous.loc[retry, "correct"].astype(bool)).all()
    same_lesson = retry & (ordered["shown_at"] - previous["answered_at"] < pd.Timedelta(hours=1))
    assert (ordered.loc[same_lesson, "shown_at"] == previous.loc[same_lesson, "answered_at"]).all()
