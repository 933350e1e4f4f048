"""Where reinforcement learning is used: short worked stories, each naming the agent, the
environment, the actions and the reward, the four words the lab began with; and the way to the
traffic lab, where RL controls real simulated traffic lights."""

from __future__ import annotations

import streamlit as st

from app_pages.components.lesson_frame import Submission
from app_pages.components.session import tr
from core.accounts import Actor
from core.labs import LABS

DOMAINS = ("games", "robotics", "driving", "finance", "traffic")
ICONS = {
    "games": ":material/sports_esports:",
    "robotics": ":material/precision_manufacturing:",
    "driving": ":material/directions_car:",
    "finance": ":material/show_chart:",
    "traffic": ":material/traffic:",
}
PARTS = ("agent", "actions", "reward")


def render(actor: Actor) -> Submission | None:
    for domain in DOMAINS:
        with st.container(border=True, key=f"rla_{domain}"):
            st.markdown(f"#### {tr(f'rl.app.{domain}.title')}")
            st.markdown(tr(f"rl.app.{domain}.story"))
            for column, part in zip(st.columns(len(PARTS)), PARTS, strict=True):
                column.markdown(f"**{tr(f'rl.app.{part}')}**  \n{tr(f'rl.app.{domain}.{part}')}")
    traffic = next(lab for lab in LABS if lab.id == "traffic")
    if traffic.available:
        st.page_link(traffic.page, label=tr("rl.app.to_traffic"), icon=traffic.icon)
    else:
        st.info(tr("rl.app.traffic_soon"), icon=traffic.icon)
    return None
