"""The simulated cohort: its events obey the telemetry contract and reflect the truth drawn."""

from __future__ import annotations

import re
import time
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pytest

from core.analytics.bkt import fit_em, to_matrix
from core.analytics.simulate import (
    ARCHETYPES,
    DEFAULT_SKILLS,
    MISCONCEPTIONS,
    ClassSpec,
    CohortSpec,
    SimulatedCohort,
    lab_curriculum,
    simulate_class,
    simulate_cohort,
)
from core.blockchain.quests import TASKS
from core.telemetry import Event
from core.telemetry.schema import EVENT_COLUMNS as SCHEMA_COLUMNS

EVENT_COLUMNS = [c for c in SCHEMA_COLUMNS if c != "id"]


@cache
def _cohort(n_students: int = 300, seed: int = 7) -> SimulatedCohort:
    """Shared read-only cohorts: tests must not mutate the frames."""
    return simulate_cohort(CohortSpec(n_students=n_students, seed=seed))


def _with_truth(cohort: SimulatedCohort) -> pd.DataFrame:
    """Events joined to the truth, with the latent state at each answer reconstructed."""
    m = cohort.events.merge(cohort.truth, left_on=["user_id", "skill"], right_index=True)
    m = m.merge(cohort.students, left_on="user_id", right_index=True)
    m["opportunity"] = m.groupby(["user_id", "skill"]).cumcount()
    m["known"] = m["opportunity"] >= m["learned_at"]
    return m


def test_the_vocabulary_covers_every_default_skill() -> None:
    assert set(MISCONCEPTIONS) >= set(DEFAULT_SKILLS)
    for skill in DEFAULT_SKILLS:
        codes = MISCONCEPTIONS[skill]
        assert 2 <= len(codes) <= 3
        assert len(set(codes)) == len(codes)
        assert all(re.fullmatch(r"[a-z0-9_]+", c) and len(c) <= 48 for c in codes)


def test_same_seed_same_cohort_and_another_seed_differs() -> None:
    spec = CohortSpec(n_students=20, seed=11)
    a, b = simulate_cohort(spec), simulate_cohort(spec)
    pd.testing.assert_frame_equal(a.events, b.events)
    pd.testing.assert_frame_equal(a.truth, b.truth)
    pd.testing.assert_frame_equal(a.students, b.students)
    c = simulate_cohort(CohortSpec(n_students=20, seed=12))
    assert not a.events["correct"].equals(c.events["correct"]) or len(a.events) != len(c.events)


def test_columns_dtypes_and_shapes() -> None:
    spec = CohortSpec(n_students=30, seed=1, min_opportunities=5, max_opportunities=9)
    cohort = simulate_cohort(spec)
    e = cohort.events
    assert list(e.columns) == EVENT_COLUMNS
    assert e["user_id"].dtype == np.int64
    assert e["decision_ms"].dtype == np.int64
    assert e["attempt"].dtype == np.int64
    assert e["hints_used"].dtype == np.int64
    assert e["correct"].dtype == bool
    for col in ("shown_at", "answered_at"):
        assert isinstance(e[col].dtype, pd.DatetimeTZDtype)
        assert str(e[col].dt.tz) == "UTC"
    assert e["classroom_id"].isna().all()
    assert e["payload"].map(lambda p: p == {"simulated": True}).all()
    assert set(e["user_id"]) == set(range(1, 31))
    assert set(e["skill"]) == set(DEFAULT_SKILLS)
    assert (e["activity"] == e["skill"].str.split(".").str[0] + "_quiz").all()
    assert e["item_id"].str.fullmatch(r"[a-z_.]+:q[0-5]").all()
    assert (e["item_id"].str.split(":").str[0] == e["skill"]).all()

    truth, students = cohort.truth, cohort.students
    assert truth.index.names == ["user_id", "skill"]
    assert len(truth) == 30 * len(DEFAULT_SKILLS)
    assert list(truth.columns) == [
        "prior",
        "learn",
        "guess",
        "slip",
        "known_final",
        "n_opportunities",
        "learned_at",
        "strength",
        "dominant_error",
    ]
    assert truth["n_opportunities"].between(5, 9).all()
    counts = e.groupby(["user_id", "skill"]).size()
    assert counts.sort_index().equals(truth["n_opportunities"].sort_index().rename(None))
    assert truth["prior"].between(0.02, 0.95).all()
    assert truth["learn"].between(0.01, 0.36).all()
    assert truth["guess"].between(0.1, 0.3).all()
    assert truth["slip"].between(0.03, 0.15).all()
    assert students.index.name == "user_id"
    assert list(students.columns) == ["archetype", "ability"]
    assert set(students["archetype"]) <= set(ARCHETYPES)


