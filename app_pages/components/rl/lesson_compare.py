"""DQN, PPO and A2C side by side: the same task, budget and seed, trained at the same time (each
its own background job, so the server's limit and queue apply), each column with its own live
curve and Stop; once all have finished, charts against steps and wall time, and a table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.components.jobs import current_job, job_panel, start_job
from app_pages.components.lesson_frame import Submission
from app_pages.components.numbers import table
from app_pages.components.rl.lesson_deep import (
    algo_label,
    live_chart,
    pick_task,
    pick_timesteps,
    reward_chart,
)
from app_pages.components.session import num, tr
from core import jobs
from core.accounts import Actor
from core.rl import deep
from core.rl.deep import ALGOS, POLICY_GRADIENT, DeepResult

KEY = "rlc"
SEED = 0


def _job_key(algo: str) -> str:
    return f"{KEY}_{algo}"


def _table(results: dict[str, DeepResult]) -> None:
    rows = [
        {
            tr("rl.algorithm"): algo_label(algo),
            tr("rl.family_of_algo"): tr(
                "rl.policy_gradient" if algo in POLICY_GRADIENT else "rl.value_based"
            ),
            tr("rl.eval_reward"): r.mean_eval_reward,
            tr("rl.timesteps"): r.timesteps,
            tr("rl.wall_time"): r.elapsed_s,
            tr("rl.steps_per_s"): round(r.steps_per_s),
            tr("rl.solved_column"): "✓" if r.solved else "✗",
        }
        for algo, r in results.items()
    ]
    table(pd.DataFrame(rows), 1, hide_index=True, width="stretch")


def _overlay(results: dict[str, DeepResult], env_id: str) -> None:
    curves = {algo: r.curve for algo, r in results.items()}
    left, right = st.columns(2)
    with left:
        reward_chart(curves, env_id, f"{KEY}_by_steps")
    with right:
        reward_chart(curves, env_id, f"{KEY}_by_time", by_time=True)


def render(actor: Actor) -> Submission | None:
    with st.container(border=True):
        task = pick_task(KEY)
        chosen = st.pills(
            tr("rl.algorithms"),
            ALGOS,
            selection_mode="multi",
            default=list(ALGOS),
            format_func=algo_label,
            key=f"{KEY}_algos",
        )
        timesteps = pick_timesteps(KEY, 40_000)
        st.caption(tr("rl.compare_note"))
    signature = (task, tuple(sorted(chosen)), timesteps)
    if st.button(
        tr("rl.train_side_by_side"),
        key=f"{KEY}_go",
        type="primary",
        icon=":material/play_arrow:",
        disabled=not chosen,
    ):
        for algo in set(ALGOS) - set(chosen):  # a left-over run of an algorithm now unticked
            if (job := current_job(_job_key(algo))) is not None:
                jobs.stop(job.id, actor.user_id)
        for algo in chosen:  # one runs at a time per learner; the others wait their turn
            args = {"algo": algo, "env_id": task, "timesteps": timesteps, "seed": SEED}
            start_job(_job_key(algo), deep.train_job, args, label=f"rl-{algo}")
        st.session_state[f"{KEY}_signature"] = signature
    running = st.session_state.get(f"{KEY}_signature")
    if running is None:
        st.caption(tr("rl.train_first"))
        return None
    ran_task, ran_algos, ran_steps = running
    columns = st.columns(len(ran_algos))
    results: dict[str, DeepResult] = {}
    for column, algo in zip(columns, ran_algos, strict=True):
        with column:
            st.markdown(f"**{algo_label(algo)}**")
            snap = job_panel(_job_key(algo), live_chart(ran_task, algo, f"{KEY}_{algo}_live"))
            if snap is not None and isinstance(snap.result, DeepResult):
                results[algo] = snap.result
    if len(results) < len(ran_algos):
        return None
    if running != signature:
        st.info(tr("rl.settings_changed"), icon=":material/tune:")
        return None
    _overlay(results, ran_task)
    _table(results)
    policy_gradient = [r.mean_eval_reward for a, r in results.items() if a in POLICY_GRADIENT]
    best = max(policy_gradient, default=-500.0)
    return Submission(
        setup={"task": ran_task},
        measured={
            "policy_gradient": float(bool(policy_gradient)),
            "best_pg_reward": best,
            "timesteps": float(ran_steps),
        },
        shown=(
            ("rl.timesteps", num(ran_steps)),
            ("rl.best_pg_reward", num(best, 1) if policy_gradient else "—"),
        ),
    )
