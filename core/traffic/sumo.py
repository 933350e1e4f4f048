"""Where SUMO and its networks live. The `eclipse-sumo` wheel ships the simulator; `sumo-rl`
ships the networks, among them RESCO's real ones (Cologne and Ingolstadt, with the traffic
recorded for them). SUMO_HOME must point into the wheel before sumo_rl is imported, so paths
into sumo_rl are found without importing it."""

from __future__ import annotations

import importlib.util
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def sumo_home() -> str:
    import sumo

    os.environ.setdefault("SUMO_HOME", str(sumo.SUMO_HOME))
    _connect_without_sleeping()
    return os.environ["SUMO_HOME"]


POLL_S = 0.02


def _connect_without_sleeping() -> None:
    """TraCI connects before SUMO has opened its port, fails, and sleeps a whole second before
    retrying; sumo-rl starts SUMO twice per environment and once per episode, so a 5 s run lost
    2 s and a training run a second per episode. ``_connect`` polls every 20 ms for as long as
    TraCI would have waited in all, and prints nothing (TraCI prints every retry to the log)."""
    import traci.main

    traci.main.connect = _connect


def _connect(
    port: int = 8813,
    numRetries: int = 60,  # noqa: N803 - TraCI's own keywords, passed positionally by init()
    host: str = "localhost",
    proc: Any = None,
    waitBetweenRetries: float = 1,  # noqa: N803
    traceFile: Any = None,  # noqa: N803
    traceGetters: bool = True,  # noqa: N803
    label: str | None = None,
) -> Any:
    from traci import connection
    from traci.exceptions import FatalTraCIError, TraCIException

    deadline = time.monotonic() + (numRetries + 1) * waitBetweenRetries
    while True:
        try:
            return connection.Connection(host, port, proc, traceFile, traceGetters, label)
        except OSError as error:
            if proc is not None and proc.poll() is not None:
                raise TraCIException("TraCI server already finished") from error
            if time.monotonic() > deadline:
                raise FatalTraCIError(f"Could not connect to {host}:{port}") from error
            time.sleep(POLL_S)


@dataclass(frozen=True)
class Approach:
    id: str  # e.g. "we": west to east
    route: str  # SUMO edges "from to"; SUMO finds the path between them
    incident_lane: str  # the lane an incident blocks on this approach


def nets_folder() -> Path:
    """sumo_rl/nets, located without importing sumo_rl (whose import fails without SUMO_HOME)."""
    spec = importlib.util.find_spec("sumo_rl")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("sumo_rl")
    return Path(spec.origin).parent / "nets"


@dataclass(frozen=True)
class Network:
    id: str
    folder: str  # inside sumo_rl/nets
    net_file: str
    approaches: tuple[Approach, ...] = ()  # synthetic networks: where the scenarios' flows enter
    route_file: str = ""  # real networks: the recorded traffic, shipped with the network
    begin: int = 0  # real networks: the simulated clock's start (RESCO: 7:00 or 16:00)
    hour_s: int = 3600  # real networks: how long the recorded traffic lasts

    @property
    def real(self) -> bool:
        return bool(self.route_file)

    @property
    def net_path(self) -> Path:
        return nets_folder() / self.folder / self.net_file

    @property
    def routes_path(self) -> Path:
        return nets_folder() / self.folder / self.route_file


def _resco(name: str, begin: int) -> Network:
    return Network(name, f"RESCO/{name}", f"{name}.net.xml", route_file=f"{name}.rou.xml",
                   begin=begin)  # fmt: skip


NETWORKS: dict[str, Network] = {
    n.id: n
    for n in (
        Network(
            "single-intersection", "single-intersection", "single-intersection.net.xml",
            (Approach("we", "w_t t_e", "w_t_0"), Approach("ns", "n_t t_s", "n_t_0")),
        ),
        Network(
            "2x2grid", "2x2grid", "2x2.net.xml",
            (Approach("we", "-h11 -h13", "-h11_0"), Approach("we2", "-h21 -h23", "-h21_0"),
             Approach("ns", "-v11 -v13", "-v11_0"), Approach("ns2", "-v21 -v23", "-v21_0")),
        ),
        # RESCO (Ault & Sharon, NeurIPS 2021): one, three and one signals of Cologne's morning
        # peak (7-8 h) and Ingolstadt's afternoon (16-17 h), with their recorded trips
        _resco("cologne1", 25200),
        _resco("cologne3", 25200),
        _resco("ingolstadt1", 57600),
    )
}  # fmt: skip
SYNTHETIC = tuple(n for n, net in NETWORKS.items() if not net.real)
REAL = tuple(n for n, net in NETWORKS.items() if net.real)
