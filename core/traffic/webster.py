"""Webster's fixed plan done the way a traffic engineer does it, so the "tuned" baseline is an
honest one and wins over it mean something.

1. Count the demand per *movement* (entering edge -> leaving edge at a signal), from the very
   route file SUMO runs: flows, trips and vehicles, routed over the network; plan for the
   busiest quarter hour, as engineers do.
2. Give each movement to the green phase that serves it, read from the network's own
   connections (which lane-to-lane links each phase turns green). A phase no vehicle needs (a
   left-turn phase with no left turners) is skipped, not given green.
3. Each phase's flow ratio y is its critical movement's flow over its saturation flow, which is
   1,800 vehicles per hour *per lane* the movement may use (two lanes carry twice as much).
4. Webster's optimal cycle C = (1.5 L + 5) / (1 - Y), with L the lost time (yellow plus
   start-up) of the phases used; greens split in proportion to y.

The plan then runs on sumo-rl's 5 s decision grid, so every phase lasts a multiple of 5 s and at
least 10 s (sumo-rl's 2 s yellow plus 5 s minimum green only fit in two decisions)."""

from __future__ import annotations

import functools
import itertools
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SATURATION_PER_LANE = 1800.0  # vehicles per hour of green per lane (the HCM's base rate)
LOST_PER_PHASE = 4.0  # seconds: 2 s yellow plus about 2 s of start-up
STEP_S = 5  # sumo-rl's decision step
MIN_PHASE_S = 10  # yellow + minimum green, on the decision grid
CYCLE_RANGE = (30.0, 120.0)
PEAK_S = 900  # the design flow is the busiest quarter hour's
MAX_Y = 0.9  # beyond this the intersection is saturated and Webster's formula explodes

Movement = tuple[str, str]  # (entering edge, leaving edge)


@dataclass(frozen=True)
class Link:
    """One lane-to-lane link a signal controls: its index in the signal's state string."""

    index: int
    incoming: str  # lane id, "<edge>_<n>"
    outgoing: str

    @property
    def movement(self) -> Movement:
        return (self.incoming.rsplit("_", 1)[0], self.outgoing.rsplit("_", 1)[0])


@dataclass(frozen=True)
class PhasePlan:
    """Seconds each green phase lasts per cycle, yellow included; 0 means skipped."""

    durations: tuple[int, ...]
    ratios: tuple[float, ...]  # flow ratio y of each phase (its critical movement)

    @property
    def cycle(self) -> int:
        return sum(self.durations)


@functools.cache
def _net(net_path: str) -> Any:
    from core.traffic.sumo import sumo_home

    sumo_home()
    import sumolib

    return sumolib.net.readNet(net_path, withPrograms=True)


def _path(net: Any, origin: str, destination: str) -> tuple[str, ...]:
    if not (net.hasEdge(origin) and net.hasEdge(destination)):
        return ()
    edges, _ = net.getShortestPath(net.getEdge(origin), net.getEdge(destination))
    return tuple(e.getID() for e in edges or ())


