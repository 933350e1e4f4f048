"""The network's drawing: every lane as a polyline and every signal's position, read from the
SUMO network file with sumolib, so the page can draw vehicles (SimResult frames) on real roads."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from core.traffic.sumo import NETWORKS, sumo_home


@dataclass(frozen=True)
class Drawing:
    lanes: tuple[tuple[tuple[float, float], ...], ...]
    signals: dict[str, tuple[float, float]]
    # one light per signalled lane: signal, the lane's link indices, stop line x, y (a lane with
    # a through and a right-turn link gets one square, not two drawn over each other)
    heads: tuple[tuple[str, tuple[int, ...], float, float], ...]
    bounds: tuple[float, float, float, float]  # x0, y0, x1, y1


@functools.cache
def drawing(network: str) -> Drawing:
    sumo_home()
    import sumolib

    net = sumolib.net.readNet(str(NETWORKS[network].net_path))
    lanes = tuple(
        tuple((float(x), float(y)) for x, y in lane.getShape())
        for edge in net.getEdges()
        for lane in edge.getLanes()
    )
    signals: dict[str, tuple[float, float]] = {}
    for tls in net.getTrafficLights():
        if net.hasNode(tls.getID()):
            x, y = net.getNode(tls.getID()).getCoord()[:2]
            signals[tls.getID()] = (float(x), float(y))
    links: dict[tuple[str, str], list[int]] = {}
    stop_line: dict[str, tuple[float, float]] = {}
    for tls in net.getTrafficLights():
        for incoming, _, index in tls.getConnections():
            links.setdefault((tls.getID(), incoming.getID()), []).append(int(index))
            x, y = incoming.getShape()[-1][:2]
            stop_line[incoming.getID()] = (float(x), float(y))
    heads = tuple(
        (ts, tuple(sorted(indices)), *stop_line[lane]) for (ts, lane), indices in links.items()
    )
    (x0, y0), (x1, y1) = net.getBBoxXY()
    return Drawing(lanes, signals, heads, (float(x0), float(y0), float(x1), float(y1)))
