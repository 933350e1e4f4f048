"""What BKT ignores: how fast, which mistake, hints and retries — as features for a model that
predicts the next answer.

Decision time is compared per item (log-time z-score), because "slow" on a two-line question and
on a proof are different things. A fast wrong answer is a guess; a slow right one is effortful
knowledge; a slow wrong one is a misunderstanding. Every feature of an answer uses only what
happened before it, so the model can be scored honestly on the next answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.analytics.bkt import BKTParams
from core.analytics.mastery import fit_skills, trace

FEATURES = [
    "bkt_logit",
    "prev_correct",
    "prev_time_z",
    "prev_fast_wrong",
    "prev_slow_right",
    "prev_hints",
    "repeated_misconception",
    "retry",
    "log_opportunity",
    "student_accuracy",
]
FAST, SLOW = -0.5, 0.5  # z-score bounds for a "fast" and a "slow" decision
MIN_ITEM_ANSWERS = 5


def time_z(events: pd.DataFrame) -> pd.Series:
    """z-score of log decision time within the item (within the skill for rare items)."""
    ms = events["decision_ms"] if "decision_ms" in events else pd.Series(np.nan, events.index)
    log_t = pd.Series(np.log(ms.astype(float).clip(lower=50)), index=events.index)
    # The contract does not require `activity`: items are told apart by it only when present.
    item = events["item_id"].astype(str)
    if "activity" in events:
        item = events["activity"].astype(str) + "/" + item
    item_n = item.groupby(item).transform("size")
    group = item.where(item_n >= MIN_ITEM_ANSWERS, events["skill"])
    mean = log_t.groupby(group).transform("mean")
    std = log_t.groupby(group).transform("std").fillna(0).clip(lower=0.1)
    z: pd.Series = ((log_t - mean) / std).fillna(0.0)
    return z


def _logit(p: pd.Series) -> pd.Series:
    q = p.clip(1e-4, 1 - 1e-4)
    return pd.Series(np.log(q / (1 - q)), index=p.index)


def answer_features(events: pd.DataFrame, params: dict[str, BKTParams]) -> pd.DataFrame:
    """Graded answers in learner order with FEATURES, `bkt_p` (plain BKT's prediction) and `y`.
    Optional contract columns (decision time, hints, attempt, error type) may be missing."""
    defaults = {"decision_ms": np.nan, "hints_used": 0, "attempt": 1, "error_type": None}
    events = events.assign(**{c: v for c, v in defaults.items() if c not in events})
    graded = trace(events, params)
    graded["time_z"] = time_z(graded)
    guess = graded["skill"].map(lambda s: params.get(s, BKTParams()).guess)
    slip = graded["skill"].map(lambda s: params.get(s, BKTParams()).slip)
    graded["bkt_p"] = graded["p_before"] * (1 - slip) + (1 - graded["p_before"]) * guess
    graded["bkt_logit"] = _logit(graded["bkt_p"])
    correct = graded["correct"].astype(bool)
    graded["y"] = correct.astype(int)
    by_skill = graded.groupby(["user_id", "skill"], sort=False)
    prev = by_skill[["y", "time_z", "hints_used", "error_type"]].shift(1)
    has_prev = prev["y"].notna()
    graded["prev_correct"] = prev["y"].fillna(0.5)
    graded["prev_time_z"] = prev["time_z"].fillna(0.0)
    graded["prev_fast_wrong"] = ((prev["y"] == 0) & (prev["time_z"] < FAST)).astype(int)
    graded["prev_slow_right"] = ((prev["y"] == 1) & (prev["time_z"] > SLOW)).astype(int)
    graded["prev_hints"] = prev["hints_used"].fillna(0).clip(upper=3)
    before_prev = by_skill["error_type"].shift(2)
    graded["repeated_misconception"] = (
        has_prev & prev["error_type"].notna() & (prev["error_type"] == before_prev)
    ).astype(int)
    graded["retry"] = (graded["attempt"] > 1).astype(int)
    graded["log_opportunity"] = np.log1p(by_skill.cumcount())
    # The learner's accuracy so far across all skills, shrunk towards 50 % for newcomers.
    order = graded.sort_values(["user_id", "answered_at"], kind="stable")
    per_user = order.groupby("user_id", sort=False)["y"]
    right_before = per_user.cumsum() - order["y"]
    seen_before = per_user.cumcount()
    graded["student_accuracy"] = ((right_before + 2.5) / (seen_before + 5)).reindex(graded.index)
    return graded


@dataclass
class NextAnswerModel:
    """Logistic regression over FEATURES, with BKT fitted on the same training learners."""

    params: dict[str, BKTParams] = field(default_factory=dict)
    coef: np.ndarray = field(default_factory=lambda: np.zeros(len(FEATURES)))
    intercept: float = 0.0
    mean: np.ndarray = field(default_factory=lambda: np.zeros(len(FEATURES)))
    scale: np.ndarray = field(default_factory=lambda: np.ones(len(FEATURES)))

    def fit(self, events: pd.DataFrame) -> NextAnswerModel:
        from sklearn.linear_model import LogisticRegression

        self.params = fit_skills(events)
        data = answer_features(events, self.params)
        x = data[FEATURES].to_numpy(float)
        self.mean, self.scale = x.mean(axis=0), x.std(axis=0) + 1e-9
        model = LogisticRegression(C=1.0, max_iter=500).fit((x - self.mean) / self.scale, data["y"])
        self.coef, self.intercept = model.coef_[0], float(model.intercept_[0])
        return self

    def predict(self, events: pd.DataFrame) -> pd.DataFrame:
        """Answer features of `events` plus `p_model`, the predicted chance each is correct."""
        data = answer_features(events, self.params)
        z = ((data[FEATURES].to_numpy(float) - self.mean) / self.scale) @ self.coef
        data["p_model"] = 1 / (1 + np.exp(-(z + self.intercept)))
        return data

    def weights(self) -> dict[str, float]:
        """Standardised coefficients: which behaviour signals matter, and in which direction."""
        return {name: float(w) for name, w in zip(FEATURES, self.coef, strict=True)}
