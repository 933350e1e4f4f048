"""Tabular Q-learning on FrozenLake (deterministic or slippery) and Taxi, trained in the
background: the reward curve and, on the lake, the Q-table's values and greedy arrows grow live;
at the end the greedy agent is evaluated and can be watched."""

from __future__ import annotations

from typing import Any

import numpy as np
import streamlit as st

from app_pages.components.jobs import current_job, job_panel, start_job
from app_pages.components.lesson_frame import Submission
from app_pages.components.numbers import choice_labels, slider
from app_pages.components.rl import charts
from app_pages.components.rl.replay_view import replay_panel
from app_pages.components.session import exact, num, pct, tr
from core.accounts import Actor
from core.jobs import JobSnapshot
from core.rl import gridworld, q_learning
from core.rl.q_learning import (
    LAKE,
    LAKE_ARROWS,
    TABULAR_TASKS,
    Live,
    QLearningParams,
    QLearningResult,
)
from core.rl.stats import moving_average

KEY = "rlq"
JOB = f"{KEY}_train"
EPISODES = (100, 200, 500, 1000, 2000, 5000, 10_000, 20_000)
DECAYS = (0.9, 0.95, 0.99, 0.995, 0.998, 0.999, 0.9995)
EVAL_EPISODES = 500
SEED = 0
TAXI_ACTIONS = ("south", "north", "east", "west", "pickup", "dropoff")


def _settings() -> tuple[str, int, QLearningParams]:
    task = (
        st.segmented_control(
            tr("rl.task_label"),
            tuple(TABULAR_TASKS),
            default="lake",
            format_func={t: tr(f"rl.task.{t}") for t in TABULAR_TASKS}.__getitem__,
            key=f"{KEY}_task",
        )
        or "lake"
    )
    a, b, c = st.columns(3)
    episodes = a.select_slider(
        tr("rl.episodes"), EPISODES, 1000, format_func=choice_labels(EPISODES),
        key=f"{KEY}_episodes",
    )  # fmt: skip
    alpha = slider(
        "α (alpha)", 0.01, 1.0, 0.1, 0.01, key=f"{KEY}_alpha", where=b, help=tr("rl.alpha_help")
    )
    gamma = slider(
        "γ (gamma)", 0.0, 1.0, 0.99, 0.01, key=f"{KEY}_gamma", where=c, help=tr("rl.gamma_help")
    )
    a, b = st.columns(2)
    epsilon = slider(
        tr("rl.epsilon_start"), 0.0, 1.0, 1.0, 0.05, key=f"{KEY}_epsilon", where=a,
        help=tr("rl.epsilon_help"),
    )  # fmt: skip
    decay = b.select_slider(
        tr("rl.epsilon_decay"), DECAYS, 0.99, format_func=choice_labels(DECAYS, exact),
        key=f"{KEY}_decay", help=tr("rl.decay_help"),
    )  # fmt: skip
    params = QLearningParams(
        alpha=float(alpha),
        gamma=float(gamma),
        epsilon=float(epsilon),
        epsilon_min=min(0.05, float(epsilon)),
        epsilon_decay=float(decay),
        max_steps=100 if task.startswith("lake") else 200,
        eval_episodes=EVAL_EPISODES,
    )
    return task, int(episodes), params


def _lake_board(q: np.ndarray, key: str) -> None:
    fig = charts.grid_figure(
        LAKE.rows,
        LAKE.cols,
        values=gridworld.value_grid(LAKE, q),
        arrows=gridworld.policy_arrows(LAKE, q, LAKE_ARROWS),
        marks=charts.board_marks(LAKE),
        value_title=tr("rl.value"),
        height=400,
    )
    charts.show(fig, key)


def _curve(rewards: list[float], task: str, key: str) -> None:
    if not rewards:
        return
    x = list(range(1, len(rewards) + 1))
    window = max(10, len(rewards) // 50)
    label = tr("rl.success_share") if task.startswith("lake") else tr("rl.return")
    fig = charts.curves(
        {tr("rl.moving_average"): (x, moving_average(rewards, window))},
        x_title=tr("rl.episode"),
        y_title=label,
    )
    charts.show(fig, key)


def _live(task: str) -> Any:
    def draw(snap: JobSnapshot) -> None:
        updates = [u for u in snap.updates if isinstance(u, Live)]
        if not updates:
            return
        left, right = st.columns(2)
        with left:
            _curve([r for u in updates for r in u.rewards], task, f"{KEY}_live_curve")
        if updates[-1].q_table is not None:
            with right:
                _lake_board(updates[-1].q_table, f"{KEY}_live_board")

    return draw


def _result(task: str, result: QLearningResult) -> None:
    a, b, c = st.columns(3)
    a.metric(
        tr("rl.greedy_success"),
        pct(result.success_rate),
        help=tr("rl.greedy_help", n=EVAL_EPISODES),
    )
    b.metric(tr("rl.mean_eval_reward"), num(result.mean_eval_reward, 2))
    c.metric(tr("rl.episodes_trained"), num(len(result.episodes)))
    left, right = st.columns(2)
    with left:
        _curve([e.reward for e in result.episodes], task, f"{KEY}_curve")
    with right:
        if task.startswith("lake"):
            _lake_board(result.q_table, f"{KEY}_board")
        else:
            fig = charts.q_matrix(
                result.q_table,
                [tr(f"rl.action.{a}") for a in TAXI_ACTIONS],
                x_title=tr("rl.action_label"),
                y_title=tr("rl.state"),
            )
            charts.show(fig, f"{KEY}_q_matrix")
    env_id, env_kwargs = TABULAR_TASKS[task]
    replay_panel(
        KEY,
        lambda: q_learning.replay(result.q_table, env_id, env_kwargs),
        signature=(task, id(result)),
    )


def render(actor: Actor) -> Submission | None:
    with st.container(border=True):
        task, episodes, params = _settings()
    signature = (task, episodes, params)
    if st.button(tr("rl.train"), key=f"{KEY}_go", type="primary", icon=":material/play_arrow:"):
        args = {"task": task, "episodes": episodes, "seed": SEED, "params": params}
        start_job(JOB, q_learning.train_job, args, label="rl-q-learning", meta=signature)
    snap = job_panel(JOB, _live(task))
    if current_job(JOB) is None:
        st.caption(tr("rl.train_first"))
    if snap is None or not isinstance(snap.result, QLearningResult):
        return None
    if snap.meta != signature:
        st.info(tr("rl.settings_changed"), icon=":material/tune:")
        return None
    result = snap.result
    _result(task, result)
    epsilons = [e.epsilon for e in result.episodes]
    return Submission(
        setup={"task": task},
        measured={
            "episodes": float(len(result.episodes)),
            "success_rate": result.success_rate,
            "gamma": params.gamma,
            "epsilon": params.epsilon,
            "mean_epsilon": float(np.mean(epsilons)) if epsilons else 0.0,
        },
        shown=(
            ("rl.episodes_trained", num(len(result.episodes))),
            ("rl.greedy_success", pct(result.success_rate)),
        ),
    )
