"""The signals tab: one network (synthetic with a demand scenario, or a real one with its
recorded traffic), the four baselines on the same random arrivals; predictions first, then
waiting and delay, queues and the intersection itself."""

from __future__ import annotations

import streamlit as st

from app_pages.components.jobs import JobWork, button_job
from app_pages.components.numbers import slider
from app_pages.components.segments import segments
from app_pages.components.session import tr
from app_pages.components.traffic import question, views
from core.accounts import Actor
from core.jobs import JobSnapshot
from core.traffic import questions
from core.traffic.controllers import BASELINES
from core.traffic.errors import TrafficInputError
from core.traffic.scenarios import SCENARIOS
from core.traffic.simulation import Setup, SimResult, compare_job
from core.traffic.sumo import NETWORKS

DURATIONS = (900, 1800, 3600)


def settings(prefix: str, networks: tuple[str, ...] = tuple(NETWORKS)) -> Setup:
    """The network/scenario/demand controls; the RL tab uses them too (one network there)."""
    network_names = {n: tr(f"traffic.network.{n}") for n in networks}
    network = segments(
        tr("traffic.network_label"), networks, network_names.__getitem__, networks[0],
        f"{prefix}_network",
    )  # fmt: skip
    if NETWORKS[network].real:
        scenario = "lopsided"  # unused: a real network runs its recorded traffic
        st.caption(tr(f"traffic.real_about.{network}"))
    else:
        scenario_names = {s: tr(f"traffic.scenario.{s}") for s in SCENARIOS}
        scenario = segments(
            tr("traffic.scenario_label"), SCENARIOS, scenario_names.__getitem__, "lopsided",
            f"{prefix}_scenario",
        )  # fmt: skip
        st.caption(tr(f"traffic.scenario_about.{scenario}"))
    a, b, c = st.columns(3)
    demand = slider(tr("traffic.demand"), 0.3, 1.6, 1.0, 0.1, key=f"{prefix}_demand", where=a)
    minutes = {s: tr("traffic.minutes", minutes=s // 60) for s in DURATIONS}
    seconds = b.select_slider(
        tr("traffic.duration"),
        DURATIONS,
        value=1800,
        format_func=minutes.__getitem__,
        key=f"{prefix}_seconds",
    )
    seed = c.number_input(tr("traffic.seed"), 0, 10_000, 0, key=f"{prefix}_seed")
    return Setup(network, scenario, float(demand), int(seconds), int(seed))


def _live(snap: JobSnapshot) -> None:
    done = ", ".join(views.name(c) for c in snap.updates)
    if done:
        st.caption(tr("traffic.done_so_far", controllers=done))


def _predictions(actor: Actor, results: list[SimResult] | None) -> None:
    by = {r.controller: r for r in results or []}
    texts = {
        o: tr(f"traffic.q.pressure_vs_fixed.{o}")
        for o in questions.QUESTIONS["pressure_vs_fixed"].options
    }
    if question.predict(actor, "pressure_vs_fixed", texts.__getitem__) and len(by) == len(
        BASELINES
    ):
        truth = questions.compare_truth(
            by["max_pressure"].mean_waiting_s, by["fixed_time"].mean_waiting_s
        )
        question.check(
            actor,
            "pressure_vs_fixed",
            truth,
            texts.__getitem__,
            tr("traffic.q.pressure_vs_fixed.why"),
        )
    names = {c: views.name(c) for c in BASELINES}
    # (all four baselines are options: the blind alternation wins more often than people expect)
    if question.predict(actor, "best_controller", names.__getitem__) and len(by) == len(BASELINES):
        truth = questions.best_truth({c: r.mean_waiting_s for c, r in by.items()})
        question.check(
            actor, "best_controller", truth, names.__getitem__, tr("traffic.q.best_controller.why")
        )


def render(actor: Actor) -> None:
    st.caption(tr("traffic.signals.intro"))
    setup = settings("traffic_sig")
    slot = st.container()  # the predictions, judged once this run's numbers exist

    def work() -> JobWork:
        return compare_job, {"setup": setup, "controllers": BASELINES}

    results = button_job(
        "traffic_compare",
        setup,
        tr("traffic.signals.run"),
        work,
        _live,
        tr("traffic.settings_changed"),
    )
    if isinstance(results, TrafficInputError):
        views.explain(results)
        results = None
    with slot:
        _predictions(actor, results)
    if not results:
        return
    views.table(results)
    st.caption(tr("traffic.delay_help"))
    left, right = st.columns(2)
    with left:
        views.bars(results, "traffic_bars")
    with right:
        views.queues(results, "traffic_queues")
    names = {r.controller: views.name(r.controller) for r in results}
    shown = segments(
        tr("traffic.show"), list(names), names.__getitem__, "max_pressure", "traffic_show"
    )
    views.intersection(next(r for r in results if r.controller == shown), "traffic_frame")
