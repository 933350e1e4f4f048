"""Who decides the lights. Every controller acts through sumo-rl's traffic signals (same yellow
time, same 5 s decision step, same minimum green), so they differ only in their decisions.

- fixed_time: the network's own plan, as SUMO runs it (42 s green each way on the single
  intersection; the city's own programme on the real networks).
- tuned_fixed_time: a fixed cycle with greens split by demand (Webster's rule, per-lane saturation
  flow, movements given to phases from the network's connections; core.traffic.webster), what a
  traffic engineer does with a counting survey.
- alternating: the blind baseline; asks for the next phase at every decision, which with the
  2 s yellow and 5 s minimum green means a new phase every 10 s. Anything clever must beat it.
- max_pressure: every 5 s, give green to the phase whose queues are longest compared with the
  space downstream (Varaiya's max-pressure; the baseline in PARL's benchmark).
- rl:<path>: a policy trained with stable-baselines3, looking at sumo-rl's observation
  (current phase, lane densities and queues)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from core.traffic.errors import TrafficInputError
from core.traffic.policy import load_policy, shared_observation

BASELINES = ("fixed_time", "tuned_fixed_time", "alternating", "max_pressure")


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


class Alternating:
    def act(self, env: Any, observations: Mapping[str, Any]) -> dict[str, int]:
        return {
            ts_id: (signal.green_phase + 1) % signal.num_green_phases
            for ts_id, signal in env.traffic_signals.items()
        }


@dataclass
class TunedFixedTime:
    """A fixed cycle per signal: each green phase for its planned seconds (yellow included),
    phases planned at 0 s skipped."""

    durations: dict[str, tuple[int, ...]]  # per signal, seconds per green phase
    begin: int = 0  # the simulated clock at the start (real networks start at 7:00 or 16:00)

    def act(self, env: Any, observations: Mapping[str, Any]) -> dict[str, int]:
        actions = {}
        for ts_id, durations in self.durations.items():
            t = (env.sim_step - self.begin) % max(sum(durations), 1)
            for phase, seconds in enumerate(durations):
                t -= seconds
                if t < 0:
                    actions[ts_id] = phase
                    break
        return actions


class Policy:
    """A stable-baselines3 model saved by core.traffic.rl (PPO or DQN; the zip says which). On a
    network with several signals the one policy drives each of them (parameter sharing), seeing
    each signal's own observation padded to the widest one."""

    def __init__(self, path: str) -> None:
        self.model = load_policy(path)

    def act(self, env: Any, observations: Mapping[str, Any]) -> dict[str, int]:
        size = self.model.observation_space.shape[0]
        ids = list(env.ts_ids)
        actions = {}
        for ts, obs in observations.items():
            seen = shared_observation(obs, ids.index(ts), len(ids), size)
            action = int(self.model.predict(seen, deterministic=True)[0])
            actions[ts] = action % env.traffic_signals[ts].num_green_phases
        return actions


def parse(controller: str) -> str:
    """One of BASELINES or 'rl:<path to a saved policy>'."""
    if controller in BASELINES or (controller.startswith("rl:") and len(controller) > 3):
        return controller
    raise TrafficInputError("unknown_controller", value=controller, choices=", ".join(BASELINES))
