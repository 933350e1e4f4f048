"""Mastery per student × skill from events, with how sure we are.

``p_mastery`` is the learner model's (core.analytics.learner) chance that the student's *next*
answer on the skill is right, given all their answers so far: a number a teacher can check
against what the student does next, unlike BKT's P(known), which on real data saturated at 0.99
after one right answer. It is bounded by the student's own record on the skill (record_bound:
the 90th percentile of Beta(1 + right, 1 + wrong)), so a mostly wrong record never reads as
strong whatever the student does elsewhere. ``p_low``/``p_high`` are an 80 % interval and
``n_evidence`` the graded answers behind it; with too few answers or too wide an interval the
``state`` is ``uncertain`` ("not enough evidence yet") and views show that instead of the
number.

One number everywhere: every view that shows a student's mastery passes the same fitted model
(the class's, see core.analytics.report), so the student's *My progress* and the teacher's
dashboard agree. Without a model, one is fitted on the events when they are enough
(MIN_ANSWERS_TO_FIT answers from at least two learners), else DEFAULT_MODEL is used.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import betaincinv

from core.analytics.bkt import BKTParams, fit_em, forward
from core.analytics.learner import DENSE, LearnerModel

MASTERY_COLUMNS = [
    "user_id",
    "skill",
    "p_mastery",
    "p_low",
    "p_high",
    "n_evidence",
    "state",
    "n_attempts",
    "error_rate",
    "median_decision_ms",
    "top_error_type",
    "last_answered_at",
]
STATES = ("uncertain", "weak", "developing", "strong")
# Fewer graded answers than this on a skill: "not enough evidence yet", whatever the number.
MIN_EVIDENCE = 5
# An 80 % interval wider than this is also "not enough evidence yet".
MAX_INTERVAL = 0.4
INTERVAL = (0.1, 0.9)
# p_mastery is bounded by the learner's own record on the skill (record_bound).
RECORD_QUANTILE = 0.9
STRONG_FROM = 0.8  # p_mastery from here (with enough evidence): strong
# struggling(): skills under this p_mastery, with enough evidence. 0.6 = the student would get
# fewer than three in five of the skill's next questions right.
STRUGGLING_BELOW = 0.6
# Fitting the model needs this many graded answers from at least two learners; below that the
# population default is used (a fit on a handful of answers says little).
MIN_ANSWERS_TO_FIT = 200

# The default model's weights on raw (unstandardised) features: each right answer on the skill
# raises the odds, each wrong one lowers them, by the same log-count law PFA uses; the recent
# answers and the last one weigh extra; a break lowers the odds a little (forgetting). Chosen by
# hand so that no evidence gives 50 % and a perfect record of five gives about 85 %.
_DEFAULT_WEIGHTS = {
    "skill_right": 0.7,
    "skill_wrong": -0.7,
    "recent_right": 0.12,
    "recent_wrong": -0.12,
    "last_right": 0.2,
    "user_residual": 0.5,
    "gap_answers": -0.03,
    "gap_hours": -0.03,
    "retry": -0.2,
}


def default_model() -> LearnerModel:
    """The learner model with the hand-set weights above and no per-skill terms."""
    coef = np.array([_DEFAULT_WEIGHTS.get(name, 0.0) for name in DENSE] + [0.0, 0.0, 0.0])
    return LearnerModel(coef=coef, intercept=0.0)


DEFAULT_MODEL = default_model()


def fit_model(events: pd.DataFrame) -> LearnerModel:
    """The learner model fitted on `events` (a class, a cohort), or the default when they are
    too few to fit."""
    graded = events[events["correct"].notna()] if len(events) else events
    if len(graded) < MIN_ANSWERS_TO_FIT or graded["user_id"].nunique() < 2:
        return DEFAULT_MODEL
    return LearnerModel().fit(graded)


def ordered(events: pd.DataFrame) -> pd.DataFrame:
    """Answers in the order each learner gave them (ties broken by arrival)."""
    keys = ["user_id", "skill", "answered_at"] + (["id"] if "id" in events else [])
    return events.sort_values(keys, kind="stable").reset_index(drop=True)


# ----------------------------------------------------------------- plain BKT (the baseline)


def _matrix(graded: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One row per learner: the padded 0/1 matrix, plus each answer's (row, column)."""
    rows, _ = pd.factorize(graded["user_id"])
    cols = graded.groupby("user_id", sort=False).cumcount().to_numpy()
    obs = np.full((rows.max() + 1, cols.max() + 1), -1, dtype=np.int8)
    obs[rows, cols] = graded["correct"].astype(bool).to_numpy()
    return obs, rows, cols


