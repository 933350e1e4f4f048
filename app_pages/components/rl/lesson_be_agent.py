"""Be the agent: play the gridworld by hand (each click one action, the rewards and the return
counted as you go), then watch Q-learning learn the same grid, episode by episode."""

from __future__ import annotations

from typing import Any

import streamlit as st

from app_pages.components.lesson_frame import Submission
from app_pages.components.numbers import choice_labels, signed, slider
from app_pages.components.rl import charts
from app_pages.components.session import exact, num, pct, tr
from core.accounts import Actor
from core.rl import gridworld, q_learning
from core.rl.gridworld import ACTIONS, ARROWS, Grid, Play
from core.rl.stats import moving_average

KEY = "rlg"
GRID = Grid()
KEYPAD = {"up": (1, 0), "left": (0, 1), "right": (2, 1), "down": (1, 2)}  # (column, row)


def _play() -> Play:
    play = st.session_state.get(f"{KEY}_play")
    return play if isinstance(play, Play) else gridworld.new_play(GRID)


def _move(action: int) -> None:
    play = _play()
    if not play.done:
        st.session_state[f"{KEY}_play"] = gridworld.move(GRID, play, action)


def _restart() -> None:
    play = _play()
    if play.done:
        st.session_state[f"{KEY}_last"] = play
    st.session_state[f"{KEY}_play"] = gridworld.new_play(GRID)


def _board(play: Play) -> None:
    fig = charts.grid_figure(
        GRID.rows,
        GRID.cols,
        marks=charts.board_marks(GRID, play.state),
        walls=GRID.walls,
        path=[GRID.cell(s) for s in play.path],
        height=380,
    )
    charts.show(fig, f"{KEY}_board")


def _controls(play: Play) -> None:
    rows = [st.columns(3) for _ in range(3)]
    for action, (col, row) in KEYPAD.items():
        index = ACTIONS.index(action)
        rows[row][col].button(
            ARROWS[index],
            key=f"{KEY}_{action}",
            on_click=_move,
            args=(index,),
            disabled=play.done,
            help=tr(f"rl.action.{action}"),
            use_container_width=True,
        )


def _tally(play: Play, gamma: float) -> None:
    left, right = st.columns(2)
    left.metric(tr("rl.steps"), play.steps)
    right.metric(
        tr("rl.return_g", gamma=num(gamma, 2)),
        num(gridworld.discounted_return(play.rewards, gamma), 2),
    )
    if play.rewards:
        shown = " ".join(signed(r, None) for r in play.rewards[-12:])
        st.caption(tr("rl.rewards_so_far", rewards=("… " if play.steps > 12 else "") + shown))
    if play.last == "bumped":
        st.caption(tr("rl.bumped"))
    if play.done:
        message = tr(f"rl.outcome.{play.outcome}")
        (st.success if play.outcome == "goal" else st.warning)(message)
    st.button(
        tr("rl.new_episode"), key=f"{KEY}_restart", on_click=_restart, icon=":material/replay:"
    )


@st.cache_data(max_entries=32, show_spinner=False)
def _learn(episodes: int, gamma: float, alpha: float, decay: float, seed: int) -> Any:
    return q_learning.train_with_snapshots(
        gridworld.ENV_ID, episodes, seed, snapshots=20, env_kwargs={"grid": GRID},
        gamma=gamma, alpha=alpha, epsilon_decay=decay, max_steps=GRID.max_steps,
    )  # fmt: skip


def _watch() -> None:
    st.subheader(tr("rl.be_agent.watch_title"), anchor=False)
    st.caption(tr("rl.be_agent.watch_intro"))
    a, b, c, d = st.columns(4)
    episodes = a.slider(tr("rl.episodes"), 10, 500, 150, step=10, key=f"{KEY}_episodes")
    gamma = slider("γ (gamma)", 0.0, 1.0, 0.95, 0.05, key=f"{KEY}_gamma", where=b)
    alpha = slider("α (alpha)", 0.05, 1.0, 0.5, 0.05, key=f"{KEY}_alpha", where=c)
    decays = (0.9, 0.95, 0.97, 0.99, 0.995)
    decay = d.select_slider(
        tr("rl.epsilon_decay"), decays, 0.97, format_func=choice_labels(decays, exact),
        key=f"{KEY}_decay",
    )  # fmt: skip
    result, snapshots = _learn(int(episodes), float(gamma), float(alpha), float(decay), 0)
    figures = [
        charts.grid_figure(
            GRID.rows,
            GRID.cols,
            values=gridworld.value_grid(GRID, q),
            arrows=gridworld.policy_arrows(GRID, q),
            marks=charts.board_marks(GRID),
            walls=GRID.walls,
            value_title=tr("rl.value"),
            height=420,
        )
        for _, q in snapshots
    ]
    left, right = st.columns(2)
    with left:
        labels = [tr("rl.after_episode", n=n) for n, _ in snapshots]
        charts.show(charts.animate(figures, labels, play=tr("rl.play")), f"{KEY}_learning")
    with right:
        returns = [e.reward for e in result.episodes]
        x = list(range(1, len(returns) + 1))
        fig = charts.curves(
            {tr("rl.return"): (x, returns), tr("rl.moving_average"): (x, moving_average(returns))},
            x_title=tr("rl.episode"),
            y_title=tr("rl.return"),
            target=gridworld.best_return(GRID),
            target_label=tr("rl.best_possible"),
        )
        charts.show(fig, f"{KEY}_returns")
    st.metric(tr("rl.greedy_success"), pct(result.success_rate))


def render(actor: Actor) -> Submission | None:
    st.subheader(tr("rl.be_agent.play_title"), anchor=False)
    st.caption(tr("rl.be_agent.play_intro"))
    play = _play()
    left, right = st.columns([3, 2])
    with left:
        _board(play)
    with right:
        _controls(play)
        gamma = slider(tr("rl.discount"), 0.0, 1.0, 1.0, 0.05, key=f"{KEY}_return_gamma")
        _tally(play, float(gamma))
    _watch()
    finished = play if play.done else st.session_state.get(f"{KEY}_last")
    if not isinstance(finished, Play):
        return None
    total = gridworld.discounted_return(finished.rewards, 1.0)
    return Submission(
        setup={},
        measured={
            "return": total,
            "best_return": gridworld.best_return(GRID),
            "fell_in_pit": float(finished.outcome == "pit"),
            "reached_goal": float(finished.outcome == "goal"),
            "steps": float(finished.steps),
        },
        shown=(("rl.your_return", exact(round(total, 3))), ("rl.steps", str(finished.steps))),
    )
