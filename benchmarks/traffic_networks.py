"""Traffic lab on RESCO's real networks and the synthetic ones: every baseline and a PPO policy,
each over three evaluation seeds, with waiting and RESCO's delay (SUMO's timeLoss; both include
time spent queuing to enter the network).

    python -m benchmarks.traffic_networks                    # all networks, PPO on each
    python -m benchmarks.traffic_networks --networks cologne3 --rl-steps 15000
    python -m benchmarks.traffic_networks --no-rl            # baselines only

Baselines run on evaluation seeds 101-103. PPO is trained three times (training seeds 0, 1, 2,
whose arrivals come from seeds 20,000 and up, never the evaluation ones), each policy evaluated
on seeds 101-103; its figure is the mean over the three trainings, the interval a 95 % t-interval
over them (for the baselines: over the three seeds). On networks with several signals one shared
policy drives all of them; ``--rl-steps`` counts decisions of all signals together."""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path
from statistics import mean

os.environ.setdefault("OMP_NUM_THREADS", "1")

from core.traffic import simulate
from core.traffic.controllers import BASELINES
from core.traffic.rl import RlSettings, train_policy
from core.traffic.summary import Estimate, estimate
from core.traffic.sumo import NETWORKS

EVAL_SEEDS = (101, 102, 103)
TRAIN_SEEDS = (0, 1, 2)
CASES = {  # name: (network, scenario, seconds, PPO decisions)
    "single-intersection/lopsided": ("single-intersection", "lopsided", 1800, 10_000),
    "single-intersection/rush_hour": ("single-intersection", "rush_hour", 1800, 10_000),
    "2x2grid/lopsided": ("2x2grid", "lopsided", 1800, 20_000),
    "cologne1": ("cologne1", "lopsided", 3600, 10_000),
    "cologne3": ("cologne3", "lopsided", 3600, 15_000),
    "ingolstadt1": ("ingolstadt1", "lopsided", 3600, 10_000),
}


def fmt(e: Estimate) -> str:
    return f"{e.mean:.1f} ({e.low:.1f}–{e.high:.1f})"


def run(controller: str, network: str, scenario: str, seconds: int) -> tuple[float, float, float]:
    """Mean waiting, mean delay and wall seconds per run over EVAL_SEEDS."""
    start = time.perf_counter()
    results = [simulate(controller, network, scenario, seconds, s) for s in EVAL_SEEDS]
    wall = (time.perf_counter() - start) / len(EVAL_SEEDS)
    return (mean(r.mean_waiting_s for r in results), mean(r.mean_delay_s for r in results), wall)


def case(name: str, rl_steps: int | None, with_rl: bool) -> None:
    network, scenario, seconds, steps = CASES[name]
    steps = rl_steps or steps
    for controller in BASELINES:
        start = time.perf_counter()
        results = [simulate(controller, network, scenario, seconds, s) for s in EVAL_SEEDS]
        wall = (time.perf_counter() - start) / len(EVAL_SEEDS)
        waiting = estimate([r.mean_waiting_s for r in results])
        delay = estimate([r.mean_delay_s for r in results])
        print(f"| {name} | {controller} | {fmt(waiting)} | {fmt(delay)} | "
              f"{seconds / wall:.0f}× real time |", flush=True)  # fmt: skip
    if not with_rl:
        return
    waits, delays, walls = [], [], []
    for seed in TRAIN_SEEDS:
        settings = RlSettings(algorithm="ppo", timesteps=steps, scenario=scenario,
                              episode_seconds=seconds, seed=seed, network=network)  # fmt: skip
        folder = Path(tempfile.mkdtemp(prefix="zerde-ppo-"))
        start = time.perf_counter()
        trained = train_policy(settings, folder)
        walls.append(time.perf_counter() - start)
        w, d, _ = run(f"rl:{trained.path}", network, scenario, seconds)
        waits.append(w)
        delays.append(d)
        episodes = len(trained.history)
        print(f"  (PPO training seed {seed}: {w:.1f} s waiting, {d:.1f} s delay, "
              f"{walls[-1]:.0f} s training, {episodes} episodes)", flush=True)  # fmt: skip
    print(f"| {name} | PPO, {steps:,} decisions ({mean(walls):.0f} s training) | "
          f"{fmt(estimate(waits))} | {fmt(estimate(delays))} | |", flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--networks", default=",".join(CASES))
    parser.add_argument("--rl-steps", type=int, default=None)
    parser.add_argument("--no-rl", action="store_true")
    args = parser.parse_args()
    print("| case | controller | mean waiting, s (95 % interval) | mean delay, s (95 % interval) "
          "| speed |")  # fmt: skip
    print("| --- | --- | --- | --- | --- |")
    for name in args.networks.split(","):
        if name not in CASES:
            raise SystemExit(f"unknown case {name}; choose from {', '.join(CASES)}")
        assert CASES[name][0] in NETWORKS
        case(name, args.rl_steps, not args.no_rl)


if __name__ == "__main__":
    main()