def test_ids_and_classroom_follow_the_spec() -> None:
    cohort = simulate_cohort(CohortSpec(n_students=5, seed=2, user_id_start=101, classroom_id=9))
    assert set(cohort.events["user_id"]) == set(range(101, 106))
    assert list(cohort.students.index) == list(range(101, 106))
    assert (cohort.events["classroom_id"] == 9).all()
    assert cohort.events["classroom_id"].dtype == np.int64


@pytest.mark.parametrize(
    "bad",
    [
        {"n_students": 0},
        {"skills": ()},
        {"min_opportunities": 0},
        {"min_opportunities": 9, "max_opportunities": 8},
        {"user_id_start": 0},
        {"classroom_id": 0},
        {"skills": ("hashing",)},
    ],
)
def test_impossible_specs_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        CohortSpec(**bad)  # type: ignore[arg-type]


def test_errors_only_on_wrong_answers_and_from_the_skill_vocabulary() -> None:
    e = _cohort().events
    assert e.loc[e["correct"], "error_type"].isna().all()
    assert all(v is None for v in e.loc[e["correct"], "error_type"])
    wrong = e[~e["correct"]]
    assert wrong["error_type"].notna().all()
    pairs = zip(wrong["skill"], wrong["error_type"], strict=True)
    assert all(code in MISCONCEPTIONS[skill] for skill, code in pairs)


def test_each_student_skill_has_a_dominant_misconception() -> None:
    cohort = _cohort()
    wrong = cohort.events[~cohort.events["correct"]]
    wrong = wrong.merge(cohort.truth, left_on=["user_id", "skill"], right_index=True)
    share = (wrong["error_type"] == wrong["dominant_error"]).mean()
    assert 0.65 < share < 0.75


def test_attempts_retry_the_same_item_after_a_miss_and_hints_accumulate() -> None:
    e = _cohort().events
    for _, g in e.groupby(["user_id", "skill"], sort=False):
        attempt = g["attempt"].to_numpy()
        correct = g["correct"].to_numpy()
        hints = g["hints_used"].to_numpy()
        items = g["item_id"].to_numpy()
        assert attempt[0] == 1
        retry = attempt[1:] > 1
        # A retry follows a wrong answer on the same item, one attempt later ...
        assert (attempt[1:][retry] == attempt[:-1][retry] + 1).all()
        assert (~correct[:-1][retry]).all()
        assert (items[1:][retry] == items[:-1][retry]).all()
        # ... and hints on that item are never forgotten; a new item starts afresh.
        assert (hints[1:][retry] >= hints[:-1][retry]).all()
        assert (items[1:][~retry] != items[:-1][~retry]).all()
    assert e["hints_used"].between(0, 3).all()
    assert (e["attempt"] > 1).mean() > 0.05


def test_hints_are_opened_when_the_skill_is_not_known_and_by_hint_reliant_students() -> None:
    m = _with_truth(_cohort())
    first = m[m["attempt"] == 1]
    by_state = first.groupby("known")["hints_used"].mean()
    assert by_state[False] > 3 * by_state[True]
    by_type = first[~first["known"]].groupby("archetype")["hints_used"].mean()
    assert by_type["hint_reliant"] > 1.5 * by_type["steady"]


def test_answers_follow_the_latent_state() -> None:
    m = _with_truth(_cohort())
    rate = m.groupby("known")["correct"].mean()
    assert rate[True] > 0.8
    assert rate[False] < 0.3


