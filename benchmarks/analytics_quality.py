"""Learner analytics quality and speed, measured on simulated cohorts whose truth we know.

    python -m benchmarks.analytics_quality            # full run (about a minute)
    python -m benchmarks.analytics_quality --quick    # tiny sizes, a smoke test

Sections (cohorts from core.analytics.simulate, 200 students × 8 skills, seeds 1..5):
  a) mastery: AUC of `p_mastery` against the hidden final state `known_final`.
  b) struggling(k=2): precision against each student's truly weakest 2 skills (lowest
     `strength`), with two reference lines to judge the target by:
       - the same precision against the 2 skills with the lowest true final mastery probability
         p_end = 1 - (1 - prior)(1 - learn)^n_opportunities;
       - an oracle that sees the hidden state at every answer and ranks skills by the fraction
         of answers given while not yet known (learned_at / n_opportunities, random tie-break),
         scored against lowest strength: the ceiling for anything that reads only answers.
  c) next-answer prediction: NextAnswerModel fitted on 75 % of students, AUC of `p_model` and of
     plain BKT's `bkt_p` on the held-out 25 %, and the model's standardised weights.
  d) speed: `mastery()` over ~1,000,000 events (BKT fitted by EM per skill, everyone traced),
     `struggling()` for one student on that frame, NextAnswerModel.fit on ~200,000 events.

Nothing is hard-coded: every figure printed is measured in this run.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from core.analytics import mastery, struggling
from core.analytics.features import FEATURES, NextAnswerModel
from core.analytics.simulate import CohortSpec, SimulatedCohort, simulate_cohort

TARGET_MASTERY_AUC = 0.85
TARGET_PRECISION = 0.80
TARGET_SCORE_S = 60.0
K = 2
SEEDS = (1, 2, 3, 4, 5)
TRAIN_SHARE = 0.75
# Students whose struggling() is recomputed the slow, public way to check the vectorised ranking.
CHECK_USERS = 3


def say(line: str = "") -> None:
    print(line, flush=True)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "SHORT"


# --------------------------------------------------------------------------- rankings


def top_k(frame: pd.DataFrame, by: list[str], ascending: list[bool], k: int) -> pd.DataFrame:
    """Per user, the first k (user_id, skill) rows in the given order (one sort, no loop)."""
    ordered = frame.sort_values(["user_id", *by], ascending=[True, *ascending], kind="stable")
    return ordered.groupby("user_id", sort=False).head(k)[["user_id", "skill"]]


def precision(predicted: pd.DataFrame, truth: pd.DataFrame, k: int) -> float:
    """Mean over users of |predicted ∩ truth| / k."""
    hits = predicted.merge(truth, on=["user_id", "skill"], how="inner")
    per_user = hits.groupby("user_id").size().reindex(predicted["user_id"].unique(), fill_value=0)
    return float((per_user / k).mean())


def scorer_top_k(table: pd.DataFrame, k: int) -> pd.DataFrame:
    """struggling()'s order (core.analytics.mastery.weakest) for every user at once."""
    return top_k(table, ["p_mastery", "error_rate", "skill"], [True, False, True], k)


def truth_frame(cohort: SimulatedCohort) -> pd.DataFrame:
    truth = cohort.truth.reset_index()
    truth["p_end"] = 1 - (1 - truth["prior"]) * (1 - truth["learn"]) ** truth["n_opportunities"]
    truth["unknown_share"] = truth["learned_at"] / truth["n_opportunities"]
    return truth


def oracle_top_k(truth: pd.DataFrame, k: int, seed: int) -> pd.DataFrame:
    """Most answers given while not yet known first; ties (e.g. never learned) broken at random."""
    ranked = truth.assign(tie=np.random.default_rng(seed).random(len(truth)))
    return top_k(ranked, ["unknown_share", "tie"], [False, True], k)


# --------------------------------------------------------------------------- per seed


@dataclass
class SeedResult:
    seed: int
    n_events: int
    mastery_auc: float
    precision: float
    precision_p_end: float
    precision_oracle: float
    model_auc: float
    bkt_auc: float
    weights: dict[str, float]
    checked: int
    mismatched: int