def fit_skills(events: pd.DataFrame) -> dict[str, BKTParams]:
    """Plain BKT per skill (one EM start, no bounds beyond guess/slip < 0.45): kept as the
    benchmarks' baseline, not used by the views."""
    graded = ordered(events[events["correct"].notna()])
    params: dict[str, BKTParams] = {}
    for skill, group in graded.groupby("skill", sort=True):
        if len(group) < 30:
            params[str(skill)] = BKTParams()
            continue
        obs, _, _ = _matrix(group)
        params[str(skill)] = fit_em(obs)
    return params


def trace(events: pd.DataFrame, params: dict[str, BKTParams]) -> pd.DataFrame:
    """Plain BKT: graded answers in order with P(known) before and after each."""
    graded = ordered(events[events["correct"].notna()])
    graded["p_before"] = np.nan
    graded["p_after"] = np.nan
    for skill, group in graded.groupby("skill", sort=False):
        obs, rows, cols = _matrix(group)
        before, after = forward(obs, params.get(str(skill), BKTParams()))
        graded.loc[group.index, "p_before"] = before[rows, cols]
        graded.loc[group.index, "p_after"] = after[rows, cols]
    return graded


# ----------------------------------------------------------------- mastery


def _top_error(events: pd.DataFrame) -> pd.Series:
    if "error_type" not in events:
        events = events.assign(error_type=None)
    wrong = events.dropna(subset=["error_type"])
    if wrong.empty:
        index = pd.MultiIndex.from_arrays([[], []], names=["user_id", "skill"])
        return pd.Series(dtype=object, index=index)
    counts = wrong.groupby(["user_id", "skill", "error_type"]).size().rename("n").reset_index()
    counts = counts.sort_values(["n", "error_type"], ascending=[False, True])
    top = counts.drop_duplicates(["user_id", "skill"]).set_index(["user_id", "skill"])
    return top["error_type"]


