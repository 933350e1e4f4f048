"""Traffic lab: signal control on SUMO and flow forecasting.

``core.traffic.simulate(controller, network, scenario, seconds, seed)`` runs one controller and
returns its measured ``SimResult`` (mean_waiting_s, throughput, mean_queue, ...)."""

from core.traffic.simulation import SimResult, simulate

__all__ = ["SimResult", "simulate"]
