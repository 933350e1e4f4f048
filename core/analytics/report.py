"""What the dashboard shows, computed once per class and period, with access checked in core:
only the teacher's own classes, and every look at one student's data audit-logged.

A class's analytics depend only on its roster and its events, so they are computed once per
*version* of the class (who is in it, the last event id and the number of events: a new answer,
a deleted student's data or a renamed student all give a new version) and kept by the caller
(the page keeps them in the teacher's session; see ``cached_class_analytics``). Everything the
tabs show is derived from one learner-model fit per class (core.analytics.learner): the mastery
table, the quest's table, the students' overview and the student drill-downs reuse ``model``,
and the derived tables are computed on first use and then kept with the analytics.

The student's own *My progress* uses the same fit (``student_mastery``: the model of the
student's class over the class's events, as the dashboard fits it with no period chosen), so
both show one number per student and skill."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property

import numpy as np
import pandas as pd
from sqlalchemy import Engine, func, select

from core.accounts.actor import Actor
from core.accounts.audit import write_audit
from core.accounts.classrooms import require_student_of, roster
from core.analytics.learner import LearnerModel
from core.analytics.mastery import DEFAULT_MODEL, fit_model, mastery, weakest
from core.analytics.profiles import Profile, profiles
from core.blockchain.results import quest_mastery
from core.db.models import Enrolment, User
from core.db.models import Event as EventRow
from core.db.session import read_session, write_session
from core.labs import LABS, area_of
from core.telemetry.schema import EVENT_COLUMNS

ONBOARDING_PAGE = "app_pages/onboarding.py"
# A student with a skill in the "weak" state (core.analytics.mastery: under STRUGGLING_BELOW with
# enough evidence) is counted as needing help; "not enough evidence yet" does not count.
NEEDS_HELP_STATE = "weak"
TOP_MISTAKES = 5  # per topic
CACHED_VERSIONS = 4  # class analytics one session keeps (a teacher switching between classes)


@dataclass(frozen=True)
class Recommendation:
    skill: str
    page: str
    lab_title_key: str
    p_mastery: float
    top_error_type: str | None
    uncertain: bool = False  # not enough evidence yet: views say so instead of the number


@dataclass(frozen=True)
class ClassVersion:
    """What a class's analytics depend on; any change to the roster or the events changes it."""

    classroom_id: int
    students: tuple[tuple[int, str], ...]  # (user id, display name) in the roster's order
    last_event_id: int
    n_events: int


