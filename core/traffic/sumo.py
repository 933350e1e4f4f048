"""Where SUMO and its networks live. The `eclipse-sumo` wheel ships the simulator; `sumo-rl`
ships the networks. SUMO_HOME must point into the wheel before sumo_rl is imported."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def sumo_home() -> str:
    import sumo

    os.environ.setdefault("SUMO_HOME", str(sumo.SUMO_HOME))
    return os.environ["SUMO_HOME"]


@dataclass(frozen=True)
class Approach:
    id: str  # e.g. "we": west to east
    route: str  # SUMO edges "from to"; SUMO finds the path between them
    incident_lane: str  # the lane an incident blocks on this approach


@dataclass(frozen=True)
class Network:
    id: str
    folder: str  # inside sumo_rl/nets
    net_file: str
    approaches: tuple[Approach, ...]

    @property
    def net_path(self) -> Path:
        import sumo_rl

        return Path(sumo_rl.__file__).parent / "nets" / self.folder / self.net_file


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
    )
}  # fmt: skip
