"""Learner profiles: k-means on a few behaviour features, each cluster named by a rule a teacher
can check ("faster than the class and less accurate" → fast guesser)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from core.analytics.features import FAST, time_z

Matrix = npt.NDArray[np.float64]
Labels = npt.NDArray[np.int64]

PROFILE_FEATURES = ["accuracy", "speed", "fast_wrong_rate", "hint_rate", "retry_rate"]
PROFILES = ("fast_guesser", "slow_accurate", "hint_reliant", "struggling", "on_track")
# A student is "stuck" on a skill far below their own other skills.
STUCK_BELOW, STUCK_OTHERS = 0.35, 0.6


@dataclass(frozen=True)
class Profile:
    user_id: int
    profile: str  # one of PROFILES
    reasons: tuple[str, ...]  # e.g. "speed_high": what sets this group apart, strongest first
    stuck_skill: str | None


def learner_features(events: pd.DataFrame) -> pd.DataFrame:
    graded = events[events["correct"].notna()].copy()
    for column, missing in (("hints_used", 0), ("attempt", 1), ("decision_ms", np.nan)):
        if column not in graded:  # optional in the contract
            graded[column] = missing
        graded[column] = graded[column].fillna(missing)
    graded["right"] = graded["correct"].astype(bool).astype(float)
    graded["z"] = time_z(graded)
    graded["fast_wrong"] = ((graded["right"] == 0) & (graded["z"] < FAST)).astype(float)
    graded["hinted"] = (graded["hints_used"] > 0).astype(float)
    graded["retried"] = (graded["attempt"] > 1).astype(float)
    return graded.groupby("user_id").agg(
        accuracy=("right", "mean"),
        speed=("z", lambda z: -float(z.mean())),  # higher = faster than usual for the item
        fast_wrong_rate=("fast_wrong", "mean"),
        hint_rate=("hinted", "mean"),
        retry_rate=("retried", "mean"),
    )


def _name(centroid: pd.Series) -> str:
    """Rules over a cluster centre in class-relative z units."""
    if centroid["speed"] > 0.4 and (
        centroid["accuracy"] < -0.3 or centroid["fast_wrong_rate"] > 0.5
    ):
        return "fast_guesser"
    if centroid["speed"] < -0.4 and centroid["accuracy"] >= -0.1:
        return "slow_accurate"
    if centroid["accuracy"] < -0.5 and centroid["hint_rate"] < 2 * abs(centroid["accuracy"]):
        return "struggling"
    if centroid["hint_rate"] > 0.5:
        return "hint_reliant"
    return "on_track"


def _stuck(table: pd.DataFrame) -> dict[int, str]:
    out: dict[int, str] = {}
    for user_id, rows in table.groupby("user_id"):
        ranked = rows.sort_values("p_mastery")
        if len(ranked) >= 3:
            low, others = ranked.iloc[0], ranked["p_mastery"].iloc[1:].median()
            if low["p_mastery"] < STUCK_BELOW and others >= STUCK_OTHERS:
                out[int(str(user_id))] = str(low["skill"])
    return out


def kmeans(points: Matrix, k: int, seed: int = 0, n_init: int = 10) -> Labels:
    """k-means with k-means++ starts, the best of `n_init` runs (least inertia), by SciPy's
    kmeans2. scikit-learn's KMeans does the same, but importing it took longer than the whole
    dashboard (about 1.2 s, once per process, against 0.3 s for scipy.cluster.vq)."""
    from scipy.cluster.vq import kmeans2

    n = len(points)
    if k <= 1 or n <= 1:
        return np.zeros(n, dtype=np.int64)
    rng = np.random.default_rng(seed)
    best, best_inertia = np.zeros(n, dtype=np.int64), np.inf
    for _ in range(n_init):
        with warnings.catch_warnings():  # a start may leave a cluster empty: that run just loses
            warnings.simplefilter("ignore")
            centres, labels = kmeans2(points, k, minit="++", rng=rng)
        inertia = float(((points - centres[labels]) ** 2).sum())
        if inertia < best_inertia - 1e-12:
            best, best_inertia = labels.astype(np.int64), inertia
    return best


def profiles(
    events: pd.DataFrame, mastery_table: pd.DataFrame, k: int = 5, seed: int = 0
) -> list[Profile]:
    feats = learner_features(events)
    if feats.empty:
        return []
    z = (feats - feats.mean()) / feats.std(ddof=0).replace(0, 1)
    z = z.fillna(0.0)
    n_clusters = max(1, min(k, len(z)))
    labels = kmeans(z.to_numpy(dtype=float), n_clusters, seed)
    stuck = _stuck(mastery_table)
    result = []
    for label in sorted(set(labels)):
        members = z[labels == label]
        centre = members.mean()
        name = _name(centre)
        strongest = centre.abs().sort_values(ascending=False).index[:2]
        reasons = tuple(
            f"{f}_{'high' if centre[f] > 0 else 'low'}" for f in strongest if abs(centre[f]) >= 0.2
        )
        for user_id in members.index:
            result.append(Profile(int(user_id), name, reasons, stuck.get(int(user_id))))
    return sorted(result, key=lambda p: p.user_id)


def profile_frame(found: list[Profile]) -> pd.DataFrame:
    return pd.DataFrame(
        [(p.user_id, p.profile, list(p.reasons), p.stuck_skill) for p in found],
        columns=["user_id", "profile", "reasons", "stuck_skill"],
    )
