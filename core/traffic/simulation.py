"""Run one controller on one network and scenario in SUMO, headless, and measure it.

Measured as traffic engineers do: per vehicle from SUMO's trip log (`--tripinfo-output`, with
vehicles still on the road at the end included, so a controller cannot hide a jam): the time spent
standing (waiting) and the delay against driving at the allowed speed (SUMO's timeLoss, RESCO's
"delay" metric), plus the queue (halted vehicles) every 5 s. Each call starts its own SUMO
process, so learners never share a simulation.

The synthetic networks get the chosen demand scenario; the real ones (RESCO's Cologne and
Ingolstadt) run their recorded hour of traffic, scaled by the demand slider with SUMO's
``--scale``, and the seed varies SUMO's randomness (drivers' speeds, lane choices)."""

from __future__ import annotations

import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from core.jobs import JobContext
from core.traffic import webster
from core.traffic.controllers import (
    Alternating,
    Controller,
    MaxPressure,
    Policy,
    TunedFixedTime,
    parse,
)
from core.traffic.errors import TrafficInputError
from core.traffic.scenarios import Demand, write_routes
from core.traffic.sumo import NETWORKS, Approach, Network, sumo_home

DELTA_S = 5
FRAME_EVERY_S = 30
INCIDENT_VEHICLE = "incident"  # the broken-down car: not a trip, so not in the measurements
RECORDED = "recorded"  # the scenario of a real network: its own recorded traffic


@dataclass(frozen=True)
class Frame:
    time: int
    x: tuple[float, ...]
    y: tuple[float, ...]
    halted: tuple[bool, ...]
    lights: dict[str, str]  # signal id -> SUMO state string, e.g. "GGrr"