def test_known_answers_are_faster() -> None:
    m = _with_truth(_cohort())
    steady = m[(m["archetype"] == "steady") & (m["attempt"] == 1) & (m["hints_used"] == 0)]
    median = steady.groupby("known")["decision_ms"].median()
    assert median[True] < 0.75 * median[False]
    # Seen only through the truth table: mastered-from-the-start pairs answer faster overall.
    pair_median = m.groupby(["user_id", "skill"])["decision_ms"].median()
    truth = _cohort().truth
    strong = truth["known_final"] & (truth["learned_at"] == 0)
    weak = truth["prior"] < truth["prior"].quantile(0.2)
    assert pair_median[strong].median() < pair_median[weak].median()


def test_fast_guessers_answer_unknown_items_fast_and_mostly_wrong() -> None:
    m = _with_truth(_cohort())
    guessers = m[(m["archetype"] == "fast_guesser") & ~m["known"] & (m["hints_used"] == 0)]
    assert guessers["decision_ms"].between(1200, 3000).all()
    assert guessers["correct"].mean() < 0.4
    wrong = m[~m["correct"] & (m["attempt"] == 1) & (m["hints_used"] == 0)]
    median = wrong.groupby("archetype")["decision_ms"].median()
    assert median["fast_guesser"] < 0.5 * median["steady"]
    assert median["slow_accurate"] > 1.4 * median["steady"]


def test_decision_times_are_positive_bounded_and_match_the_timestamps() -> None:
    e = _cohort().events
    assert e["decision_ms"].between(1, 10 * 60 * 1000).all()
    diff = (e["answered_at"] - e["shown_at"]).to_numpy().astype("timedelta64[ms]")
    assert (diff.astype(np.int64) == e["decision_ms"].to_numpy()).all()


def test_every_student_has_two_weak_skills_and_stuck_ones_are_blocked() -> None:
    cohort = _cohort()
    truth = cohort.truth.reset_index()
    truth = truth.merge(cohort.students, left_on="user_id", right_index=True)
    # strength = ability - difficulty + personal noise - shifts; the difficulty is shared, so it
    # is estimated from every student and the shift read off what is left.
    base = truth["ability"] - truth["strength"]
    difficulty = base.groupby(truth["skill"]).median()
    shift = base - truth["skill"].map(difficulty)
    weak = (shift > 1.5).groupby(truth["user_id"]).sum()
    blocked = (shift > 4).groupby(truth["user_id"]).sum()
    stuck = cohort.students["archetype"] == "stuck"
    assert stuck.sum() > 20
    assert (weak == 2).mean() > 0.9
    assert blocked[stuck].between(1, 2).all()
    assert (blocked[~stuck] == 0).all()
    # And it shows in the answers.
    m = _with_truth(cohort)
    m_shift = m["ability"] - m["strength"] - m["skill"].map(difficulty)
    accuracy = m.groupby(m_shift > 1.5)["correct"].mean()
    assert accuracy[True] < accuracy[False] - 0.2


def test_mastery_at_the_end_increases_with_strength() -> None:
    truth = _cohort().truth
    bins = pd.qcut(truth["strength"], 5, labels=False)
    rate = truth["known_final"].groupby(bins).mean()
    assert rate.is_monotonic_increasing
    assert rate.iloc[-1] - rate.iloc[0] > 0.15
    learn = truth["learn"].groupby(bins).mean()
    assert learn.is_monotonic_increasing


def test_bkt_fitted_to_the_events_recovers_the_true_parameters() -> None:
    cohort = _cohort()
    skill = "chain.hashing"
    events = cohort.events[cohort.events["skill"] == skill]
    seqs = [g.astype(int).tolist() for _, g in events.groupby("user_id")["correct"]]
    fitted = fit_em(to_matrix(seqs))
    truth = cohort.truth.reset_index()
    true = truth[truth["skill"] == skill]
    assert fitted.guess == pytest.approx(true["guess"].mean(), abs=0.05)
    assert fitted.slip == pytest.approx(true["slip"].mean(), abs=0.05)
    assert fitted.prior == pytest.approx(true["prior"].mean(), abs=0.1)


def test_sessions_fall_on_school_days_and_interleave_skills() -> None:
    e = _cohort().events
    for _, g in e.groupby("user_id", sort=False):
        shown, answered = g["shown_at"], g["answered_at"]
        assert shown.is_monotonic_increasing
        assert (shown.iloc[1:].to_numpy() >= answered.iloc[:-1].to_numpy()).all()
        assert shown.dt.date.nunique() >= 3
    assert (e["shown_at"].dt.dayofweek < 5).all()
    assert e["shown_at"].min() >= pd.Timestamp("2026-09-01 09:00", tz="UTC")
    skills_per_session = e.groupby(["user_id", e["shown_at"].dt.date])["skill"].nunique()
    assert skills_per_session.median() >= 2