@dataclass(frozen=True)
class ClassAnalytics:
    classroom_id: int
    students: dict[int, str]
    events: pd.DataFrame
    model: LearnerModel
    mastery: pd.DataFrame
    profiles: dict[int, Profile]

    def heatmap(self) -> pd.DataFrame:
        """Students × skills, p_mastery (NaN where a student never practised the skill)."""
        table = self.mastery.pivot(index="user_id", columns="skill", values="p_mastery")
        table.index = [self.students.get(int(i), str(i)) for i in table.index]
        return table

    def heatmap_states(self) -> pd.DataFrame:
        """Students × skills, the mastery state ("uncertain" = not enough evidence yet)."""
        table = self.mastery.pivot(index="user_id", columns="skill", values="state")
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

    @cached_property
    def needs_help(self) -> int:
        """Students with at least one skill in the NEEDS_HELP_STATE."""
        weak = self.mastery[self.mastery["state"] == NEEDS_HELP_STATE]
        return int(weak["user_id"].nunique())

    @cached_property
    def quest(self) -> pd.DataFrame:
        """The blockchain quest's mastery table, traced with the class's own fit."""
        return quest_mastery(self.events, self.model, traced=self.mastery)

    @cached_property
    def overview(self) -> pd.DataFrame:
        """One row per student, weakest on average first (students without answers first):
        profile code (None without answers), mean mastery (NaN without answers) and the two
        weakest skills."""
        table = self.mastery
        means = table.groupby("user_id")["p_mastery"].mean() if len(table) else pd.Series()
        rows = [
            {
                "user_id": user_id,
                "student": name,
                "profile": p.profile if (p := self.profiles.get(user_id)) else None,
                "mean_mastery": float(means[user_id]) if user_id in means.index else np.nan,
                "weakest": weakest(table, user_id, 2),
            }
            for user_id, name in self.students.items()
        ]
        frame = pd.DataFrame(
            rows, columns=["user_id", "student", "profile", "mean_mastery", "weakest"]
        )
        frame["profile"] = frame["profile"].astype(object)
        return frame.sort_values("mean_mastery", na_position="first", kind="stable")

    @cached_property
    def mistakes(self) -> pd.DataFrame:
        """Per topic, every mistake with how often it was made (`n`), by how many students
        (`students`, of `practised` who answered the topic; `share_students`), its share of the
        topic's mistakes and its `rank` in the topic (most students first). Topics come in
        order of their number of mistakes, most first."""
        columns = ["skill", "error_type", "n", "students", "practised", "share_students",
                   "share_of_errors", "rank"]  # fmt: skip
        wrong = self.events.dropna(subset=["error_type"])
        if wrong.empty:
            return pd.DataFrame(columns=columns)
        graded = self.events[self.events["correct"].notna()]
        practised = graded.groupby("skill")["user_id"].nunique()
        table = (
            wrong.groupby(["skill", "error_type"])
            .agg(n=("user_id", "size"), students=("user_id", "nunique"))
            .reset_index()
        )
        table["skill"] = table["skill"].astype(str)
        table["error_type"] = table["error_type"].astype(str)
        table["practised"] = table["skill"].map(practised).fillna(table["students"])
        table["practised"] = np.maximum(table["practised"], table["students"]).astype(int)
        table["share_students"] = table["students"] / table["practised"]
        totals = table.groupby("skill")["n"].transform("sum")
        table["share_of_errors"] = table["n"] / totals
        table["topic_total"] = totals
        table = table.sort_values(
            ["topic_total", "skill", "students", "n", "error_type"],
            ascending=[False, True, False, False, True],
        )
        table["rank"] = table.groupby("skill", sort=False).cumcount() + 1
        return table[columns].reset_index(drop=True)

    def top_mistakes(self, k: int = TOP_MISTAKES) -> pd.DataFrame:
        """The k mistakes per topic that most students made (see `mistakes`)."""
        table = self.mistakes
        return table[table["rank"] <= k].reset_index(drop=True)

    @cached_property
    def decision_times(self) -> pd.DataFrame:
        """Box-plot figures of decision time in seconds per skill and result (right/wrong):
        quartiles and whiskers (the furthest answers within 1.5 IQR), so the chart does not
        carry every answer."""
        columns = ["skill", "correct", "n", "lower", "q1", "median", "q3", "upper"]
        graded = self.events[self.events["correct"].notna()]
        if graded.empty:
            return pd.DataFrame(columns=columns)
        frame = pd.DataFrame(
            {
                "skill": graded["skill"].astype(str).to_numpy(),
                "correct": graded["correct"].astype(bool).to_numpy(),
                "seconds": graded["decision_ms"].to_numpy(dtype=float) / 1000,
            }
        )
        keys = ["skill", "correct"]
        groups = frame.groupby(keys)["seconds"]
        stats = pd.DataFrame(
            {
                "n": groups.size(),
                "q1": groups.quantile(0.25),
                "median": groups.median(),
                "q3": groups.quantile(0.75),
            }
        )
        frame = frame.merge(stats[["q1", "q3"]], left_on=keys, right_index=True)
        spread = 1.5 * (frame["q3"] - frame["q1"])
        inside = frame[frame["seconds"].between(frame["q1"] - spread, frame["q3"] + spread)]
        whiskers = inside.groupby(keys)["seconds"].agg(lower="min", upper="max")
        stats = stats.join(whiskers)
        return stats.reset_index()[columns]


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
    model = fit_model(events) if not events.empty else DEFAULT_MODEL
    table = mastery(events, model)
    found = profiles(events, table) if not events.empty else []
    return ClassAnalytics(
        classroom_id, students, events, model, table, {p.user_id: p for p in found}
    )


def class_version(actor: Actor, classroom_id: int, engine: Engine | None = None) -> ClassVersion:
    """Raises PermissionDenied unless the actor teaches this class. Two small queries."""
    students = tuple(
        (s.user_id, s.display_name) for s in roster(actor, classroom_id, engine=engine)
    )
    last, count = 0, 0
    if students:
        with read_session(engine) as s:
            last, count = s.execute(
                select(func.max(EventRow.id), func.count()).where(
                    EventRow.classroom_id == classroom_id,
                    EventRow.user_id.in_([user_id for user_id, _ in students]),
                )
            ).one()
    return ClassVersion(classroom_id, students, int(last or 0), int(count))


