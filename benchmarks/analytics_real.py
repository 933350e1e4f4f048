"""The learner model on real student data (issue 21): next-answer AUC, RMSE, calibration (ECE,
10 bins) and fit time on the public knowledge-tracing data sets as DKVMN published them, next to
the marginal rate, plain BKT and the published DKT / DKVMN figures; then truthful mastery on the
training sets, the behaviour-signal ablation on the simulator and the 1M-event speed check.

    python -m benchmarks.analytics_real [DATA_DIR] [--quick]

DATA_DIR (default ../shared/data/kt) holds {name}_train.csv / {name}_test.csv, three lines per
student: number of answers; skill (or step) ids; correctness 0/1. The product never reads it.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from core.analytics.learner import BEHAVIOUR, DENSE, LearnerModel
from core.analytics.mastery import fit_skills, mastery, trace
from core.analytics.simulate import CohortSpec, simulate_cohort

DATASETS = {"ASSIST2015": "assist2015", "STATICS2011": "STATICS"}
PUBLISHED = {  # next-answer AUC as published (DKVMN paper, Zhang et al. 2017)
    "ASSIST2015": {"DKT": 0.725, "DKVMN": 0.727},
    "STATICS2011": {"DKT": 0.802, "DKVMN": 0.828},
}


def load(path: Path, limit: int | None = None) -> pd.DataFrame:
    """DKVMN's three-line format as contract events (no times, hints or error types)."""
    lines = [line.strip() for line in path.read_text().splitlines() if line.strip()]
    users, skills, ys = [], [], []
    for user, i in enumerate(range(0, len(lines) - 2, 3)):
        if limit is not None and user >= limit:
            break
        sk = lines[i + 1].rstrip(",").split(",")
        users.append(np.full(len(sk), user))
        skills.append(np.array(sk))
        ys.append(np.array(lines[i + 2].rstrip(",").split(","), dtype=int))
    u, s, y = np.concatenate(users), np.concatenate(skills), np.concatenate(ys)
    at = pd.Timestamp("2020-01-01", tz="UTC") + pd.to_timedelta(np.arange(len(u)), unit="s")
    return pd.DataFrame({"user_id": u + 1, "skill": s, "item_id": s, "correct": y.astype(bool),
                         "decision_ms": np.nan, "error_type": None, "attempt": 1,
                         "hints_used": 0, "answered_at": at})  # fmt: skip


def ece(y: np.ndarray, p: np.ndarray, bins: int = 10) -> float:
    which = np.minimum((p * bins).astype(int), bins - 1)
    return float(
        sum(
            (which == b).mean() * abs(y[which == b].mean() - p[which == b].mean())
            for b in range(bins)
            if (which == b).any()
        )
    )


def scores(y: np.ndarray, p: np.ndarray) -> tuple[float, float, float]:
    return roc_auc_score(y, p), float(np.sqrt(((y - p) ** 2).mean())), ece(y, p)


def real_data(root: Path, quick: bool) -> None:
    limit = 400 if quick else None
    print("data set | model | AUC | RMSE | ECE | fit s")
    for name, stem in DATASETS.items():
        train = load(root / f"{stem}_train.csv", limit)
        test = load(root / f"{stem}_test.csv", limit)
        y = test["correct"].to_numpy(float)
        rate = train.groupby("skill")["correct"].mean()
        marginal = test["skill"].map(rate).fillna(train["correct"].mean()).to_numpy(float)
        print(
            f"{name} | marginal | " + " | ".join(f"{v:.3f}" for v in scores(y, marginal)) + " | -"
        )
        start = time.process_time()
        params = fit_skills(train)
        bkt_fit = time.process_time() - start
        traced = trace(test.assign(id=np.arange(len(test))), params).sort_values("id")
        guess = traced["skill"].map({s: p.guess for s, p in params.items()}).fillna(0.2)
        slip = traced["skill"].map({s: p.slip for s, p in params.items()}).fillna(0.1)
        bkt = (traced["p_before"] * (1 - slip) + (1 - traced["p_before"]) * guess).to_numpy()
        print(f"{name} | plain BKT | " + " | ".join(f"{v:.3f}" for v in scores(y, bkt))
              + f" | {bkt_fit:.1f}")  # fmt: skip
        start = time.process_time()
        model = LearnerModel().fit(train)
        fit = time.process_time() - start
        ours = model.predict_next(test)
        print(f"{name} | learner model | " + " | ".join(f"{v:.3f}" for v in scores(y, ours))
              + f" | {fit:.1f}")  # fmt: skip
        for paper, auc in PUBLISHED[name].items():
            print(f"{name} | published {paper} | {auc:.3f} | - | - | -")
        table = mastery(train, model)
        low = table[(table["n_evidence"] >= 10) & (table["error_rate"] > 0.5)]
        shown_strong = float((low["p_mastery"] >= 0.8).mean()) if len(low) else 0.0
        print(f"{name} | truthful mastery: {len(low)} pairs with >= 10 answers and < 50 % right,"
              f" {100 * shown_strong:.1f} % shown >= 0.8; cells >= 0.99:"
              f" {100 * float((table['p_mastery'] >= 0.99).mean()):.1f} %; uncertain:"
              f" {100 * float((table['state'] == 'uncertain').mean()):.1f} %")  # fmt: skip


