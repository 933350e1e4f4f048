"""The reinforcement-learning lab's lessons, in teaching order: first the ideas (agent, reward,
return, exploration) on problems small enough to play by hand, then the table an agent learns,
then neural networks for states no table can hold, then where RL is used."""

from __future__ import annotations

import pandas as pd

from core.lessons import Lesson, LessonProgress, lesson_progress

ACTIVITY = "rl"
FAMILIES: tuple[str, ...] = ("concepts", "tabular", "deep", "applications")
LESSONS: tuple[Lesson, ...] = (
    Lesson("be_agent", "concepts"),
    Lesson("bandit", "concepts"),
    Lesson("q_learning", "tabular"),
    Lesson("deep_rl", "deep"),
    Lesson("compare", "deep"),
    Lesson("applications", "applications"),
)
SKILLS: tuple[str, ...] = (
    "rl.concepts",
    "rl.q_learning",
    "rl.exploration",
    "rl.deep_rl",
    "rl.policy_gradient",
)


def progress(events: pd.DataFrame) -> dict[str, LessonProgress]:
    return lesson_progress(events, ACTIVITY, LESSONS)
