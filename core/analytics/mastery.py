"""Mastery per student × skill from events: BKT fitted per skill on the whole cohort, then each
learner's own answers traced through it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.analytics.bkt import BKTParams, fit_em, forward

MASTERY_COLUMNS = [
    "user_id",
    "skill",
    "p_mastery",
    "n_attempts",
    "error_rate",
    "median_decision_ms",
    "top_error_type",
    "last_answered_at",
]
# Below this many graded answers a skill's own EM fit is noise; fall back to defaults.
MIN_ANSWERS_TO_FIT = 30


def ordered(events: pd.DataFrame) -> pd.DataFrame:
    """Answers in the order each learner gave them (ties broken by arrival)."""
    keys = ["user_id", "skill", "answered_at"] + (["id"] if "id" in events else [])
    return events.sort_values(keys, kind="stable").reset_index(drop=True)


def _matrix(graded: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One row per learner: the padded 0/1 matrix, plus each answer's (row, column)."""
    rows, _ = pd.factorize(graded["user_id"])
    cols = graded.groupby("user_id", sort=False).cumcount().to_numpy()
    obs = np.full((rows.max() + 1, cols.max() + 1), -1, dtype=np.int8)
    obs[rows, cols] = graded["correct"].astype(bool).to_numpy()
    return obs, rows, cols


def fit_skills(events: pd.DataFrame) -> dict[str, BKTParams]:
    graded = ordered(events[events["correct"].notna()])
    params: dict[str, BKTParams] = {}
    for skill, group in graded.groupby("skill", sort=True):
        if len(group) < MIN_ANSWERS_TO_FIT:
            params[str(skill)] = BKTParams()
            continue
        obs, _, _ = _matrix(group)
        params[str(skill)] = fit_em(obs)
    return params


def trace(events: pd.DataFrame, params: dict[str, BKTParams]) -> pd.DataFrame:
    """Graded answers in order, with p_known before each answer (what BKT predicts from the
    past) and after it (what the teacher sees once it is in)."""
    graded = ordered(events[events["correct"].notna()])
    graded["p_before"] = np.nan
    graded["p_after"] = np.nan
    for skill, group in graded.groupby("skill", sort=False):
        obs, rows, cols = _matrix(group)
        before, after = forward(obs, params.get(str(skill), BKTParams()))
        graded.loc[group.index, "p_before"] = before[rows, cols]
        graded.loc[group.index, "p_after"] = after[rows, cols]
    return graded


def _top_error(events: pd.DataFrame) -> pd.Series:
    wrong = events.dropna(subset=["error_type"])
    if wrong.empty:
        index = pd.MultiIndex.from_arrays([[], []], names=["user_id", "skill"])
        return pd.Series(dtype=object, index=index)
    counts = wrong.groupby(["user_id", "skill", "error_type"]).size().rename("n").reset_index()
    counts = counts.sort_values(["n", "error_type"], ascending=[False, True])
    top = counts.drop_duplicates(["user_id", "skill"]).set_index(["user_id", "skill"])
    return top["error_type"]


def mastery(events: pd.DataFrame, params: dict[str, BKTParams] | None = None) -> pd.DataFrame:
    """One row per (user_id, skill): p_mastery is P(known) after the learner's last answer."""
    if events.empty:
        return pd.DataFrame(columns=MASTERY_COLUMNS)
    params = params if params is not None else fit_skills(events)
    traced = trace(events, params)
    keys = ["user_id", "skill"]
    last = traced.groupby(keys, sort=True)["p_after"].last().rename("p_mastery")
    stats = events.groupby(keys, sort=True).agg(
        n_attempts=("skill", "size"),
        median_decision_ms=("decision_ms", "median"),
        last_answered_at=("answered_at", "max"),
    )
    graded = events[events["correct"].notna()]
    error_rate = 1 - graded["correct"].astype(float).groupby([graded[k] for k in keys]).mean()
    table = stats.join(last, how="left").join(error_rate.rename("error_rate"), how="left")
    table = table.join(_top_error(events).rename("top_error_type"), how="left")
    table["p_mastery"] = table["p_mastery"].fillna(BKTParams().prior)
    table["top_error_type"] = (
        table["top_error_type"].astype(object).where(table["top_error_type"].notna(), None)
    )
    return table.reset_index()[MASTERY_COLUMNS]


def weakest(table: pd.DataFrame, user_id: int, k: int = 3) -> list[str]:
    """From a mastery table: the learner's k weakest skills, weakest first (more errors first on
    a tie)."""
    mine = table[table["user_id"] == user_id]
    mine = mine.sort_values(["p_mastery", "error_rate", "skill"], ascending=[True, False, True])
    return [str(s) for s in mine["skill"].head(k)]


def struggling(events: pd.DataFrame, user_id: int, k: int = 3) -> list[str]:
    """That student's k weakest skills, weakest first. Parameters are fitted on all `events`
    (the cohort), so pass the class's events, not only the student's."""
    return weakest(mastery(events), user_id, k)
