"""Reinforcement-learning lessons: be the agent, exploration, tabular Q-learning, and deep RL
(DQN, PPO, A2C) trained live in the background. Each lesson runs the loop every lab shares (read,
predict, experiment, challenge: app_pages/components/lesson_frame.py); the experiments live in
app_pages/components/rl/lesson_*.py, the computations in core/rl/."""

from __future__ import annotations

import streamlit as st

from app_pages.components.lesson_frame import lesson_page
from app_pages.components.rl import EXPERIMENTS, RL_BOOK
from app_pages.components.session import require_actor, tr

actor = require_actor()
st.title(tr("labs.rl.title"))
st.caption(tr("rl.intro"))
lesson_page(RL_BOOK, actor, EXPERIMENTS)
