"""Machine-learning lessons: supervised, unsupervised and semi-supervised learning, each trained
live on shipped, generated or the learner's own data. Each lesson runs the loop every lab shares
(read, predict, experiment, challenge: app_pages/components/lesson_frame.py); the experiments
live in app_pages/components/ml/lesson_*.py, the computations in core/ml/."""

from __future__ import annotations

import streamlit as st

from app_pages.components.lesson_frame import lesson_page
from app_pages.components.ml import EXPERIMENTS, ML_BOOK
from app_pages.components.session import require_actor, tr

actor = require_actor()
st.title(tr("labs.ml.title"))
st.caption(tr("ml.intro"))
lesson_page(ML_BOOK, actor, EXPERIMENTS)
