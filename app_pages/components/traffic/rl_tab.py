"""The RL tab: train PPO or DQN on the single intersection as a background job (live curve,
Stop), then run the policy against the fixed and tuned plans on the same arrivals; the
rush-hour challenge asks for 20 % less waiting than the tuned plan."""

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
from core.traffic.rl import ALGORITHMS, Outcome, RlSettings, TrainingPoint, train_job
from core.traffic.simulation import Setup


def _curve(points: list[TrainingPoint]) -> None:
    if points:
        figure = go.Figure(
            go.Scatter(x=[p.timesteps for p in points], y=[p.queue for p in points], mode="lines")
        )
        figure.update_layout(
            height=240, margin={"t": 10, "b": 10},
            xaxis_title=tr("traffic.rl.decisions"), yaxis_title=tr("traffic.rl.queue"),
        )  # fmt: skip
        with st.container(key="traffic_rl_curve"):
            plot(figure, width="stretch")


def _live(snap: JobSnapshot) -> None:
    _curve([u for u in snap.updates if isinstance(u, TrainingPoint)])


def _challenge(actor: Actor, setup: Setup, outcome: Outcome) -> None:
    st.markdown(f"**{tr('traffic.challenge.title')}** {tr('traffic.challenge.goal')}")
    if setup.scenario != "rush_hour":
        st.caption(tr("traffic.challenge.set_rush_hour"))
        return
    policy, tuned = outcome.results[0], outcome.results[1]
    correct, error = questions.challenge(policy.mean_waiting_s, tuned.mean_waiting_s)
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
                    "policy_waiting": policy.mean_waiting_s,
                    "tuned_waiting": tuned.mean_waiting_s,
                    "algorithm": outcome.policy.settings.algorithm,
                    "timesteps": outcome.policy.settings.timesteps,
                },
            )
        except ValidationError:
            st.error(tr("errors.not_saved"))
            return
        state["outcome"] = "met" if correct else "missed"
    gain = 1 - policy.mean_waiting_s / tuned.mean_waiting_s if tuned.mean_waiting_s else 0.0
    if correct:
        st.success(tr("traffic.challenge.met", gain=pct(gain)), icon=":material/emoji_events:")
    elif gain > 0:
        st.warning(tr("traffic.challenge.missed", gain=pct(gain)), icon=":material/flag:")
    else:
        st.warning(tr("traffic.challenge.worse", more=pct(-gain)), icon=":material/flag:")


def render(actor: Actor) -> None:
    st.caption(tr("traffic.rl.intro"))
    setup = settings("traffic_rl", ("single-intersection",))
    left, right = st.columns(2)
    algorithm = segments(
        tr("traffic.rl.algorithm"), ALGORITHMS, str.upper, "ppo", "traffic_rl_algorithm", left
    )
    timesteps = slider(
        tr("traffic.rl.budget"), 1_000, 60_000, 20_000, 1_000, key="traffic_rl_steps", where=right
    )
    right.caption(tr("traffic.rl.budget_help", hours=round(timesteps * 5 / 3600)))
    rl = RlSettings(
        algorithm=algorithm,
        timesteps=timesteps,
        scenario=setup.scenario,
        demand=setup.demand,
        episode_seconds=setup.seconds,
        seed=setup.seed,
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
            decisions=num(outcome.policy.history[-1].timesteps if outcome.policy.history else 0),
        )
    )
    views.table(outcome.results)
    views.bars(outcome.results, "traffic_rl_bars")
    truth = questions.compare_truth(
        outcome.results[0].mean_waiting_s, outcome.results[1].mean_waiting_s
    )
    question.check(actor, "rl_vs_tuned", truth, texts.__getitem__, tr("traffic.q.rl_vs_tuned.why"))
    _challenge(actor, setup, outcome)
