"""Deep RL: one stable-baselines3 agent (PPO, A2C or DQN) trained live on CartPole or Acrobot,
its reward curve growing as it learns; then its evaluation, its replay, and the student's shelf
of saved agents."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import streamlit as st

from app_pages.components.jobs import current_job, job_panel, start_job
from app_pages.components.lesson_frame import Submission
from app_pages.components.numbers import choice_labels
from app_pages.components.rl import charts
from app_pages.components.rl.agents_view import agents_shelf, save_form
from app_pages.components.rl.replay_view import replay_panel
from app_pages.components.segments import segments
from app_pages.components.session import num, tr
from core.accounts import Actor
from core.jobs import JobSnapshot
from core.rl import deep
from core.rl.deep import ALGOS, TASKS, Algo, DeepResult, Progress

KEY = "rld"
JOB = f"{KEY}_train"
TIMESTEPS = (5_000, 10_000, 20_000, 30_000, 40_000, 60_000, 100_000, 150_000)


def algo_label(algo: str) -> str:
    return algo.upper()


def pick_task(key: str) -> str:
    names = {t: tr(f"rl.task.{t}") for t in TASKS}
    return segments(
        tr("rl.task_label"), tuple(TASKS), names.__getitem__, "CartPole-v1", f"{key}_task"
    )


def pick_timesteps(key: str, default: int = 30_000) -> int:
    return int(
        st.select_slider(
            tr("rl.timesteps"),
            TIMESTEPS,
            default,
            format_func=choice_labels(TIMESTEPS),
            key=f"{key}_steps",
            help=tr("rl.timesteps_help"),
        )
    )


def reward_chart(
    lines: Mapping[str, Sequence[Progress]], env_id: str, key: str, *, by_time: bool = False
) -> None:
    """Mean training reward against steps (or wall time), one line per algorithm, the "solved"
    level dashed."""
    fig = charts.curves(
        {
            algo_label(algo): (
                [p.elapsed_s if by_time else p.timesteps for p in points],
                [p.mean_reward for p in points],
            )
            for algo, points in lines.items()
        },
        x_title=tr("rl.wall_time" if by_time else "rl.timesteps"),
        y_title=tr("rl.mean_episode_reward"),
        target=TASKS[env_id].solved_at,
        target_label=tr("rl.solved_line"),
        colours={algo_label(a): c for a, c in charts.ALGO_COLOURS.items()},
    )
    charts.show(fig, key)


def live_chart(env_id: str, algo: str, key: str) -> Callable[[JobSnapshot], None]:
    """What the job panel draws while a training runs: its curve so far."""

    def draw(snap: JobSnapshot) -> None:
        points = [u for u in snap.updates if isinstance(u, Progress)]
        if points:
            reward_chart({algo: points}, env_id, key)

    return draw


def result_metrics(result: DeepResult) -> None:
    a, b, c, d = st.columns(4)
    a.metric(
        tr("rl.eval_reward"),
        f"{num(result.mean_eval_reward, 1)} ± {num(result.std_eval_reward, 1)}",
        help=tr("rl.eval_help"),
    )
    b.metric(tr("rl.timesteps"), num(result.timesteps))
    c.metric(tr("rl.wall_time"), num(result.elapsed_s, 1))
    d.metric(tr("rl.steps_per_s"), num(result.steps_per_s, 0))
    if result.solved:
        st.success(
            tr("rl.solved", task=tr(f"rl.task.{result.env_id}")), icon=":material/emoji_events:"
        )


def _settings() -> tuple[Algo, str, int, int]:
    task = pick_task(KEY)
    algo = segments(tr("rl.algorithm"), ALGOS, algo_label, "ppo", f"{KEY}_algo")
    left, right = st.columns([3, 1])
    with left:
        timesteps = pick_timesteps(KEY)
    seed = right.number_input(tr("rl.seed"), 0, 9999, 0, key=f"{KEY}_seed")
    with st.expander(tr("rl.hyperparameters"), icon=":material/tune:"):
        shown = {k: v for k, v in deep.hyperparameters(algo, task).items() if not callable(v)}
        st.json(shown, expanded=True)
        st.caption(tr("rl.zoo_source"))
    return algo, task, timesteps, int(seed)


def render(actor: Actor) -> Submission | None:
    with st.container(border=True):
        algo, task, timesteps, seed = _settings()
    signature = (algo, task, timesteps, seed)
    if st.button(tr("rl.train"), key=f"{KEY}_go", type="primary", icon=":material/play_arrow:"):
        args = {"algo": algo, "env_id": task, "timesteps": timesteps, "seed": seed}
        start_job(JOB, deep.train_job, args, label=f"rl-{algo}", meta=signature)
    snap = job_panel(JOB, live_chart(task, algo, f"{KEY}_live_chart"))
    submission = None
    if current_job(JOB) is None:
        st.caption(tr("rl.train_first"))
    elif snap is not None and isinstance(snap.result, DeepResult):
        if snap.meta != signature:
            st.info(tr("rl.settings_changed"), icon=":material/tune:")
        else:
            submission = _finished(actor, snap.result)
    agents_shelf(actor, KEY)
    return submission


def _finished(actor: Actor, result: DeepResult) -> Submission:
    reward_chart({result.algo: result.curve}, result.env_id, f"{KEY}_chart")
    result_metrics(result)
    replay_panel(KEY, lambda: deep.replay(result.model, result.env_id), signature=id(result))
    save_form(actor, KEY, result)
    last = result.curve[-1].mean_reward if result.curve else float("nan")
    return Submission(
        setup={"task": result.env_id},
        measured={
            "timesteps": float(result.timesteps),
            "eval_reward": result.mean_eval_reward,
            "train_reward": last,
        },
        shown=(
            ("rl.algorithm", algo_label(result.algo)),
            ("rl.timesteps", num(result.timesteps)),
            ("rl.eval_reward", num(result.mean_eval_reward, 1)),
        ),
    )