@dataclass(frozen=True)
class SimResult:
    controller: str
    network: str
    scenario: str
    seconds: int
    seed: int
    mean_waiting_s: float  # per vehicle, time spent stopped (finished and unfinished trips)
    mean_delay_s: float  # per vehicle, time lost against free-flow driving (SUMO's timeLoss)
    mean_travel_time_s: float  # per finished trip
    throughput: int  # trips finished within the episode
    mean_queue: float  # halted vehicles at the signals, averaged every 5 s
    unfinished: int
    times: tuple[int, ...] = ()  # seconds since the start of the run
    queue: tuple[int, ...] = ()
    waiting: tuple[float, ...] = ()  # mean waiting time of vehicles on the road at that moment
    frames: tuple[Frame, ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class Setup:
    """What every controller in a comparison shares: the network, the demand and its random
    arrivals, and how long to simulate."""

    network: str = "single-intersection"
    scenario: str = "lopsided"
    demand: float = 1.0
    seconds: int = 1800
    seed: int = 0

    def run(self, controller: str, frames: bool = False) -> SimResult:
        return simulate(
            controller, self.network, self.scenario, self.seconds, self.seed, self.demand, frames
        )


def _network(name: str) -> Network:
    if name not in NETWORKS:
        raise TrafficInputError("unknown_network", value=name, choices=", ".join(NETWORKS))
    return NETWORKS[name]


def make_env(
    network: Network,
    routes: Path,
    seconds: int,
    seed: int,
    extra: str = "",
    fixed: bool = False,
    single_agent: bool = False,
) -> Any:
    sumo_home()
    import sumo_rl

    return sumo_rl.SumoEnvironment(
        net_file=str(network.net_path),
        route_file=str(routes),
        begin_time=network.begin,
        num_seconds=seconds,
        delta_time=DELTA_S,
        yellow_time=2,
        min_green=5,
        single_agent=single_agent,
        fixed_ts=fixed,
        sumo_seed=seed,
        sumo_warnings=False,
        additional_sumo_cmd=f"--no-step-log {extra}".strip(),
        add_per_agent_info=False,
    )


def routes_for(network: Network, demand: Demand, seconds: int, folder: Path) -> Path:
    """The route file a run uses: the real network's recorded traffic, or the scenario's."""
    return network.routes_path if network.real else write_routes(network, demand, seconds, folder)


def scale_option(network: Network, demand: Demand) -> str:
    """The demand slider on a real network: SUMO's --scale (1.6 = 60 % more of the same trips)."""
    return f"--scale {demand.scale:g}" if network.real else ""


def tuned_plan(network: Network, routes: Path, demand: Demand, seconds: int) -> TunedFixedTime:
    """Webster's plan for every signal, from the movement counts of the traffic being run."""
    scale = demand.scale if network.real else 1.0  # scenario route files are already scaled
    found = webster.plans(network.net_path, routes, network.begin, seconds, scale)
    return TunedFixedTime({ts: plan.durations for ts, plan in found.items()}, network.begin)


def _break_down(env: Any, approach: Approach, seconds: int) -> None:
    """An incident: a car breaks down on the main road's first lane, 40 m before the stop
    line, and stays ``seconds``; drivers behind must merge into the other lane to pass."""
    edge, lane_index = approach.incident_lane.rsplit("_", 1)
    length = env.sumo.lane.getLength(approach.incident_lane)
    env.sumo.route.add(INCIDENT_VEHICLE, [edge])
    env.sumo.vehicle.add(INCIDENT_VEHICLE, INCIDENT_VEHICLE, departLane=lane_index, departPos="0")
    env.sumo.vehicle.setStop(INCIDENT_VEHICLE, edge, pos=max(length - 40.0, 1.0),
                             laneIndex=int(lane_index), duration=seconds)  # fmt: skip


def _frame(env: Any, begin: int) -> Frame:
    vehicle = env.sumo.vehicle
    ids = vehicle.getIDList()
    points = [vehicle.getPosition(v) for v in ids]
    return Frame(
        time=int(env.sim_step) - begin,
        x=tuple(p[0] for p in points),
        y=tuple(p[1] for p in points),
        halted=tuple(vehicle.getSpeed(v) < 0.1 for v in ids),
        lights={ts: env.sumo.trafficlight.getRedYellowGreenState(ts) for ts in env.ts_ids},
    )


def _trips(path: Path) -> tuple[list[float], list[float], list[float]]:
    """(waiting time and delay of every vehicle, duration of every finished trip) from SUMO's
    log. Time spent waiting to enter the network (departDelay) counts as both: a controller
    that jams the entries must not look good because the jammed vehicles never drove."""
    waiting, delay, durations = [], [], []
    for trip in ET.parse(path).getroot().iter("tripinfo"):
        if trip.get("id") == INCIDENT_VEHICLE:
            continue
        entering = float(trip.get("departDelay", 0))
        waiting.append(float(trip.get("waitingTime", 0)) + entering)
        delay.append(float(trip.get("timeLoss", 0)) + entering)
        if float(trip.get("arrival", -1)) >= 0:
            durations.append(float(trip.get("duration", 0)))
    return waiting, delay, durations


def _controller(kind: str, env: Any, tuned: Any) -> Controller | None:
    if kind == "tuned_fixed_time":
        return tuned()  # type: ignore[no-any-return]
    if kind == "alternating":
        return Alternating()
    if kind == "max_pressure":
        return MaxPressure()
    if kind.startswith("rl:"):
        return Policy(kind[3:])
    return None  # fixed_time: SUMO runs the network's own programme


def simulate(
    controller: str,
    network: str = "single-intersection",
    scenario: str = "lopsided",
    seconds: int = 1800,
    seed: int = 0,
    demand: float = 1.0,
    frames: bool = False,
) -> SimResult:
    """Run ``controller`` for ``seconds`` simulated seconds; see the module docstring."""
    kind = parse(controller)
    net = _network(network)
    longest = net.hour_s if net.real else 7200
    TrafficInputError.check_ranges(("seconds", seconds, 300, longest), ("seed", seed, 0, 10_000))
    plan = Demand(scenario if not net.real else "balanced", demand)
    plan.check()
    with tempfile.TemporaryDirectory(prefix="zerde-sumo-") as folder:
        routes = routes_for(net, plan, seconds, Path(folder))
        trips = Path(folder) / "trips.xml"
        extra = f"--tripinfo-output {trips} --tripinfo-output.write-unfinished "
        extra += "--tripinfo-output.write-undeparted "
        extra += scale_option(net, plan)
        env = make_env(net, routes, seconds, seed, extra, fixed=kind == "fixed_time")
        try:
            observations = env.reset()
            decide = _controller(kind, env, lambda: tuned_plan(net, routes, plan, seconds))
            incident = None if net.real else plan.incident_window(seconds)
            times, queue, waiting, shots = [], [], [], []
            done = False
            while not done:
                now = int(env.sim_step) - net.begin
                if incident is not None and now == incident[0]:
                    _break_down(env, net.approaches[0], incident[1] - incident[0])
                actions = None if decide is None else decide.act(env, observations)
                observations, _, dones, info = env.step(actions)
                done = dones["__all__"]
                times.append(int(info["step"]) - net.begin)
                queue.append(int(info["system_total_stopped"]))
                waiting.append(float(info["system_mean_waiting_time"]))
                if frames and now % FRAME_EVERY_S == 0 and now > 0:  # t=0: an empty road
                    shots.append(_frame(env, net.begin))
        finally:
            env.close()
        waits, delays, durations = _trips(trips)
    return SimResult(
        controller=controller,
        network=network,
        scenario=RECORDED if net.real else scenario,
        seconds=seconds,
        seed=seed,
        mean_waiting_s=float(np.mean(waits)) if waits else 0.0,
        mean_delay_s=float(np.mean(delays)) if delays else 0.0,
        mean_travel_time_s=float(np.mean(durations)) if durations else 0.0,
        throughput=len(durations),
        mean_queue=float(np.mean(queue)) if queue else 0.0,
        unfinished=len(waits) - len(durations),
        times=tuple(times),
        queue=tuple(queue),
        waiting=tuple(waiting),
        frames=tuple(shots),
    )


def compare_job(
    ctx: JobContext, setup: Setup, controllers: tuple[str, ...]
) -> list[SimResult] | TrafficInputError:
    """The signals tab's comparison as a background job: each controller on the same arrivals,
    with the intersection's frames; the live updates are the controllers done so far. A Stop
    keeps the ones already run. Input the lab cannot use is the result, for the page to
    explain, not a failed job."""
    results: list[SimResult] = []
    try:
        for i, controller in enumerate(controllers):
            results.append(setup.run(controller, frames=True))
            if not ctx.report((i + 1) / len(controllers), controller):
                break
    except TrafficInputError as error:
        return error
    return results
