"""What the dashboard shows, computed once per class and period, with access checked in core:
only the teacher's own classes, and every look at one student's data audit-logged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd
from sqlalchemy import Engine

from core.accounts.actor import Actor
from core.accounts.audit import write_audit
from core.accounts.classrooms import require_student_of, roster
from core.analytics.bkt import BKTParams
from core.analytics.mastery import fit_skills, mastery, trace, weakest
from core.analytics.profiles import Profile, profiles
from core.db.session import write_session
from core.labs import LABS, area_of
from core.telemetry import load_events
from core.telemetry.schema import EVENT_COLUMNS

ONBOARDING_PAGE = "app_pages/onboarding.py"


@dataclass(frozen=True)
class Recommendation:
    skill: str
    page: str
    lab_title_key: str
    p_mastery: float
    top_error_type: str | None


@dataclass(frozen=True)
class ClassAnalytics:
    classroom_id: int
    students: dict[int, str]
    events: pd.DataFrame
    params: dict[str, BKTParams]
    mastery: pd.DataFrame
    profiles: dict[int, Profile]

    def heatmap(self) -> pd.DataFrame:
        """Students × skills, p_mastery (NaN where a student never practised the skill)."""
        table = self.mastery.pivot(index="user_id", columns="skill", values="p_mastery")
        table.index = [self.students.get(int(i), str(i)) for i in table.index]
        return table

    def difficulty(self) -> pd.DataFrame:
        """Skills from hardest to easiest for this class."""
        if self.mastery.empty:
            return pd.DataFrame(columns=["skill", "mean_mastery", "error_rate", "students"])
        ranked = self.mastery.groupby("skill").agg(
            mean_mastery=("p_mastery", "mean"),
            error_rate=("error_rate", "mean"),
            students=("user_id", "nunique"),
        )
        return ranked.sort_values("mean_mastery").reset_index()

    def error_breakdown(self) -> pd.DataFrame:
        """Per skill, how often each misconception occurred and its share of that skill's errors."""
        wrong = self.events.dropna(subset=["error_type"])
        counts = wrong.groupby(["skill", "error_type"]).size().rename("n").reset_index()
        counts["share"] = counts["n"] / counts.groupby("skill")["n"].transform("sum")
        return counts.sort_values(["skill", "n"], ascending=[True, False])


@dataclass(frozen=True)
class StudentReport:
    user_id: int
    name: str
    mastery: pd.DataFrame
    timeline: pd.DataFrame  # graded answers in order with p_after (mastery curve per skill)
    profile: Profile | None
    recommendations: list[Recommendation]


def _window(events: pd.DataFrame, since: date | None, until: date | None) -> pd.DataFrame:
    if events.empty:
        return events
    keep = pd.Series(True, index=events.index)
    if since is not None:
        keep &= events["answered_at"] >= pd.Timestamp(datetime.combine(since, time()), tz="UTC")
    if until is not None:
        end = datetime.combine(until + timedelta(days=1), time())
        keep &= events["answered_at"] < pd.Timestamp(end, tz="UTC")
    return events[keep]


def analyse_events(
    events: pd.DataFrame, students: dict[int, str], classroom_id: int = 0
) -> ClassAnalytics:
    """The pure part: works on any events frame (a real class or a simulated one)."""
    events = events[events["user_id"].isin(list(students))]
    params = fit_skills(events) if not events.empty else {}
    table = mastery(events, params)
    found = profiles(events, table) if not events.empty else []
    return ClassAnalytics(
        classroom_id, students, events, params, table, {p.user_id: p for p in found}
    )


def class_analytics(
    actor: Actor,
    classroom_id: int,
    since: date | None = None,
    until: date | None = None,
    engine: Engine | None = None,
) -> ClassAnalytics:
    """Raises PermissionDenied unless the actor teaches this class."""
    students = {s.user_id: s.display_name for s in roster(actor, classroom_id, engine=engine)}
    events = pd.DataFrame(columns=list(EVENT_COLUMNS))
    if students:
        events = load_events(actor, list(students), classroom_id=classroom_id, engine=engine)
    return analyse_events(_window(events, since, until), students, classroom_id)


def recommendations(table: pd.DataFrame, user_id: int, k: int = 3) -> list[Recommendation]:
    """The exercises that target the learner's weakest skills."""
    by_area = {lab.area: lab for lab in LABS}
    out = []
    for skill in weakest(table, user_id, k):
        row = table[(table["user_id"] == user_id) & (table["skill"] == skill)].iloc[0]
        lab = by_area.get(area_of(skill))
        page = lab.page if lab is not None and lab.available else ONBOARDING_PAGE
        title = lab.title_key if lab is not None else "nav.onboarding"
        out.append(
            Recommendation(skill, page, title, float(row["p_mastery"]), row["top_error_type"])
        )
    return out


def student_report(
    actor: Actor,
    analytics: ClassAnalytics,
    student_id: int,
    audit: bool = True,
    engine: Engine | None = None,
) -> StudentReport:
    """One student's drill-down; the look itself is written to the audit log first (a page
    that re-renders the same open report may pass audit=False; the access check still runs)."""
    with write_session(engine) as s:
        require_student_of(s, actor, student_id)
        if audit:
            write_audit(s, actor, "view_student", student_id, classroom_id=analytics.classroom_id)
    mine = analytics.events[analytics.events["user_id"] == student_id]
    timeline = trace(mine, analytics.params) if not mine.empty else mine
    return StudentReport(
        user_id=student_id,
        name=analytics.students.get(student_id, str(student_id)),
        mastery=analytics.mastery[analytics.mastery["user_id"] == student_id],
        timeline=timeline,
        profile=analytics.profiles.get(student_id),
        recommendations=recommendations(analytics.mastery, student_id),
    )