def ablation(quick: bool) -> None:
    cohort = simulate_cohort(CohortSpec(n_students=150 if quick else 400, seed=11))
    events = cohort.events
    users = np.sort(events["user_id"].unique())
    train = events[events["user_id"].isin(users[: int(0.75 * len(users))])]
    test = events[~events["user_id"].isin(train["user_id"].unique())]
    y = test["correct"].astype(float).to_numpy()
    print("\nablation on the simulator (held-out students) | AUC | ECE")
    variants: dict[str, tuple[str, ...]] = {"all signals": tuple(DENSE)}
    groups = {"decision time": ("prev_time_z", "prev_fast_wrong", "prev_slow_right"),
              "hints": ("prev_hints",), "retries": ("retry",),
              "misconceptions": ("repeated_misconception",),
              "all behaviour": tuple(BEHAVIOUR)}  # fmt: skip
    for label, off in groups.items():
        variants[f"without {label}"] = tuple(f for f in DENSE if f not in off)
    for label, use in variants.items():
        p = LearnerModel(use=use).fit(train).predict_next(test)
        auc, _, cal = scores(y, p)
        print(f"{label} | {auc:.4f} | {cal:.4f}")


def speed(quick: bool) -> None:
    """A synthetic 1M-event set, 120 skills, long sequences (some learners answer thousands)."""
    rng = np.random.default_rng(0)
    n = 200_000 if quick else 1_000_000
    n_users = 2_000
    user = np.sort(rng.choice(n_users, size=n, p=rng.dirichlet(np.full(n_users, 0.3))))
    skill = rng.integers(0, 120, size=n)
    ability = rng.normal(0, 1, n_users)[user]
    difficulty = rng.normal(0, 1, 120)[skill]
    correct = rng.random(n) < 1 / (1 + np.exp(-(ability - difficulty)))
    at = pd.Timestamp("2026-01-01", tz="UTC") + pd.to_timedelta(np.arange(n), unit="s")
    events = pd.DataFrame({"user_id": user + 1, "skill": [f"s.k{k}" for k in skill],
                           "item_id": [f"i{k}" for k in rng.integers(0, 600, size=n)],
                           "correct": correct, "decision_ms": rng.lognormal(8.8, 0.5, n),
                           "error_type": None, "attempt": 1, "hints_used": 0,
                           "answered_at": at})  # fmt: skip
    longest = int(events.groupby("user_id").size().max())
    start = time.process_time()
    model = LearnerModel().fit(events)
    table = mastery(events, model)
    spent = time.process_time() - start
    print(f"\nspeed: {n:,} events, 120 skills, longest learner {longest:,} answers:"
          f" fit + mastery {spent:.1f} s CPU ({len(table):,} mastery rows)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", default="../shared/data/kt")
    parser.add_argument("--quick", action="store_true", help="subsample, for development")
    args = parser.parse_args()
    root = Path(args.data)
    if root.is_dir():
        real_data(root, args.quick)
    else:
        print(f"no data at {root}: real-data table skipped")
    ablation(args.quick)
    speed(args.quick)


if __name__ == "__main__":
    main()
