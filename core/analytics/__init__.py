"""Learner analytics: knowledge tracing, behaviour features, profiles, recommendations."""

from core.analytics.mastery import mastery, struggling

__all__ = ["mastery", "struggling"]
