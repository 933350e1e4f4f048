"""Traffic lab: how fast SUMO runs here, and how long PPO needs to beat the best baseline
(network plan, Webster's plan, alternating, max-pressure) on the single intersection.

    python -m benchmarks.traffic            # speed, baselines, PPO up to 60k decisions
    python -m benchmarks.traffic --quick    # speed, baselines, PPO up to 10k decisions

PPO is trained in rounds of 5,000 decisions (about 7 simulated hours each); after each round the
policy runs 1,800 s of lopsided demand on seeds it never trained on, against the baselines on
the same seeds. Reported: simulated seconds per wall second for every controller, and the wall
time and decisions at which PPO's mean waiting first beats the best baseline, with the factor.
(benchmarks/traffic_networks.py covers the real networks.)"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from statistics import mean

os.environ.setdefault("OMP_NUM_THREADS", "1")

from core.traffic import simulate
from core.traffic.controllers import BASELINES
from core.traffic.rl import RlSettings, train_policy

EVAL_SEEDS = (101, 102, 103)
SECONDS = 1800


def waiting(controller: str, scenario: str) -> float:
    return mean(
        simulate(controller, scenario=scenario, seconds=SECONDS, seed=s).mean_waiting_s
        for s in EVAL_SEEDS
    )


def starving(policy: str, scenario: str) -> None:
    """A policy could cut the mean wait by holding the side road red for good; what got through
    and what was still on the road at the end show whether it did."""
    seed = EVAL_SEEDS[0]
    for controller in ("tuned_fixed_time", policy):
        result = simulate(controller, scenario=scenario, seconds=SECONDS, seed=seed)
        label = "PPO" if controller == policy else controller
        print(
            f"  seed {seed}, {label:16}: {result.throughput} vehicles through, "
            f"{result.unfinished} still on the road"
        )


def speed() -> None:
    print("simulated seconds per wall second (1,800 s of lopsided demand, one core):")
    for controller in BASELINES:
        start = time.perf_counter()
        result = simulate(controller, seconds=SECONDS, seed=0)
        wall = time.perf_counter() - start
        print(
            f"  {controller:18} {SECONDS / wall:6.0f}×   "
            f"({wall:.1f} s, {result.throughput} vehicles)"
        )
    start = time.perf_counter()
    simulate("max_pressure", network="2x2grid", scenario="rush_hour", seconds=SECONDS, seed=0)
    print(f"  {'2x2 grid, max-pr.':18} {SECONDS / (time.perf_counter() - start):6.0f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--scenario", default="lopsided")
    args = parser.parse_args()
    speed()
    baselines = {c: waiting(c, args.scenario) for c in BASELINES}
    print(f"\nmean waiting per vehicle on {args.scenario}, seeds {EVAL_SEEDS}:")
    for c, w in baselines.items():
        print(f"  {c:18} {w:6.2f} s")
    best = min(baselines, key=baselines.__getitem__)
    tuned = baselines[best]
    budget = 10_000 if args.quick else 60_000
    settings = RlSettings(algorithm="ppo", timesteps=5_000, scenario=args.scenario, seed=0)
    folder = Path(tempfile.mkdtemp(prefix="zerde-ppo-"))
    trained_wall = 0.0
    policy_path = None
    print(f"\nPPO, rounds of {settings.timesteps} decisions (budget {budget}):")
    for decisions in range(settings.timesteps, budget + 1, settings.timesteps):
        start = time.perf_counter()
        round_settings = replace(settings, seed=decisions)  # fresh arrivals each round
        trained = train_policy(round_settings, folder, continue_from=policy_path)
        trained_wall += time.perf_counter() - start
        policy_path = trained.path
        ppo = waiting(f"rl:{policy_path}", args.scenario)
        factor = tuned / ppo if ppo > 0 else float("inf")
        print(
            f"  {decisions:6d} decisions, {trained_wall:6.0f} s training: {ppo:6.2f} s waiting "
            f"(best baseline, {best}, {tuned:.2f} s, factor {factor:.2f})",
            flush=True,
        )
        if ppo < tuned:
            print(
                f"\nPPO beat the best baseline ({best}) after {decisions} decisions and "
                f"{trained_wall:.0f} s of training: mean waiting {ppo:.2f} s "
                f"vs {tuned:.2f} s (×{factor:.2f} less)"
            )
            starving(f"rl:{policy_path}", args.scenario)
            return
    print(f"\nPPO did NOT beat {best} within {budget} decisions ({trained_wall:.0f} s).")


if __name__ == "__main__":
    main()
