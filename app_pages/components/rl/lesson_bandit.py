"""Exploration on the 10-armed testbed (Sutton & Barto, §2.3): the student's own ε-greedy agent
against a greedy one and ε = 0.1, averaged over 200 sets of machines, in the two curves of the
book's Figure 2.2: average reward and how often the best machine is pulled."""

from __future__ import annotations

import streamlit as st

from app_pages.components.lesson_frame import Submission
from app_pages.components.numbers import choice_labels, slider
from app_pages.components.rl import charts
from app_pages.components.session import exact, num, pct, tr
from core.accounts import Actor
from core.rl import bandit
from core.rl.bandit import BanditParams, BanditResult

KEY = "rlb"
DECAYS = (1.0, 0.999, 0.997, 0.995, 0.99, 0.98)
REFERENCES = {"greedy": BanditParams(epsilon=0.0), "eps_0_1": BanditParams(epsilon=0.1)}
SEED = 0


@st.cache_data(max_entries=64, show_spinner=False)
def _run(params: BanditParams) -> BanditResult:
    return bandit.run(params, SEED)


def _params() -> BanditParams:
    a, b, c = st.columns(3)
    epsilon = slider(
        "ε (epsilon)", 0.0, 1.0, 0.1, 0.01, key=f"{KEY}_epsilon", where=a,
        help=tr("rl.epsilon_help"),
    )  # fmt: skip
    decay = b.select_slider(
        tr("rl.epsilon_decay_step"), DECAYS, 1.0, format_func=choice_labels(DECAYS, exact),
        key=f"{KEY}_decay", help=tr("rl.decay_help"),
    )  # fmt: skip
    initial = slider(
        tr("rl.initial_value"), 0.0, 5.0, 0.0, 0.5, key=f"{KEY}_initial", where=c,
        help=tr("rl.initial_help"),
    )  # fmt: skip
    return BanditParams(
        epsilon=float(epsilon), epsilon_decay=float(decay), initial_value=float(initial)
    )


def render(actor: Actor) -> Submission | None:
    st.caption(tr("rl.bandit.intro"))
    with st.container(border=True):
        st.markdown(f"**{tr('rl.bandit.your_agent')}**")
        mine = _params()
    results = {tr("rl.bandit.yours"): _run(mine)}
    results |= {tr(f"rl.bandit.{name}"): _run(params) for name, params in REFERENCES.items()}
    steps = list(range(1, mine.steps + 1))
    left, right = st.columns(2)
    with left:
        fig = charts.curves(
            {name: (steps, r.mean_reward) for name, r in results.items()},
            x_title=tr("rl.bandit.pull"),
            y_title=tr("rl.bandit.average_reward"),
        )
        charts.show(fig, f"{KEY}_reward")
    with right:
        fig = charts.curves(
            {name: (steps, 100 * r.optimal_share) for name, r in results.items()},
            x_title=tr("rl.bandit.pull"),
            y_title=tr("rl.bandit.optimal_percent"),
        )
        charts.show(fig, f"{KEY}_optimal")
    yours = results[tr("rl.bandit.yours")]
    a, b, c = st.columns(3)
    a.metric(tr("rl.bandit.final_share"), pct(yours.final_optimal_share))
    b.metric(tr("rl.bandit.average_reward"), num(yours.average_reward, 3))
    c.metric(tr("rl.bandit.best_possible"), num(yours.best_possible, 3))
    return Submission(
        setup={},
        measured={
            "final_optimal_share": yours.final_optimal_share,
            "epsilon": mine.epsilon,
            "epsilon_decay": mine.epsilon_decay,
            "initial_value": mine.initial_value,
        },
        shown=(("rl.bandit.final_share", pct(yours.final_optimal_share)),),
    )
