"""The learner model's guards (issue 21): the public next-answer API on contract-only frames,
no look-ahead (a prefix predicts what the whole history predicts), the uncertainty state, the
struggling threshold, truthful (bounded) mastery, and one number for the student and the class."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache

import numpy as np
import pandas as pd

from core.analytics import LearnerModel, mastery, next_answer_probabilities, struggling
from core.analytics.mastery import (
    DEFAULT_MODEL,
    MIN_EVIDENCE,
    STRUGGLING_BELOW,
    fit_model,
    interval,
)
from core.analytics.simulate import CohortSpec, SimulatedCohort, simulate_cohort

CONTRACT = ["user_id", "skill", "item_id", "correct", "answered_at"]
BASE = datetime(2026, 11, 2, 9, tzinfo=UTC)


@cache
def _cohort() -> SimulatedCohort:
    return simulate_cohort(CohortSpec(n_students=80, seed=5))


def _split() -> tuple[pd.DataFrame, pd.DataFrame]:
    events = _cohort().events
    users = np.sort(events["user_id"].unique())
    train = events[events["user_id"].isin(users[:60])].reset_index(drop=True)
    test = events[~events["user_id"].isin(users[:60])].reset_index(drop=True)
    return train, test


def _answers(user: int, skill: str, results: list[bool], start: int = 0) -> list[dict]:
    return [
        {"user_id": user, "skill": skill, "item_id": f"{skill}:q{i % 3}", "correct": ok,
         "answered_at": BASE + timedelta(minutes=start + i)}
        for i, ok in enumerate(results)
    ]  # fmt: skip


def test_api_works_on_contract_columns_only_and_with_missing_behaviour() -> None:
    train, test = _split()
    full = next_answer_probabilities(train, test)
    bare = next_answer_probabilities(train[CONTRACT], test[CONTRACT])
    holes = test.assign(decision_ms=np.nan, error_type=None, hints_used=np.nan)
    with_nan = next_answer_probabilities(train, holes)
    for p in (full, bare, with_nan):
        assert p.shape == (len(test),) and np.isfinite(p).all() and ((p > 0) & (p < 1)).all()
    # Still a model: right answers are predicted higher than wrong ones.
    y = test["correct"].astype(bool).to_numpy()
    assert bare[y].mean() > bare[~y].mean() + 0.1


def test_prefix_predicts_what_the_whole_history_predicts() -> None:
    """No look-ahead: cutting the test events at any moment leaves the earlier predictions."""
    train, test = _split()
    model = LearnerModel().fit(train)
    whole = model.predict_next(test)
    cut = test["answered_at"].sort_values().iloc[len(test) // 3]
    early = (test["answered_at"] <= cut).to_numpy()
    prefix = model.predict_next(test[early])
    np.testing.assert_allclose(prefix, whole[early], rtol=1e-9, atol=1e-12)
    # Flipping a later answer changes nothing before it.
    flipped = test.copy()
    later = np.flatnonzero(~early)[0]
    flipped.loc[later, "correct"] = not bool(flipped.loc[later, "correct"])
    np.testing.assert_allclose(model.predict_next(flipped)[early], whole[early])


def test_row_order_of_the_frame_does_not_matter() -> None:
    train, test = _split()
    model = LearnerModel().fit(train)
    shuffled = test.sample(frac=1.0, random_state=3)
    p = pd.Series(model.predict_next(shuffled), index=shuffled.index).sort_index()
    np.testing.assert_allclose(p.to_numpy(), model.predict_next(test))


def test_few_answers_are_not_enough_evidence() -> None:
    rows = _answers(1, "chain.hashing", [True, True]) + _answers(
        1, "ml.supervised", [True] * 12, 10
    )
    table = mastery(pd.DataFrame(rows), DEFAULT_MODEL).set_index("skill")
    few = table.loc["chain.hashing"]
    assert few["state"] == "uncertain" and few["n_evidence"] == 2 < MIN_EVIDENCE
    assert few["p_low"] < few["p_mastery"] < few["p_high"]
    many = table.loc["ml.supervised"]
    assert many["state"] == "strong" and many["n_evidence"] == 12
    assert many["p_high"] - many["p_low"] < few["p_high"] - few["p_low"]


def test_interval_narrows_with_evidence() -> None:
    low, high = interval(np.full(4, 0.5), np.array([0, 5, 20, 200]))
    widths = high - low
    assert (np.diff(widths) < 0).all() and widths[0] > 0.6 and widths[-1] < 0.1


def test_a_mostly_wrong_record_is_never_shown_as_strong() -> None:
    """Bounded mastery: with >= 10 answers and under 50 % right, p_mastery stays under 0.8 even
    when the last answers were right (BKT read one right answer as certain knowledge)."""
    rows = []
    for user in range(1, 31):
        results = [False] * 7 + [True] * 5 if user % 2 else [True, False] * 6
        rows += _answers(user, "chain.hashing", results[: 11 + user % 2])
        rows += _answers(user, "ml.supervised", [True] * 8, 100)
    events = pd.DataFrame(rows)
    table = mastery(events)  # fitted on these events
    weak = table[(table["skill"] == "chain.hashing")]
    weak = weak[weak["error_rate"] > 0.5]
    assert len(weak) >= 10
    assert (weak["p_mastery"] < 0.8).all()


def test_struggling_only_lists_skills_under_the_threshold() -> None:
    rows = _answers(1, "chain.hashing", [False] * 8) + _answers(1, "chain.blocks", [True] * 8, 20)
    rows += _answers(1, "ml.supervised", [False, True] * 4, 40)
    rows += _answers(1, "rl.q_learning", [False, False], 60)  # too few answers to say
    rows += _answers(2, "chain.hashing", [True] * 8) + _answers(2, "chain.blocks", [True] * 8, 20)
    events = pd.DataFrame(rows)
    table = mastery(events, DEFAULT_MODEL).set_index(["user_id", "skill"])
    found = struggling(events, 1, k=5, model=DEFAULT_MODEL)
    assert found[0] == "chain.hashing"
    assert all(table.loc[(1, s), "p_mastery"] < STRUGGLING_BELOW for s in found)
    assert "chain.blocks" not in found and "rl.q_learning" not in found
    assert struggling(events, 2, k=3, model=DEFAULT_MODEL) == []  # fine: none
    assert struggling(events, 1, k=1, model=DEFAULT_MODEL) == ["chain.hashing"]


def test_one_number_whether_traced_for_the_class_or_for_the_student_alone() -> None:
    """The dashboard traces the class, My progress the student's own events: same model, same
    numbers."""
    events = _cohort().events
    model = fit_model(events)
    table = mastery(events, model).set_index(["user_id", "skill"])
    for user in (3, 40):
        mine = mastery(events[events["user_id"] == user], model).set_index(["user_id", "skill"])
        gap = (mine["p_mastery"] - table.loc[mine.index, "p_mastery"]).abs()
        assert gap.max() < 1e-9


def test_cost_grows_with_answers_not_the_longest_sequence() -> None:
    """One learner with a very long history costs about what the same answers spread over many
    learners cost (the padded matrix grew with the longest sequence)."""
    import time

    rng = np.random.default_rng(1)
    n = 20_000
    at = pd.Timestamp(BASE) + pd.to_timedelta(np.arange(n), unit="s")
    common = {"skill": rng.choice(["a.x", "b.y", "c.z"], n), "item_id": "q",
              "correct": rng.random(n) < 0.7, "answered_at": at}  # fmt: skip
    long = pd.DataFrame({"user_id": np.r_[np.ones(n - 100, int), np.arange(2, 102)], **common})
    spread = pd.DataFrame({"user_id": np.arange(n) % 200 + 1, **common})
    model = LearnerModel().fit(spread)
    spent = []
    for frame in (spread, long):
        start = time.process_time()
        table = mastery(frame, model)
        model.predict_next(frame)
        spent.append(time.process_time() - start)
    assert spent[1] < 3 * spent[0] + 0.5
    assert len(table) == 3 + 100 and table["p_mastery"].between(0, 1).all()
