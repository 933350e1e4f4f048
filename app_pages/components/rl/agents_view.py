"""A student's shelf of saved agents: save the agent just trained under a name, later load one,
evaluate it again and watch it, or delete it. Files live in core.rl.agents.AgentStore."""

from __future__ import annotations

import streamlit as st

from app_pages.components.rl.replay_view import replay_panel
from app_pages.components.session import exact, num, tr
from app_pages.components.user_text import user_text
from core.accounts import Actor
from core.rl import deep
from core.rl.agents import AgentError, AgentStore, SavedAgent
from core.rl.deep import DeepResult


def _error(error: AgentError) -> None:
    st.error(tr(f"rl.agent_error.{error.code}"), icon=":material/error:")


def save_form(actor: Actor, key: str, result: DeepResult) -> None:
    with st.form(f"{key}_save", border=True, enter_to_submit=True):
        default = f"{result.algo.upper()} {result.env_id.split('-')[0]} {result.timesteps // 1000}k"
        name = st.text_input(tr("rl.agent_name"), default, max_chars=40, key=f"{key}_save_name")
        if st.form_submit_button(tr("rl.save_agent"), icon=":material/save:"):
            try:
                saved = AgentStore(actor.user_id).save(name, result)
            except AgentError as error:
                _error(error)
            else:
                st.success(tr("rl.agent_saved", name=user_text(saved.name)), icon=":material/save:")


def _label(agent: SavedAgent) -> str:
    return tr(
        "rl.agent_line",
        name=agent.name,
        algo=agent.algo.upper(),
        task=tr(f"rl.task.{agent.env_id}"),
        reward=exact(round(agent.mean_eval_reward, 3)),
    )


def agents_shelf(actor: Actor, key: str) -> None:
    store = AgentStore(actor.user_id)
    agents = store.list()
    with st.expander(tr("rl.my_agents", n=len(agents)), icon=":material/inventory_2:"):
        if not agents:
            st.caption(tr("rl.no_agents"))
            return
        labels = {a.name: _label(a) for a in agents}
        name = st.selectbox(
            tr("rl.agent_pick"), list(labels), format_func=labels.__getitem__, key=f"{key}_shelf"
        )
        agent = next(a for a in agents if a.name == name)
        left, right = st.columns(2)
        if left.button(tr("rl.agent_load"), key=f"{key}_shelf_load", icon=":material/upload:"):
            try:
                with st.spinner(tr("rl.evaluating")):
                    model = store.load(agent)
                    mean, std = deep.evaluate(model, agent.env_id)
            except AgentError as error:
                _error(error)
            else:
                st.session_state[f"{key}_loaded"] = (agent, model, mean, std)
        if right.button(tr("rl.agent_delete"), key=f"{key}_shelf_delete", icon=":material/delete:"):
            store.delete(agent)
            st.session_state.pop(f"{key}_loaded", None)
            st.rerun()
        loaded = st.session_state.get(f"{key}_loaded")
        if loaded and loaded[0] == agent:
            _, model, mean, std = loaded
            st.metric(tr("rl.eval_reward"), f"{num(mean, 1)} ± {num(std, 1)}")
            replay_panel(
                f"{key}_shelf",
                lambda: deep.replay(model, agent.env_id),
                signature=(agent.name, agent.saved_at),
            )