def movement_flows(net_path: Path, routes: Path, begin: int, seconds: int) -> dict[Movement, float]:
    """Vehicles per hour on every (edge -> next edge) step of the routes in ``routes``, in the
    busiest quarter hour of [begin, begin + seconds): what a counting survey reports, and the
    design flow an engineer plans for (the peak 15 minutes, not the hour's average, which
    would leave the peak short of green)."""
    net = _net(str(net_path))
    bins = max(1, seconds // PEAK_S)
    width = seconds / bins
    named: dict[str, tuple[str, ...]] = {}
    paths: dict[tuple[str, str], tuple[str, ...]] = {}
    flows: list[dict[Movement, float]] = [defaultdict(float) for _ in range(bins)]

    def routed(origin: str, destination: str) -> tuple[str, ...]:
        if (origin, destination) not in paths:
            paths[origin, destination] = _path(net, origin, destination)
        return paths[origin, destination]

    def add(edges: Sequence[str], k: int, vehicles: float) -> None:
        for pair in itertools.pairwise(edges):
            flows[k][pair] += vehicles * 3600.0 / width

    for element in ET.parse(routes).getroot():
        tag = element.tag
        if tag == "route" and element.get("id"):
            named[element.get("id", "")] = tuple(element.get("edges", "").split())
        elif tag == "flow":
            start = float(element.get("begin", 0))
            stop = float(element.get("end", begin + seconds))
            if "probability" in element.attrib:
                rate = float(element.get("probability", 0)) * 3600.0
            elif "vehsPerHour" in element.attrib:
                rate = float(element.get("vehsPerHour", 0))
            else:
                rate = float(element.get("number", 0)) * 3600.0 / max(stop - start, 1.0)
            edges = _edges(element, named, routed)
            for k in range(bins):
                low, high = begin + k * width, begin + (k + 1) * width
                overlap = max(0.0, min(stop, high) - max(start, low))
                add(edges, k, rate * overlap / 3600.0)
        elif tag in ("trip", "vehicle"):
            k = int((float(element.get("depart", -1)) - begin) // width)
            if 0 <= k < bins:
                add(_edges(element, named, routed), k, 1.0)
    totals = [sum(counts.values()) for counts in flows]
    return dict(flows[totals.index(max(totals))])


def _edges(element: ET.Element, named: dict[str, tuple[str, ...]], routed: Any) -> Sequence[str]:
    child = element.find("route")
    if child is not None:
        return tuple(child.get("edges", "").split())
    if element.get("route") in named:
        return named[element.get("route", "")]
    if element.get("from") and element.get("to"):
        return tuple(routed(element.get("from"), element.get("to")))
    return ()


def assign(links: Sequence[Link], greens: Sequence[str]) -> dict[Movement, int]:
    """The green phase each movement through this signal belongs to: the one that turns most of
    its links green with priority (G), then most of them at all, then the first such phase."""
    by_movement: dict[Movement, list[int]] = defaultdict(list)
    for link in links:
        by_movement[link.movement].append(link.index)
    owner = {}
    for movement, indices in by_movement.items():
        scores = [
            (sum(state[i] == "G" for i in indices), sum(state[i] in "Gg" for i in indices), -p)
            for p, state in enumerate(greens)
        ]
        best = max(scores)
        if best[1] > 0:
            owner[movement] = -best[2]
    return owner


def phase_ratios(
    links: Sequence[Link], greens: Sequence[str], flows: dict[Movement, float], scale: float = 1.0
) -> tuple[float, ...]:
    """Each green phase's flow ratio y: its busiest lane's flow over 1,800 veh/h. A movement's
    flow is spread over the lanes it may use in its phase, and movements sharing a lane (a
    through-and-right lane) add up on it."""
    owner = assign(links, greens)
    loads: list[dict[str, float]] = [defaultdict(float) for _ in greens]
    for movement, phase in owner.items():
        lanes = {
            link.incoming
            for link in links
            if link.movement == movement and greens[phase][link.index] in "Gg"
        }
        for lane in lanes:
            loads[phase][lane] += scale * flows.get(movement, 0.0) / len(lanes)
    return tuple(max(load.values(), default=0.0) / SATURATION_PER_LANE for load in loads)


def webster(ratios: Sequence[float]) -> PhasePlan:
    """Webster's cycle and green split for phases with flow ratios ``ratios`` (0 = skip the
    phase); on the decision grid, each used phase at least MIN_PHASE_S."""
    used = [y > 0 for y in ratios]
    if not any(used):  # no counted demand at all: share the time evenly
        used = [True] * len(ratios)
        ratios = [0.01] * len(ratios)  # tiny and even: the shortest cycle, split evenly
    total = sum(y for y, u in zip(ratios, used, strict=True) if u)
    lost = LOST_PER_PHASE * sum(used)
    cycle = (1.5 * lost + 5.0) / (1.0 - min(total, MAX_Y))
    cycle = min(max(cycle, CYCLE_RANGE[0]), CYCLE_RANGE[1])
    effective = cycle - lost
    durations = tuple(
        max(MIN_PHASE_S, STEP_S * round((LOST_PER_PHASE + effective * y / total) / STEP_S))
        if u
        else 0
        for y, u in zip(ratios, used, strict=True)
    )
    return PhasePlan(durations, tuple(float(y) for y in ratios))


def green_states(program: Any) -> list[str]:
    """The green phases of a signal programme, in sumo-rl's order (its action numbers): every
    phase without yellow that lets something through."""
    return [
        ph.state
        for ph in program.getPhases()
        if "y" not in ph.state and ph.state.count("r") + ph.state.count("s") != len(ph.state)
    ]


def plans(
    net_path: Path, routes: Path, begin: int, seconds: int, scale: float = 1.0
) -> dict[str, PhasePlan]:
    """Webster's plan for every signal of the network, for the traffic in ``routes``. Webster
    plans each junction on its own: no common cycle and no offsets between neighbours, so on a
    real arterial a city's coordinated plan can beat it (cologne3 does)."""
    net = _net(str(net_path))
    flows = movement_flows(net_path, routes, begin, seconds)
    result = {}
    for tls in net.getTrafficLights():
        links = [
            Link(int(index), incoming.getID(), outgoing.getID())
            for incoming, outgoing, index in tls.getConnections()
        ]
        program = next(iter(tls.getPrograms().values()))
        result[tls.getID()] = webster(phase_ratios(links, green_states(program), flows, scale))
    return result
