"""Who decides the lights. Every controller acts through sumo-rl's traffic signals (same yellow
time, same 5 s decision step, same minimum green), so they differ only in their decisions.

- fixed_time: the network's own plan, as SUMO runs it (42 s green each way here).
- tuned_fixed_time: a fixed cycle with greens split by demand (Webster's rule), what a traffic
  engineer does with a counting survey.
- max_pressure: every 5 s, give green to the phase whose queues are longest compared with the
  space downstream (Varaiya's max-pressure; the baseline in PARL's benchmark).
- rl:<path>: a policy trained with stable-baselines3, looking at sumo-rl's observation
  (current phase, lane densities and queues)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from core.traffic.errors import TrafficInputError

BASELINES = ("fixed_time", "tuned_fixed_time", "max_pressure")
LOST_SECONDS_PER_PHASE = 4.0  # yellow plus start-up delay


class Controller(Protocol):
    def act(self, env: Any, observations: Mapping[str, Any]) -> dict[str, int] | None: ...


def phase_lanes(signal: Any) -> list[list[tuple[str, str]]]:
    """For each green phase, the (incoming, outgoing) lane pairs it lets through."""
    links = signal.sumo.trafficlight.getControlledLinks(signal.id)
    return [
        [
            (link[0][0], link[0][1])
            for i, link in enumerate(links)
            if link and phase.state[i] in "Gg"
        ]
        for phase in signal.green_phases
    ]


class MaxPressure:
    def act(self, env: Any, observations: Mapping[str, Any]) -> dict[str, int]:
        actions = {}
        for ts_id, signal in env.traffic_signals.items():
            halting = signal.sumo.lane.getLastStepHaltingNumber
            pressures = [
                sum(halting(inc) - halting(out) for inc, out in set(pairs))
                for pairs in phase_lanes(signal)
            ]
            actions[ts_id] = max(range(len(pressures)), key=pressures.__getitem__)
        return actions


@dataclass
class TunedFixedTime:
    """A fixed cycle whose greens are proportional to each phase's share of demand."""

    greens: dict[str, tuple[int, ...]]  # per signal, seconds of green per phase

    def act(self, env: Any, observations: Mapping[str, Any]) -> dict[str, int]:
        actions = {}
        now = env.sim_step
        for ts_id, greens in self.greens.items():
            cycle = sum(greens) + LOST_SECONDS_PER_PHASE * len(greens)
            t = now % cycle
            for phase, green in enumerate(greens):
                t -= green + LOST_SECONDS_PER_PHASE
                if t < 0:
                    actions[ts_id] = phase
                    break
        return actions


def webster_greens(flows: list[float], saturation: float = 1800.0) -> tuple[int, ...]:
    """Webster's optimal cycle C = (1.5 L + 5) / (1 - Y), greens split by each phase's flow
    ratio y = flow / saturation flow; clamped to 30..120 s, each green at least 10 s."""
    ratios = [max(f, 1.0) / saturation for f in flows]
    total = min(sum(ratios), 0.9)
    lost = LOST_SECONDS_PER_PHASE * len(flows)
    cycle = min(max((1.5 * lost + 5) / (1 - total), 30.0), 120.0)
    effective = cycle - lost
    return tuple(max(10, round(effective * r / sum(ratios))) for r in ratios)


class Policy:
    """A stable-baselines3 model saved by core.traffic.rl (PPO or DQN; the zip says which)."""

    def __init__(self, path: str) -> None:
        from core.traffic.rl import load_policy

        self.model = load_policy(path)

    def act(self, env: Any, observations: Mapping[str, Any]) -> dict[str, int]:
        return {
            ts: int(self.model.predict(obs, deterministic=True)[0])
            for ts, obs in observations.items()
        }


def parse(controller: str) -> str:
    """'fixed_time', 'tuned_fixed_time', 'max_pressure' or 'rl:<path to a saved policy>'."""
    if controller in BASELINES or (controller.startswith("rl:") and len(controller) > 3):
        return controller
    raise TrafficInputError("unknown_controller", value=controller, choices=", ".join(BASELINES))