def _class_events(version: ClassVersion, engine: Engine | None) -> pd.DataFrame:
    """The class's events as core.telemetry.load_events gives them but without the payloads
    (no analysis reads them; decoding the JSON was a tenth of the load), read as plain rows
    (building an ORM object per event took about 1 s for a month of a class of 30). Only called
    with a version from class_version, which has checked the actor."""
    columns = [c for c in EVENT_COLUMNS if c != "payload"]
    if not version.students:
        return pd.DataFrame(columns=columns)
    table = EventRow.__table__
    query = (
        select(*(table.c[c] for c in columns))
        .where(
            table.c.classroom_id == version.classroom_id,
            table.c.user_id.in_([user_id for user_id, _ in version.students]),
            table.c.id <= version.last_event_id,
        )
        .order_by(table.c.id)
    )
    with read_session(engine) as s:
        rows = s.execute(query).all()
    frame = pd.DataFrame.from_records(rows, columns=columns)
    for col in ("shown_at", "answered_at"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    return frame


def _analyse_version(
    version: ClassVersion, since: date | None, until: date | None, engine: Engine | None
) -> ClassAnalytics:
    events = _window(_class_events(version, engine), since, until)
    return analyse_events(events, dict(version.students), version.classroom_id)


def class_analytics(
    actor: Actor,
    classroom_id: int,
    since: date | None = None,
    until: date | None = None,
    engine: Engine | None = None,
) -> ClassAnalytics:
    """Raises PermissionDenied unless the actor teaches this class."""
    return _analyse_version(class_version(actor, classroom_id, engine), since, until, engine)


def cached_class_analytics(
    actor: Actor,
    classroom_id: int,
    store: MutableMapping[object, ClassAnalytics],
    since: date | None = None,
    until: date | None = None,
    engine: Engine | None = None,
) -> ClassAnalytics:
    """class_analytics, reused from `store` (the caller's: the page passes one kept in the
    teacher's session) while the class's version and the period are the same. The access check
    and the version query run every time; new events, deleted data or roster changes make a
    new entry. The store keeps the last CACHED_VERSIONS entries; entries must not be mutated."""
    version = class_version(actor, classroom_id, engine)
    key = (version, since, until)
    found = store.pop(key, None)  # popped and put back: the newest entry goes last
    if found is None:
        found = _analyse_version(version, since, until, engine)
    store[key] = found
    for old in list(store)[:-CACHED_VERSIONS]:
        del store[old]
    return found


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
            Recommendation(
                skill,
                page,
                title,
                float(row["p_mastery"]),
                row["top_error_type"],
                uncertain=row["state"] == "uncertain",
            )
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
    timeline = analytics.model.timeline(mine) if not mine.empty else mine
    return StudentReport(
        user_id=student_id,
        name=analytics.students.get(student_id, str(student_id)),
        mastery=analytics.mastery[analytics.mastery["user_id"] == student_id],
        timeline=timeline,
        profile=analytics.profiles.get(student_id),
        recommendations=recommendations(analytics.mastery, student_id),
    )


# The class models students' own pages use, per class version (process-wide: every student of
# a class shares one fit; a new answer makes a new version and a new fit).
_MODELS: OrderedDict[ClassVersion, LearnerModel] = OrderedDict()
_MODELS_LOCK = threading.Lock()
CACHED_MODELS = 32


def _student_class_version(user_id: int, engine: Engine | None) -> ClassVersion | None:
    """The version of the class the student is enrolled in (None outside any class), built as
    class_version builds it for the teacher. Internal: only the student's own rows leave
    student_mastery, never the class's."""
    with read_session(engine) as s:
        classroom_id = s.scalar(select(Enrolment.classroom_id).where(Enrolment.user_id == user_id))
        if classroom_id is None:
            return None
        students = tuple(
            (int(uid), str(name))
            for uid, name in s.execute(
                select(User.id, User.display_name)
                .join(Enrolment, Enrolment.user_id == User.id)
                .where(Enrolment.classroom_id == classroom_id)
                .order_by(User.display_name)
            ).all()
        )
        last, count = s.execute(
            select(func.max(EventRow.id), func.count()).where(
                EventRow.classroom_id == classroom_id,
                EventRow.user_id.in_([uid for uid, _ in students]),
            )
        ).one()
    return ClassVersion(int(classroom_id), students, int(last or 0), int(count))


def class_model(version: ClassVersion, engine: Engine | None = None) -> LearnerModel:
    """The learner model fitted on the class's events (all of them, no period), cached per
    version: the same fit the teacher's dashboard makes with no period chosen."""
    with _MODELS_LOCK:
        found = _MODELS.get(version)
    if found is not None:
        return found
    events = _class_events(version, engine)
    model = fit_model(events) if not events.empty else DEFAULT_MODEL
    with _MODELS_LOCK:
        _MODELS[version] = model
        while len(_MODELS) > CACHED_MODELS:
            _MODELS.popitem(last=False)
    return model


def student_mastery(
    actor: Actor, events: pd.DataFrame, engine: Engine | None = None
) -> pd.DataFrame:
    """The signed-in learner's own mastery table (`events` are their own, from
    export_user_data), scored with their class's model so that it shows what their teacher's
    dashboard shows. Outside any class, the model is fitted on the learner's own events (in
    practice the population default: one learner's answers are too few to fit)."""
    mine = events[events["user_id"] == actor.user_id] if len(events) else events
    version = _student_class_version(actor.user_id, engine)
    model = class_model(version, engine) if version is not None else None
    return mastery(mine, model)