@pytest.mark.parametrize("classroom_id", [None, 4])
def test_rows_are_valid_telemetry_events(classroom_id: int | None) -> None:
    spec = CohortSpec(n_students=40, seed=5, classroom_id=classroom_id)
    e = simulate_cohort(spec).events
    sample = e.sample(300, random_state=0)
    for record in sample.to_dict("records"):
        row: dict[str, Any] = {str(k): v for k, v in record.items()}
        decision_ms = row.pop("decision_ms")
        row["shown_at"] = row["shown_at"].to_pydatetime()
        row["answered_at"] = row["answered_at"].to_pydatetime()
        event = Event(**row)
        assert event.decision_ms == decision_ms
        assert event.classroom_id == classroom_id


def test_generation_rate_smoke() -> None:
    spec = CohortSpec(n_students=500, min_opportunities=20, max_opportunities=30, seed=3)
    started = time.perf_counter()
    cohort = simulate_cohort(spec)
    elapsed = time.perf_counter() - started
    n = len(cohort.events)
    assert n > 80_000
    print(f"simulated {n:,} events in {elapsed:.2f} s ({n / elapsed:,.0f} events/s)")


# --------------------------------------------------------------------------- simulate_class()


def test_a_class_month_is_reproducible_and_valid_telemetry() -> None:
    spec = ClassSpec(n_students=10, seed=4, classroom_id=3, user_id_start=50)
    cohort = simulate_class(spec)
    pd.testing.assert_frame_equal(cohort.events, simulate_class(spec).events)
    assert not cohort.events.equals(simulate_class(ClassSpec(n_students=10, seed=5)).events)
    e = cohort.events
    assert list(e.columns) == EVENT_COLUMNS
    assert set(e["user_id"]) <= set(range(50, 60)) and (e["classroom_id"] == 3).all()
    for record in e.sample(200, random_state=0).to_dict("records"):
        row: dict[str, Any] = {str(k): v for k, v in record.items()}
        decision_ms = row.pop("decision_ms")
        row["shown_at"] = row["shown_at"].to_pydatetime()
        row["answered_at"] = row["answered_at"].to_pydatetime()
        assert Event(**row).decision_ms == decision_ms
    assert set(cohort.truth.index.get_level_values("user_id")) == set(e["user_id"])
    assert cohort.truth["learned_at"].le(cohort.truth["n_opportunities"]).all()


def test_a_class_month_happens_in_lessons_and_evenings_of_four_weeks() -> None:
    spec = ClassSpec(n_students=12, seed=2)
    e = simulate_class(spec).events
    assert e["shown_at"].min() >= pd.Timestamp(spec.start)
    assert e["answered_at"].max() < pd.Timestamp(spec.start) + pd.Timedelta(weeks=4)
    assert (e["shown_at"].dt.dayofweek < 5).all()
    lessons = e["shown_at"].dt.hour.between(spec.start.hour, spec.start.hour + 1)
    assert lessons.mean() > 0.7  # most work in class, the rest on evenings at home
    assert e.loc[~lessons, "shown_at"].dt.hour.between(16, 21).all()
    days = e[lessons].groupby("user_id")["shown_at"].apply(lambda s: s.dt.date.nunique())
    assert days.between(6, 12).all()  # three lessons a week, about one in ten missed


def test_the_teaching_plan_is_the_labs_own() -> None:
    plan = lab_curriculum()
    assert plan[0].activity == "onboarding"
    assert {i.activity for i in plan} == {"onboarding", "blockchain_quest", "ml", "rl"}
    quest = [i.item_id for i in plan if i.activity == "blockchain_quest"]
    assert list(dict.fromkeys(quest)) == list(TASKS)  # every task, in the levels' order
    assert all(i.errors or i.item_id == "mine_block" for i in plan)
    assert len({(i.activity, i.item_id, i.part) for i in plan}) == len(plan)
