"""Learner analytics: mastery and struggling, the next-answer model, profiles, class and student
reports with access control, the demo class, summaries and gamification."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score
from sqlalchemy import Engine

from core.accounts import AccountError, Actor, PermissionDenied, Role
from core.accounts.audit import audit_entries
from core.accounts.classrooms import roster
from core.accounts.service import login
from core.analytics import mastery, struggling
from core.analytics.demo import NO_LOGIN, load_demo_class
from core.analytics.features import FEATURES, NextAnswerModel, answer_features
from core.analytics.mastery import MASTERY_COLUMNS, STRUGGLING_BELOW, fit_skills
from core.analytics.profiles import PROFILES, profiles
from core.analytics.report import StudentReport, class_analytics, student_report
from core.analytics.simulate import (
    ClassSpec,
    CohortSpec,
    SimulatedCohort,
    simulate_class,
    simulate_cohort,
)
from core.analytics.summary import student_summary
from core.progress import XP_FIRST_TRY, XP_RETRY, gamification, streak
from core.telemetry import Recorder
from core.telemetry.schema import EVENT_COLUMNS
from tests import factories as f

BASE = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


# --------------------------------------------------------------------------- helpers


def _actor(user_id: int) -> Actor:
    return Actor(user_id, Role.STUDENT, f"s{user_id}", f"S{user_id}", "en")


def _answer(user_id: int, skill: str, correct: bool | None, **extra: Any) -> dict[str, Any]:
    """One answer; a wrong one carries `error` (default "misread") as its error type."""
    error = extra.pop("error", "misread") if correct is False else None
    return {"user_id": user_id, "skill": skill, "correct": correct, "error_type": error, **extra}


def _frame(answers: list[dict[str, Any]]) -> pd.DataFrame:
    """Answers in the order given, one minute apart, as load_events would return them."""
    rows = []
    for i, given in enumerate(answers):
        answer = dict(given)
        ms = answer.pop("ms", 4000)
        shown = BASE + timedelta(minutes=i)
        event = f.event(
            _actor(answer.pop("user_id")),
            shown_at=shown,
            answered_at=shown + timedelta(milliseconds=ms),
            item_id=answer.pop("item_id", f"q{i % 3}"),
            **answer,
        )
        rows.append({"id": i + 1, **event.to_row()})
    frame = pd.DataFrame(rows, columns=list(EVENT_COLUMNS))
    for col in ("shown_at", "answered_at"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    return frame


@cache
def _cohort(n_students: int, seed: int) -> SimulatedCohort:
    """Shared read-only cohorts: tests must not mutate the frames."""
    return simulate_cohort(CohortSpec(n_students=n_students, seed=seed))


@cache
def _mastery(n_students: int, seed: int) -> pd.DataFrame:
    return mastery(_cohort(n_students, seed).events)


def _split(cohort: SimulatedCohort, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    users = np.random.default_rng(seed).permutation(np.sort(cohort.events["user_id"].unique()))
    train = users[: round(0.75 * len(users))]
    inside = cohort.events["user_id"].isin(train)
    return cohort.events[inside], cohort.events[~inside]


def _row(table: pd.DataFrame, user_id: int, skill: str) -> pd.Series:
    found = table[(table["user_id"] == user_id) & (table["skill"] == skill)]
    assert len(found) == 1
    return found.iloc[0]


# --------------------------------------------------------------------------- mastery()

HAND_MADE = [
    _answer(1, "chain.hashing", False, error="reversible_hash"),
    _answer(1, "chain.hashing", False, error="avalanche_ignored"),
    _answer(1, "chain.hashing", False, error="reversible_hash", attempt=2),
    _answer(1, "chain.hashing", True, ms=2000),
    _answer(1, "chain.hashing", None, ms=9000),  # ungraded: counts as an attempt
    _answer(1, "ml.supervised", True),
    _answer(1, "ml.supervised", True),
    _answer(2, "chain.hashing", False, error="reversible_hash"),
    _answer(2, "chain.hashing", False, error="avalanche_ignored"),  # a tie: alphabetical wins
    _answer(2, "rl.q_learning", None),
    _answer(3, "chain.hashing", True),
    _answer(3, "chain.hashing", True),
]


def test_mastery_has_one_row_per_user_and_skill_with_the_columns() -> None:
    table = mastery(_frame(HAND_MADE))
    assert list(table.columns) == MASTERY_COLUMNS
    assert len(table) == 5
    assert not table.duplicated(["user_id", "skill"]).any()
    assert table["p_mastery"].between(0, 1).all()

    hashing = _row(table, 1, "chain.hashing")
    assert hashing["n_attempts"] == 5  # the ungraded answer counts
    assert hashing["error_rate"] == pytest.approx(3 / 4)  # ... but not in the error rate
    assert hashing["median_decision_ms"] == 4000
    assert hashing["top_error_type"] == "reversible_hash"
    assert hashing["last_answered_at"] == BASE + timedelta(minutes=4, seconds=9)

    supervised = _row(table, 1, "ml.supervised")
    assert (supervised["n_attempts"], supervised["error_rate"]) == (2, 0.0)
    assert supervised["top_error_type"] is None

    only_ungraded = _row(table, 2, "rl.q_learning")
    assert only_ungraded["n_attempts"] == 1
    assert pd.isna(only_ungraded["error_rate"])
    assert 0 <= only_ungraded["p_mastery"] <= 1


def test_top_error_type_breaks_ties_the_same_way_whatever_the_order() -> None:
    events = _frame(HAND_MADE)
    forward = _row(mastery(events), 2, "chain.hashing")
    backward = _row(mastery(events.iloc[::-1].reset_index(drop=True)), 2, "chain.hashing")
    assert forward["top_error_type"] == backward["top_error_type"] == "avalanche_ignored"
    assert forward["error_rate"] == 1.0


def test_right_answers_give_more_mastery_than_wrong_ones() -> None:
    table = mastery(_frame(HAND_MADE))
    assert (
        _row(table, 3, "chain.hashing")["p_mastery"]
        > _row(table, 1, "chain.hashing")["p_mastery"]
        > _row(table, 2, "chain.hashing")["p_mastery"]
    )


def test_mastery_of_no_events_is_an_empty_table_with_the_columns() -> None:
    table = mastery(pd.DataFrame(columns=list(EVENT_COLUMNS)))
    assert table.empty
    assert list(table.columns) == MASTERY_COLUMNS


def test_mastery_without_any_mistake() -> None:
    events = _frame([_answer(1, "chain.hashing", True), _answer(1, "ml.supervised", None)])
    table = mastery(events)
    assert len(table) == 2
    assert table["top_error_type"].isna().all()


# --------------------------------------------------------------------------- struggling()


def test_struggling_lists_only_weak_skills_weakest_first_on_a_simulated_cohort() -> None:
    """struggling() used to return k skills whatever they were (mastered ones included); now
    only skills under STRUGGLING_BELOW with enough evidence, at most k, weakest first."""
    events, table = _cohort(60, 3).events, _mastery(60, 3)
    for user_id in (1, 17, 60):
        found = struggling(events, user_id, k=3)
        assert len(found) == len(set(found)) <= 3
        mine = table[table["user_id"] == user_id].set_index("skill")
        scores = [mine.loc[s, "p_mastery"] for s in found]
        assert scores == sorted(scores)
        assert all(mine.loc[s, "state"] == "weak" for s in found)
        assert all(p < STRUGGLING_BELOW for p in scores)
        assert struggling(events, user_id, k=2) == found[:2]


def test_a_skill_always_failed_is_struggling_and_one_always_passed_is_not() -> None:
    answers = []
    for user_id in (1, 2, 3):
        for _ in range(6):
            # Named so that alphabetical order would put the passed skill first.
            answers.append(_answer(user_id, "zeta.failed", user_id != 1))
            answers.append(_answer(user_id, "alpha.passed", True))
    events = _frame(answers)
    assert struggling(events, 1, k=2) == ["zeta.failed"]  # a fine skill is not listed
    assert struggling(events, 1, k=1) == ["zeta.failed"]
    assert struggling(events, 2, k=3) == []  # a student who is fine: none
    assert struggling(events, 99) == []  # unknown student


def test_mastery_tracks_the_hidden_final_state() -> None:
    cohort = _cohort(60, 3)
    joined = _mastery(60, 3).merge(cohort.truth.reset_index(), on=["user_id", "skill"])
    assert len(joined) == len(cohort.truth)
    assert roc_auc_score(joined["known_final"], joined["p_mastery"]) > 0.8


# --------------------------------------------------------------------------- NextAnswerModel


def test_answer_features_start_neutral_and_use_only_the_past() -> None:
    events = _cohort(30, 2).events.copy()
    events["id"] = np.arange(len(events))
    params = fit_skills(events)
    before = answer_features(events, params).set_index("id")

    first = before.groupby(["user_id", "skill"]).head(1)
    assert (first["prev_correct"] == 0.5).all()
    assert (first["prev_time_z"] == 0).all()
    assert (
        first[["prev_fast_wrong", "prev_slow_right", "prev_hints", "log_opportunity"]] == 0
    ).all(axis=None)

    # Flip one answer in the middle of a sequence: nothing before it may change, the next may.
    order = before.sort_values(["user_id", "skill", "answered_at"])
    target = order[(order["user_id"] == 5) & (order["skill"] == "chain.hashing")].index[3]
    changed = events.copy()
    flip = events.loc[target, "correct"]
    changed.loc[target, "correct"] = not flip
    changed.loc[target, "error_type"] = "reversible_hash" if flip else None
    after = answer_features(changed, params).set_index("id").loc[before.index]

    moment = events.loc[target, "answered_at"]
    earlier = before["answered_at"] < moment
    pd.testing.assert_frame_equal(before.loc[earlier, FEATURES], after.loc[earlier, FEATURES])
    untouched = before["user_id"] != 5
    pd.testing.assert_frame_equal(before.loc[untouched, FEATURES], after.loc[untouched, FEATURES])
    successor = order[(order["user_id"] == 5) & (order["skill"] == "chain.hashing")].index[4]
    assert before.loc[successor, "prev_correct"] != after.loc[successor, "prev_correct"]


def test_the_next_answer_model_is_no_worse_than_bkt_on_held_out_students() -> None:
    train, test = _split(_cohort(120, 4), seed=0)
    model = NextAnswerModel().fit(train)
    held_out = model.predict(test)
    assert set(held_out["user_id"]) <= set(test["user_id"])
    assert held_out["p_model"].between(0, 1).all()
    model_auc = roc_auc_score(held_out["y"], held_out["p_model"])
    bkt_auc = roc_auc_score(held_out["y"], held_out["bkt_p"])
    assert model_auc > 0.7 and bkt_auc > 0.7
    assert model_auc >= bkt_auc - 0.01
    weights = model.weights()
    assert list(weights) == FEATURES
    assert weights["bkt_logit"] > 0  # BKT's own prediction points the right way


# --------------------------------------------------------------------------- profiles()


def test_fast_guessers_are_labelled_fast_guesser_more_often_than_others() -> None:
    cohort = _cohort(60, 3)
    labels = {p.user_id: p.profile for p in profiles(cohort.events, _mastery(60, 3))}
    archetype = cohort.students["archetype"]
    is_fast = archetype == "fast_guesser"
    labelled = archetype.index.map(lambda u: labels[u] == "fast_guesser").to_numpy()
    assert labelled[is_fast.to_numpy()].mean() > labelled[~is_fast.to_numpy()].mean()


def test_fast_guessers_are_found_in_most_cohorts() -> None:
    cohort = _cohort(100, 2)
    labels = {p.user_id: p.profile for p in profiles(cohort.events, mastery(cohort.events))}
    fast = cohort.students.index[cohort.students["archetype"] == "fast_guesser"]
    assert np.mean([labels[u] == "fast_guesser" for u in fast]) > 0.5


def test_profiles_use_known_names_and_cope_with_few_students() -> None:
    cohort = _cohort(60, 3)
    found = profiles(cohort.events, _mastery(60, 3))
    assert [p.user_id for p in found] == sorted(cohort.students.index)
    assert {p.profile for p in found} <= set(PROFILES)
    assert all(len(p.reasons) == 2 for p in found)

    three = cohort.events[cohort.events["user_id"] <= 3]
    few = profiles(three, mastery(three), k=10)
    assert [p.user_id for p in few] == [1, 2, 3]
    assert {p.profile for p in few} <= set(PROFILES)

    one = cohort.events[cohort.events["user_id"] == 7]
    alone = profiles(one, mastery(one))
    assert [p.user_id for p in alone] == [7]
    assert alone[0].profile in PROFILES


# --------------------------------------------------------------------------- reports and access


def _record(student: Actor, answered: list[datetime]) -> None:
    Recorder().record_many(
        student,
        [
            f.event(
                student,
                skill="chain.hashing",
                item_id=f"q{i}",
                shown_at=moment - timedelta(seconds=5),
                answered_at=moment,
                correct=i % 2 == 0,
                error_type=None if i % 2 == 0 else "reversible_hash",
            )
            for i, moment in enumerate(answered)
        ],
    )


def test_class_analytics_only_for_the_teacher_of_the_class(engine: Engine) -> None:
    owner = f.teacher()
    other = f.teacher("dana_t", first=False, by=owner)
    room = f.classroom(owner)
    bolat, dana = f.student(room, "bolat"), f.student(room, "dana")
    _record(bolat, [BASE + timedelta(minutes=i) for i in range(4)])
    _record(dana, [BASE + timedelta(minutes=i) for i in range(3)])

    analytics = class_analytics(owner, room.id)
    assert analytics.students == {bolat.user_id: "Bolat", dana.user_id: "Dana"}
    assert len(analytics.events) == 7
    assert set(analytics.mastery["user_id"]) == {bolat.user_id, dana.user_id}
    assert set(analytics.profiles) == {bolat.user_id, dana.user_id}
    with pytest.raises(PermissionDenied):
        class_analytics(other, room.id)
    with pytest.raises(PermissionDenied):
        class_analytics(bolat, room.id)


def test_student_report_is_audited_and_limited_to_own_students(engine: Engine) -> None:
    owner = f.teacher()
    other = f.teacher("dana_t", first=False, by=owner)
    room, elsewhere = f.classroom(owner, "9A"), f.classroom(other, "10B")
    bolat, erlan = f.student(room, "bolat"), f.student(elsewhere, "erlan")
    _record(bolat, [BASE + timedelta(minutes=i) for i in range(4)])
    _record(erlan, [BASE])
    analytics = class_analytics(owner, room.id)

    report = student_report(owner, analytics, bolat.user_id)
    assert (report.user_id, report.name) == (bolat.user_id, "Bolat")
    assert set(report.mastery["user_id"]) == {bolat.user_id}
    assert len(report.timeline) == 4
    entries = audit_entries(owner)
    assert entries[0].action == "view_student"
    assert entries[0].target_user_id == bolat.user_id

    with pytest.raises(PermissionDenied):
        student_report(owner, analytics, erlan.user_id)
    with pytest.raises(PermissionDenied):
        student_report(bolat, analytics, bolat.user_id)
    assert [e.action for e in audit_entries(owner)].count("view_student") == 1


def test_since_and_until_keep_only_the_window(engine: Engine) -> None:
    owner = f.teacher()
    room = f.classroom(owner)
    bolat = f.student(room, "bolat")
    day = datetime(2026, 11, 23, tzinfo=UTC)
    inside = [day + timedelta(hours=9), day + timedelta(days=1, hours=23, minutes=59)]
    outside = [day - timedelta(minutes=1), day + timedelta(days=2)]
    _record(bolat, [*outside, *inside])

    everything = class_analytics(owner, room.id)
    assert len(everything.events) == 4
    window = class_analytics(owner, room.id, since=date(2026, 11, 23), until=date(2026, 11, 24))
    kept = sorted(window.events["answered_at"])
    assert kept == [pd.Timestamp(moment) for moment in inside]
    only_since = class_analytics(owner, room.id, since=date(2026, 11, 25))
    assert len(only_since.events) == 1
    nothing = class_analytics(owner, room.id, until=date(2026, 11, 1))
    assert nothing.events.empty and nothing.mastery.empty


def test_class_analytics_of_a_class_without_students(engine: Engine) -> None:
    owner = f.teacher()
    room = f.classroom(owner)
    analytics = class_analytics(owner, room.id)
    assert analytics.students == {}
    assert analytics.events.empty and analytics.mastery.empty


# --------------------------------------------------------------------------- demo class


def test_demo_class_is_a_readable_class_nobody_can_log_into(engine: Engine) -> None:
    owner = f.teacher()
    view = load_demo_class(owner, "Demo", n_students=12, seed=5)
    students = roster(owner, view.id)
    assert view.n_students == len(students) == 12
    assert len({s.display_name for s in students}) == 12

    analytics = class_analytics(owner, view.id)
    assert set(analytics.events["user_id"]) == {s.user_id for s in students}
    expected = simulate_class(ClassSpec(n_students=12, seed=5)).events
    assert len(analytics.events) == len(expected)
    assert analytics.events["answered_at"].max() < pd.Timestamp.now(tz="UTC")
    assert analytics.events["answered_at"].max() > pd.Timestamp.now(tz="UTC") - pd.Timedelta(days=7)
    # Moved by whole weeks: the lessons stay on the same weekdays at the same time.
    shown = analytics.events.sort_values("id")["shown_at"].reset_index(drop=True)
    simulated = expected.sort_values(["shown_at", "user_id"], kind="stable")["shown_at"]
    assert (shown.dt.dayofweek.to_numpy() == simulated.dt.dayofweek.to_numpy()).all()
    assert (shown.dt.time.to_numpy() == simulated.dt.time.to_numpy()).all()
    assert set(analytics.mastery["user_id"]) == {s.user_id for s in students}

    for student in students[:2]:
        for password in (f.PASSWORD, NO_LOGIN, ""):
            with pytest.raises(AccountError):
                login(student.username, password)

    assert "load_demo_class" in [e.action for e in audit_entries(owner)]
    pupil = f.student(f.classroom(owner, "9A"), "bolat")
    with pytest.raises(PermissionDenied):
        load_demo_class(pupil, "Mine", n_students=3, seed=1)


# --------------------------------------------------------------------------- summary


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_student_summary_names_the_student(engine: Engine, lang: str) -> None:
    owner = f.teacher()
    view = load_demo_class(owner, "Demo", n_students=6, seed=2)
    analytics = class_analytics(owner, view.id)
    student_id = min(analytics.students)
    report = student_report(owner, analytics, student_id, engine=engine)
    text = student_summary(report, lang)
    assert text.strip()
    assert report.name in text

    empty = StudentReport(1, "Bolat", report.mastery.iloc[:0], report.timeline.iloc[:0], None, [])
    quiet = student_summary(empty, lang)
    assert quiet.strip() and "Bolat" in quiet


# --------------------------------------------------------------------------- gamification


def _days(*offsets: int, today: date) -> pd.Series:
    return pd.Series([today - timedelta(days=n) for n in offsets])


def test_streak_counts_consecutive_days_ending_today_or_yesterday() -> None:
    today = date(2026, 11, 25)
    assert streak(_days(0, 1, 2, today=today), today) == 3
    assert streak(_days(1, 2, today=today), today) == 2  # today is not over yet
    assert streak(_days(0, 2, 3, today=today), today) == 1  # a gap ends the streak
    assert streak(_days(2, 3, 4, today=today), today) == 0
    assert streak(_days(0, 0, 1, today=today), today) == 2  # several answers on one day
    assert streak(pd.Series([], dtype=object), today) == 0


def test_gamification_xp_levels_and_badges() -> None:
    today = date(2026, 11, 24)
    answers = [
        _answer(1, "chain.hashing", True),
        _answer(1, "chain.hashing", True),
        _answer(1, "chain.hashing", False),
        _answer(1, "chain.hashing", True, attempt=2),
        _answer(1, "chain.hashing", None),
    ]
    events = _frame(answers)  # all on 2026-11-23: yesterday
    table = mastery(events)
    state = gamification(events, table, today)
    assert state.xp == 2 * XP_FIRST_TRY + XP_RETRY == 25
    assert state.level == 1
    assert state.streak_days == 1
    assert state.badges == ("first_answer",)

    many = _frame([_answer(1, "chain.hashing", True) for _ in range(12)])
    many["answered_at"] = [
        pd.Timestamp(BASE) - pd.Timedelta(days=i % 3) + pd.Timedelta(minutes=i) for i in range(12)
    ]
    sure = table.assign(p_mastery=0.97, state="strong")  # a confident number
    state = gamification(many, sure, today)
    assert state.xp == 120 and state.level == 2
    assert state.streak_days == 3
    assert set(state.badges) == {"first_answer", "ten_right", "streak_3", "skill_mastered"}

    assert gamification(events.iloc[:0], table.iloc[:0], today) == gamification(
        pd.DataFrame(), pd.DataFrame(), today
    )
    nothing = gamification(events.iloc[:0], table.iloc[:0], today)
    assert (nothing.xp, nothing.level, nothing.badges, nothing.streak_days) == (0, 1, (), 0)


def test_profile_kmeans_finds_the_groups_scikit_learn_finds() -> None:
    """The profiles' k-means (SciPy, lighter to import) agrees with scikit-learn's KMeans on
    well separated groups, and degenerate classes (one student, identical students) get one
    group without an error."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score

    from core.analytics.profiles import kmeans

    rng = np.random.default_rng(7)
    centres = rng.normal(scale=6, size=(4, 5))
    points = np.concatenate([c + rng.normal(size=(8, 5)) for c in centres])
    ours = kmeans(points, 4, seed=1)
    theirs = KMeans(n_clusters=4, n_init=10, random_state=1).fit_predict(points)
    assert adjusted_rand_score(ours, theirs) == 1.0
    assert set(kmeans(points[:1], 4)) == {0}
    assert len(set(kmeans(np.zeros((4, 5)), 3))) == 1
