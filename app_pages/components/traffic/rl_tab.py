"""The RL tab: train PPO or DQN as a background job (the live curve is the learning curve: mean
waiting per training episode), then test the policy against all four baselines on three seeds
it never trained on, with a 95 % interval; the rush-hour challenge asks it to beat the best
baseline."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st
from pydantic import ValidationError

from app_pages.components.decision import decision_state, record_decision
from app_pages.components.jobs import JobWork, button_job
from app_pages.components.numbers import slider
from app_pages.components.plots import plot
from app_pages.components.segments import segments
from app_pages.components.session import num, pct, tr
from app_pages.components.traffic import question, views
from app_pages.components.traffic.signals_tab import settings
from core.accounts import Actor
from core.jobs import JobSnapshot
from core.traffic import questions
from core.traffic.errors import TrafficInputError
from core.traffic.geometry import drawing
from core.traffic.rl import ALGORITHMS, Outcome, RlSettings, TrainingPoint, train_job
from core.traffic.simulation import Setup
from core.traffic.summary import Summary, summarise
from core.traffic.sumo import NETWORKS


def _curve(points: list[TrainingPoint]) -> None:
    if not points:
        st.caption(tr("traffic.rl.first_episode"))
        return
    figure = go.Figure(
        go.Scatter(
            x=[p.timesteps for p in points],
            y=[p.mean_waiting_s for p in points],
            mode="lines+markers",
            line={"color": views.colour("rl:")},
            customdata=[[p.episode, p.episode_return] for p in points],
            hovertemplate=tr("traffic.rl.hover"),
            name="",
        )
    )
    figure.update_layout(
        height=260, margin={"t": 10, "b": 10},
        xaxis_title=tr("traffic.rl.decisions"), yaxis_title=tr("traffic.rl.episode_waiting"),
    )  # fmt: skip
    figure.update_xaxes(rangemode="tozero")  # one episode done is a point, not a zoomed axis
    figure.update_yaxes(rangemode="tozero")
    with st.container(key="traffic_rl_curve"):
        plot(figure, width="stretch")
    st.caption(tr("traffic.rl.curve_help"))


def _live(snap: JobSnapshot) -> None:
    _curve([u for u in snap.updates if isinstance(u, TrainingPoint)])


def _challenge(actor: Actor, setup: Setup, outcome: Outcome, summaries: list[Summary]) -> None:
    st.markdown(f"**{tr('traffic.challenge.title')}** {tr('traffic.challenge.goal')}")
    if setup.scenario != "rush_hour" or NETWORKS[setup.network].real:
        st.caption(tr("traffic.challenge.set_rush_hour"))
        return
    policy = summaries[0].waiting.mean
    baselines = {s.controller: s.waiting.mean for s in summaries[1:]}
    correct, error = questions.challenge(policy, baselines)
    best = min(baselines, key=baselines.__getitem__)
    state = decision_state(f"traffic_challenge_{outcome.policy.path}")
    if state["outcome"] is None:
        try:
            record_decision(
                actor,
                state,
                activity="traffic",
                item_id="challenge.rush_hour",
                skill="traffic.rl",
                correct=correct,
                error_type=error,
                payload={
                    "policy_waiting": policy,
                    "best_baseline": best,
                    "best_waiting": baselines[best],
                    "tuned_waiting": baselines["tuned_fixed_time"],
                    "seeds": list(outcome.seeds),
                    "algorithm": outcome.policy.settings.algorithm,
                    "timesteps": outcome.policy.settings.timesteps,
                },
            )
        except ValidationError:
            st.error(tr("errors.not_saved"))
            return
        state["outcome"] = "met" if correct else "missed"
    gain = 1 - policy / baselines[best] if baselines[best] else 0.0
    text = {"best": views.name(best)}
    if correct:
        st.success(tr("traffic.challenge.met", gain=pct(gain), **text),
                   icon=":material/emoji_events:")  # fmt: skip
    else:
        st.warning(tr("traffic.challenge.missed", more=pct(-gain), **text), icon=":material/flag:")


def render(actor: Actor) -> None:
    st.caption(tr("traffic.rl.intro"))
    setup = settings("traffic_rl")
    left, right = st.columns(2)
    algorithm = segments(
        tr("traffic.rl.algorithm"), ALGORITHMS, str.upper, "ppo", "traffic_rl_algorithm", left
    )
    timesteps = slider(
        tr("traffic.rl.budget"), 1_000, 60_000, 20_000, 1_000, key="traffic_rl_steps", where=right
    )
    signals = len({head[0] for head in drawing(setup.network).heads}) or 1
    hours = num(timesteps * 5 / 3600 / signals, 1)
    if signals > 1:
        right.caption(tr("traffic.rl.budget_help_shared", hours=hours, signals=signals))
    else:
        right.caption(tr("traffic.rl.budget_help", hours=hours))
    rl = RlSettings(
        algorithm=algorithm,
        timesteps=timesteps,
        scenario=setup.scenario,
        demand=setup.demand,
        episode_seconds=setup.seconds,
        seed=setup.seed,
        network=setup.network,
    )
    texts = {
        o: tr(f"traffic.q.rl_vs_tuned.{o}") for o in questions.QUESTIONS["rl_vs_tuned"].options
    }
    if not question.predict(actor, "rl_vs_tuned", texts.__getitem__):
        return

    def work() -> JobWork:
        return train_job, {"setup": setup, "settings": rl, "user_id": actor.user_id}

    outcome = button_job(
        "traffic_rl",
        (setup, rl),
        tr("traffic.rl.train"),
        work,
        _live,
        tr("traffic.settings_changed"),
    )
    if isinstance(outcome, TrafficInputError):
        views.explain(outcome)
        return
    if not isinstance(outcome, Outcome):
        return
    _curve(list(outcome.policy.history))
    st.caption(
        tr(
            "traffic.rl.trained",
            seconds=num(outcome.policy.seconds, 0),
            decisions=num(outcome.policy.settings.timesteps),
            episodes=num(len(outcome.policy.history)),
        )
    )
    summaries = summarise(outcome.results)
    st.caption(tr("traffic.rl.tested", seeds=", ".join(map(str, outcome.seeds))))
    views.summary_table(summaries)
    views.summary_bars(summaries, "traffic_rl_bars")
    by = {s.controller: s.waiting.mean for s in summaries}
    truth = questions.compare_truth(summaries[0].waiting.mean, by["tuned_fixed_time"])
    question.check(actor, "rl_vs_tuned", truth, texts.__getitem__, tr("traffic.q.rl_vs_tuned.why"))
    _challenge(actor, setup, outcome, summaries)
