"""Demand scenarios as SUMO route files: how many vehicles per hour enter on each approach, in
ten time slices over the episode. Arrivals are random (SUMO draws each second with the given
probability), so the seed matters and a controller is judged on the same seed as its rivals."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.traffic.errors import TrafficInputError
from core.traffic.sumo import Network

SCENARIOS = ("balanced", "lopsided", "rush_hour", "incident")
SLICES = 10
MAJOR = ("we", "we2")  # approaches that carry the main road's traffic


@dataclass(frozen=True)
class Demand:
    scenario: str
    scale: float = 1.0  # the learner's demand slider, 0.3..1.6

    def check(self) -> None:
        if self.scenario not in SCENARIOS:
            raise TrafficInputError(
                "unknown_scenario", value=self.scenario, choices=", ".join(SCENARIOS)
            )
        TrafficInputError.check_ranges(("demand", self.scale, 0.3, 1.6))

    def per_hour(self, approach: str, slice_index: int) -> float:
        """Vehicles per hour on ``approach`` during slice ``slice_index`` of ``SLICES``."""
        major = approach in MAJOR
        if self.scenario == "balanced":
            rate = 700.0
        elif self.scenario == "lopsided":
            rate = 1300.0 if major else 300.0
        elif self.scenario == "rush_hour":  # quiet, a peak in the middle, then easing
            shape = (0.35, 0.5, 0.75, 1.0, 1.1, 1.1, 1.0, 0.75, 0.55, 0.45)[slice_index]
            rate = shape * (1150.0 if major else 650.0)
        else:  # incident: steady lopsided demand; a lane is blocked in the middle third
            rate = 1600.0 if major else 300.0
        return rate * self.scale

    def incident_window(self, seconds: int) -> tuple[int, int] | None:
        if self.scenario != "incident":
            return None
        third = seconds // 3 // 5 * 5  # on the 5 s decision grid
        return (third, 2 * third)


def write_routes(network: Network, demand: Demand, seconds: int, folder: Path) -> Path:
    demand.check()
    step = seconds / SLICES
    flows = []
    for approach in network.approaches:
        origin, destination = approach.route.split()
        for k in range(SLICES):
            probability = min(demand.per_hour(approach.id, k) / 3600.0, 1.0)
            flows.append(
                f'    <flow id="{approach.id}_{k}" from="{origin}" to="{destination}" '
                f'begin="{k * step:.0f}" end="{(k + 1) * step:.0f}" '
                f'probability="{probability:.4f}" departSpeed="max" departPos="base" '
                'departLane="best"/>'
            )
    path = folder / f"{network.id}-{demand.scenario}.rou.xml"
    flows.sort(key=lambda line: float(line.split('begin="')[1].split('"')[0]))
    path.write_text("<routes>\n" + "\n".join(flows) + "\n</routes>\n")
    return path
