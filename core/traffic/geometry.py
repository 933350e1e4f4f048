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
    heads: tuple[tuple[str, int, float, float], ...]  # signal, link index, stop line x, y
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
    heads = tuple(
        (
            tls.getID(),
            int(index),
            float(incoming.getShape()[-1][0]),
            float(incoming.getShape()[-1][1]),
        )
        for tls in net.getTrafficLights()
        for incoming, _, index in tls.getConnections()
    )
    (x0, y0), (x1, y1) = net.getBBoxXY()
    return Drawing(lanes, signals, heads, (float(x0), float(y0), float(x1), float(y1)))
