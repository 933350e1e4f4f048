"""Learner analytics: knowledge tracing, behaviour features, profiles, recommendations."""

from core.analytics.learner import LearnerModel, next_answer_probabilities
from core.analytics.mastery import mastery, struggling

__all__ = ["LearnerModel", "mastery", "next_answer_probabilities", "struggling"]
