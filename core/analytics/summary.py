"""A plain-language paragraph about one student, in the teacher's language."""

from __future__ import annotations

from core.analytics.report import StudentReport
from core.i18n import has_key, t


def skill_label(skill: str, lang: str) -> str:
    key = f"skills.{skill}"
    return t(key, lang) if has_key(key) else skill


def error_label(code: str, lang: str) -> str:
    """Misconception codes get a translated name where one exists, else a readable code."""
    key = f"misconceptions.{code}"
    return t(key, lang) if has_key(key) else code.replace("_", " ")


def student_summary(report: StudentReport, lang: str) -> str:
    if report.mastery.empty:
        return t("summary.no_data", lang, name=report.name)
    parts = []
    if report.profile is not None:
        reasons = ", ".join(t(f"profiles.reason.{r}", lang) for r in report.profile.reasons)
        profile = t(f"profiles.{report.profile.profile}", lang)
        if reasons:
            parts.append(t("summary.profile", lang, name=report.name, profile=profile, why=reasons))
        else:  # no reason stands out: say the group without an empty "()"
            parts.append(t("summary.profile_plain", lang, name=report.name, profile=profile))
    table = report.mastery
    # "strong" needs enough evidence (core.analytics.mastery); a table without states: >= 0.8.
    sure = table["state"] == "strong" if "state" in table else table["p_mastery"] >= 0.8
    strong = table[sure]["skill"]
    if len(strong):
        skills = ", ".join(skill_label(s, lang) for s in strong)
        parts.append(t("summary.strong", lang, skills=skills))
    if report.recommendations:
        weakest = report.recommendations[0]
        parts.append(
            t(
                "summary.weakest",
                lang,
                skill=skill_label(weakest.skill, lang),
                percent=round(100 * weakest.p_mastery),
            )
        )
        if weakest.top_error_type:
            parts.append(
                t("summary.mistake", lang, mistake=error_label(weakest.top_error_type, lang))
            )
        nxt = ", ".join(skill_label(r.skill, lang) for r in report.recommendations)
        parts.append(t("summary.next", lang, skills=nxt))
    return " ".join(parts)