def split_students(user_ids: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    shuffled = np.random.default_rng(seed).permutation(np.sort(user_ids))
    cut = round(TRAIN_SHARE * len(shuffled))
    return shuffled[:cut], shuffled[cut:]


def run_seed(n_students: int, seed: int) -> SeedResult:
    cohort = simulate_cohort(CohortSpec(n_students=n_students, seed=seed))
    events = cohort.events
    table = mastery(events)
    truth = truth_frame(cohort)

    joined = table.merge(truth, on=["user_id", "skill"], how="inner", validate="one_to_one")
    auc = float(roc_auc_score(joined["known_final"], joined["p_mastery"]))

    predicted = scorer_top_k(table, K)
    weakest = top_k(truth, ["strength"], [True], K)
    lowest_end = top_k(truth, ["p_end"], [True], K)
    oracle = oracle_top_k(truth, K, seed)

    # The vectorised ranking must be what the public function returns, user by user.
    users = np.sort(events["user_id"].unique())
    sample = np.random.default_rng(seed).choice(
        users, size=min(CHECK_USERS, len(users)), replace=False
    )
    mismatched = 0
    for user_id in sample:
        mine = predicted[predicted["user_id"] == user_id]["skill"].tolist()
        mismatched += mine != struggling(events, int(user_id), k=K)

    train_ids, test_ids = split_students(users, seed)
    model = NextAnswerModel().fit(events[events["user_id"].isin(train_ids)])
    held_out = model.predict(events[events["user_id"].isin(test_ids)])
    return SeedResult(
        seed=seed,
        n_events=len(events),
        mastery_auc=auc,
        precision=precision(predicted, weakest, K),
        precision_p_end=precision(predicted, lowest_end, K),
        precision_oracle=precision(oracle, weakest, K),
        model_auc=float(roc_auc_score(held_out["y"], held_out["p_model"])),
        bkt_auc=float(roc_auc_score(held_out["y"], held_out["bkt_p"])),
        weights=model.weights(),
        checked=len(sample),
        mismatched=int(mismatched),
    )


# --------------------------------------------------------------------------- speed


@dataclass
class Speed:
    n_events: int
    simulate_s: float
    mastery_s: float
    struggling_s: float
    fit_events: int
    fit_s: float


def run_speed(n_students: int) -> Speed:
    spec = CohortSpec(n_students=n_students, min_opportunities=20, max_opportunities=30, seed=0)
    clock = time.perf_counter()
    events = simulate_cohort(spec).events
    simulate_s, clock = time.perf_counter() - clock, time.perf_counter()
    mastery(events)
    mastery_s, clock = time.perf_counter() - clock, time.perf_counter()
    struggling(events, int(events["user_id"].iloc[0]), k=3)
    struggling_s = time.perf_counter() - clock
    # About a fifth of the students: ~200,000 events for the full run.
    fit_on = events[events["user_id"] < events["user_id"].min() + max(n_students // 5, 1)]
    clock = time.perf_counter()
    NextAnswerModel().fit(fit_on)
    fit_s = time.perf_counter() - clock
    return Speed(len(events), simulate_s, mastery_s, struggling_s, len(fit_on), fit_s)


# --------------------------------------------------------------------------- output


def print_seeds(results: list[SeedResult]) -> None:
    header = (
        f"{'seed':>5} {'events':>8} {'AUC p_mastery':>14} {'prec@2':>7} {'vs p_end':>9} "
        f"{'oracle':>7} {'AUC model':>10} {'AUC BKT':>8} {'checked':>8}"
    )
    say(header)
    say("-" * len(header))
    for r in results:
        say(
            f"{r.seed:>5} {r.n_events:>8,} {r.mastery_auc:>14.3f} {r.precision:>7.3f} "
            f"{r.precision_p_end:>9.3f} {r.precision_oracle:>7.3f} {r.model_auc:>10.3f} "
            f"{r.bkt_auc:>8.3f} {f'{r.checked - r.mismatched}/{r.checked}':>8}"
        )
    say("-" * len(header))
    say(
        f"{'mean':>5} {np.mean([r.n_events for r in results]):>8,.0f} "
        f"{mean(results, 'mastery_auc'):>14.3f} {mean(results, 'precision'):>7.3f} "
        f"{mean(results, 'precision_p_end'):>9.3f} {mean(results, 'precision_oracle'):>7.3f} "
        f"{mean(results, 'model_auc'):>10.3f} {mean(results, 'bkt_auc'):>8.3f}"
    )
    say()
    say("  AUC p_mastery: mastery()'s p_mastery vs the hidden known_final (target ≥ 0.85)")
    say("  prec@2: struggling(k=2) vs the 2 skills of lowest true strength (target ≥ 0.80)")
    say("  vs p_end: the same struggling(k=2) vs the 2 skills of lowest true final P(known)")
    say("  oracle: hidden-state oracle (share of answers given unknown) vs lowest strength")
    say("  AUC model / AUC BKT: held-out 25 % of students, next answer, p_model vs bkt_p")
    say("  checked: users whose struggling() equals the vectorised ranking used for prec@2")


def print_weights(results: list[SeedResult]) -> None:
    say("NextAnswerModel standardised weights (per seed, mean):")
    header = f"  {'feature':<24}" + "".join(f"{'seed ' + str(r.seed):>9}" for r in results)
    header += f"{'mean':>9}"
    say(header)
    for name in FEATURES:
        values = [r.weights[name] for r in results]
        cells = "".join(f"{v:>+9.3f}" for v in values)
        say(f"  {name:<24}{cells}{np.mean(values):>+9.3f}")


def mean(results: list[SeedResult], attr: str) -> float:
    return float(np.mean([getattr(r, attr) for r in results]))


def print_table(rows: list[tuple[str, str, str, str]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for n, row in enumerate(rows):
        say("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            say("  ".join("-" * w for w in widths))


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--students", type=int, default=200, help="students per quality cohort")
    p.add_argument("--seeds", type=int, default=len(SEEDS), help="cohorts, seeds 1..N")
    p.add_argument(
        "--speed-students",
        type=int,
        default=5_000,
        help="students in the speed cohort (20-30 answers × 8 skills each: 5000 ≈ 1M events)",
    )
    p.add_argument("--quick", action="store_true", help="tiny sizes (smoke test, seconds)")
    args = p.parse_args(argv)
    if args.quick:
        args.students, args.seeds, args.speed_students = 60, 2, 250
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    say(
        f"Zerde analytics quality benchmark — Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} CPUs"
    )
    say(
        f"quality: {args.seeds} cohorts × {args.students} students × 8 skills; "
        f"speed: {args.speed_students} students × 8 skills × 20-30 answers"
    )
    say()

    results = [run_seed(args.students, seed) for seed in range(1, args.seeds + 1)]
    print_seeds(results)
    say()
    print_weights(results)
    say()

    speed = run_speed(args.speed_students)
    say(f"speed cohort: {speed.n_events:,} events simulated in {speed.simulate_s:.1f} s")
    say(
        f"  mastery(): {speed.mastery_s:.2f} s = {speed.n_events / speed.mastery_s:,.0f} events/s "
        "(BKT fitted by EM per skill, every student traced)"
    )
    say(
        f"  struggling() for one student: {speed.struggling_s:.2f} s "
        "(it recomputes mastery() over the whole frame it is given)"
    )
    say(
        f"  NextAnswerModel.fit on {speed.fit_events:,} events: {speed.fit_s:.2f} s = "
        f"{speed.fit_events / speed.fit_s:,.0f} events/s"
    )
    say()

    auc = mean(results, "mastery_auc")
    prec = mean(results, "precision")
    model_auc, bkt_auc = mean(results, "model_auc"), mean(results, "bkt_auc")
    mismatched = sum(r.mismatched for r in results)
    checked = sum(r.checked for r in results)
    rows = [
        ("metric", "measured", "target", "verdict"),
        (
            "mastery AUC (p_mastery vs known_final)",
            f"{auc:.3f}",
            f"≥ {TARGET_MASTERY_AUC:.2f}",
            verdict(auc >= TARGET_MASTERY_AUC),
        ),
        (
            "struggling(k=2) precision vs lowest strength",
            f"{prec:.3f}",
            f"≥ {TARGET_PRECISION:.2f}",
            verdict(prec >= TARGET_PRECISION),
        ),
        (
            "  reference: same, vs lowest true p_end",
            f"{mean(results, 'precision_p_end'):.3f}",
            "",
            "",
        ),
        (
            "  reference: hidden-state oracle vs lowest strength",
            f"{mean(results, 'precision_oracle'):.3f}",
            "",
            "",
        ),
        (
            "struggling() = vectorised ranking (users)",
            f"{checked - mismatched}/{checked}",
            "all",
            verdict(mismatched == 0),
        ),
        (
            "next-answer AUC, NextAnswerModel (held out)",
            f"{model_auc:.3f}",
            "≥ plain BKT",
            verdict(model_auc >= bkt_auc),
        ),
        ("  reference: next-answer AUC, plain BKT", f"{bkt_auc:.3f}", "", ""),
        (
            f"mastery() on {speed.n_events:,} events (s)",
            f"{speed.mastery_s:.2f}",
            f"< {TARGET_SCORE_S:.0f}",
            verdict(speed.mastery_s < TARGET_SCORE_S),
        ),
        ("  mastery() events/s", f"{speed.n_events / speed.mastery_s:,.0f}", "", ""),
        ("struggling() one student, same frame (s)", f"{speed.struggling_s:.2f}", "", ""),
        (
            f"NextAnswerModel.fit on {speed.fit_events:,} events (s)",
            f"{speed.fit_s:.2f}",
            "",
            "",
        ),
    ]
    print_table(rows)
    say(f"total time {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