def interval(p: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """An 80 % interval around p worth n answers: the Beta(p (n + 2), (1 - p)(n + 2)) quantiles
    (two pseudo-answers, so no evidence gives nearly the whole range)."""
    size = np.asarray(n, dtype=float) + 2
    a, b = np.clip(p, 1e-4, 1 - 1e-4) * size, np.clip(1 - p, 1e-4, 1 - 1e-4) * size
    return betaincinv(a, b, INTERVAL[0]), betaincinv(a, b, INTERVAL[1])


def record_bound(right: np.ndarray, wrong: np.ndarray) -> np.ndarray:
    """The highest mastery a record of `right` and `wrong` answers on a skill supports: the
    RECORD_QUANTILE quantile of Beta(1 + right, 1 + wrong). The model may know more (the
    learner's other skills, item difficulty), but a mostly wrong record is never shown as
    strong: 4 right of 10 caps at 0.60, 9 of 10 at 0.95, no answers at 0.90."""
    return np.asarray(betaincinv(1 + right, 1 + wrong, RECORD_QUANTILE), dtype=float)


def state_of(p: np.ndarray, low: np.ndarray, high: np.ndarray, n: np.ndarray) -> np.ndarray:
    unsure = (np.asarray(n) < MIN_EVIDENCE) | ((high - low) > MAX_INTERVAL)
    return np.where(
        unsure,
        "uncertain",
        np.where(p >= STRONG_FROM, "strong", np.where(p < STRUGGLING_BELOW, "weak", "developing")),
    )


def mastery(events: pd.DataFrame, model: LearnerModel | None = None) -> pd.DataFrame:
    """One row per (user_id, skill) the learner answered (ungraded answers count as attempts):
    p_mastery, its 80 % interval, the evidence and the state; error rate, median decision time,
    most frequent misconception, last answer. Pass the class's `model` to get the numbers the
    dashboard shows."""
    if events.empty:
        return pd.DataFrame(columns=MASTERY_COLUMNS)
    model = model if model is not None else fit_model(events)
    keys = ["user_id", "skill"]
    if "decision_ms" not in events:
        events = events.assign(decision_ms=np.nan)
    stats = events.groupby(keys, sort=True).agg(
        n_attempts=("skill", "size"),
        median_decision_ms=("decision_ms", "median"),
        last_answered_at=("answered_at", "max"),
    )
    graded = events[events["correct"].notna()]
    error_rate = 1 - graded["correct"].astype(float).groupby([graded[k] for k in keys]).mean()
    state = model.mastery_state(events).set_index(keys)
    table = stats.join(state, how="left").join(error_rate.rename("error_rate"), how="left")
    table = table.join(_top_error(events).rename("top_error_type"), how="left")
    table["n_evidence"] = table["n_evidence"].fillna(0).astype(int)
    prior = 1 / (1 + np.exp(-model.intercept)) if not len(model.skills) else 0.5
    table["p_mastery"] = table["p_mastery"].astype(float).fillna(prior)
    # The bound: never more than the learner's own answers on the skill can support.
    right = table["n_right"].fillna(0).to_numpy(dtype=float)
    wrong = table["n_evidence"].to_numpy(dtype=float) - right
    table["p_mastery"] = np.minimum(table["p_mastery"], record_bound(right, wrong))
    low, high = interval(table["p_mastery"].to_numpy(), table["n_evidence"].to_numpy())
    table["p_low"], table["p_high"] = low, high
    table["state"] = state_of(
        table["p_mastery"].to_numpy(), low, high, table["n_evidence"].to_numpy()
    )
    table["top_error_type"] = (
        table["top_error_type"].astype(object).where(table["top_error_type"].notna(), None)
    )
    return table.reset_index()[MASTERY_COLUMNS]


def weakest(table: pd.DataFrame, user_id: int, k: int = 3) -> list[str]:
    """From a mastery table: up to k of the learner's skills to practise, weakest first (more
    errors first on a tie). Skills already strong are left out."""
    mine = table[(table["user_id"] == user_id) & (table["state"] != "strong")]
    mine = mine.sort_values(["p_mastery", "error_rate", "skill"], ascending=[True, False, True])
    return [str(s) for s in mine["skill"].head(k)]


def struggling_in(table: pd.DataFrame, user_id: int, k: int = 3) -> list[str]:
    """From a mastery table: the learner's skills under STRUGGLING_BELOW with enough evidence
    (state "weak"), weakest first, at most k: none when the student is fine."""
    mine = table[(table["user_id"] == user_id) & (table["state"] == "weak")]
    mine = mine.sort_values(["p_mastery", "error_rate", "skill"], ascending=[True, False, True])
    return [str(s) for s in mine["skill"].head(k)]


def struggling(
    events: pd.DataFrame, user_id: int, k: int = 3, model: LearnerModel | None = None
) -> list[str]:
    """That student's skills below STRUGGLING_BELOW (with at least MIN_EVIDENCE answers and a
    narrow enough interval), weakest first, at most k. The model is fitted on all `events` (the
    cohort) unless given, so pass the class's events, not only the student's; only that
    student's rows are traced once the model is known."""
    model = model if model is not None else fit_model(events)
    mine = events[events["user_id"] == user_id]
    if mine.empty:
        return []
    return struggling_in(mastery(mine, model), user_id, k)
