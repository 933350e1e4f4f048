"""Teacher dashboard: ML-scored telemetry of one class — who struggles with what, and why."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from app_pages.components.blockchain.results import class_quest_tab
from app_pages.components.class_views import class_tab
from app_pages.components.session import lang, pct, require_teacher, tr
from app_pages.components.student_view import student_tab
from app_pages.components.user_text import user_text
from core.accounts.classrooms import list_classrooms
from core.analytics.demo import load_demo_class
from core.analytics.report import ClassAnalytics, cached_class_analytics, student_report
from core.analytics.summary import skill_label, student_summary
from core.exports import safe_csv
from core.locale import date_input_format

actor = require_teacher()
VIEWED = "dashboard_viewed"
# The class's analytics, kept in the teacher's session per version of the class (a new answer
# makes a new version): reruns and coming back to the page reuse them.
CACHE = "dashboard_analytics"


def _load_demo() -> None:
    """A callback, so the new class can be selected before the class picker is drawn."""
    with st.spinner(tr("dashboard.demo_loading")):
        room = load_demo_class(actor, tr("dashboard.demo_name"))
    st.session_state["dashboard_class"] = room.id


def demo_loader() -> None:
    with st.expander(tr("dashboard.demo_title"), icon=":material/science:"):
        st.markdown(tr("dashboard.demo_body"))
        st.button(
            tr("dashboard.demo_button"),
            key="load_demo",
            icon=":material/group_add:",
            on_click=_load_demo,
        )


def students_table(analytics: ClassAnalytics) -> pd.DataFrame:
    table = analytics.overview.copy()
    table["profile"] = [tr(f"profiles.{p}") if p else "—" for p in table["profile"]]
    table["mean_mastery"] = 100 * table["mean_mastery"]
    table["weakest"] = [", ".join(skill_label(s, lang()) for s in w) for w in table["weakest"]]
    return table


def students_tab(analytics: ClassAnalytics) -> None:
    overview = students_table(analytics)
    st.dataframe(
        overview.drop(columns=["user_id"]),
        hide_index=True,
        width="stretch",
        column_config={
            "student": tr("teacher.col_name"),
            "profile": tr("dashboard.profile"),
            "mean_mastery": st.column_config.ProgressColumn(
                tr("dashboard.mean_mastery"), min_value=0, max_value=100, format="%.0f%%"
            ),
            "weakest": tr("dashboard.weakest"),
        },
    )
    names = dict(zip(overview["user_id"], overview["student"], strict=True))
    chosen = st.selectbox(
        tr("dashboard.pick_student"),
        list(names),
        format_func=names.__getitem__,
        index=None,
        placeholder=tr("dashboard.pick_student_placeholder"),
        key="dashboard_student",
    )
    if chosen is None:
        return
    viewed = st.session_state.setdefault(VIEWED, set())
    report = student_report(
        actor, analytics, int(chosen), audit=(analytics.classroom_id, chosen) not in viewed
    )
    viewed.add((analytics.classroom_id, chosen))
    shown = replace(report, name=user_text(report.name))  # the summary is Markdown
    student_tab(report, student_summary(shown, lang()))


def export_tab(analytics: ClassAnalytics) -> None:
    st.markdown(tr("dashboard.export_body"))
    table = analytics.mastery.copy()
    table.insert(1, "student", table["user_id"].map(analytics.students))
    st.download_button(
        tr("dashboard.export_button"),
        data=safe_csv(table),
        file_name=f"zerde-mastery-class-{analytics.classroom_id}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        key="export_csv",
    )


st.title(tr("dashboard.title"))
classes = list_classrooms(actor)
if not classes:
    st.info(tr("teacher.no_classes"), icon=":material/groups:")
    demo_loader()
    st.stop()

ids = [c.id for c in classes]
if st.session_state.get("dashboard_class") not in ids:
    st.session_state["dashboard_class"] = ids[-1]
names = {c.id: c.name for c in classes}
pick, since_col, until_col = st.columns([2, 1, 1])
room_id = pick.selectbox(
    tr("dashboard.pick_class"), ids, format_func=names.__getitem__, key="dashboard_class"
)
shown_as = date_input_format(lang())  # "ДД.ММ.ГГГГ" for kk/ru, not "yyyy / mm / dd"
since = since_col.date_input(
    tr("dashboard.since"), value=None, key="dashboard_since", format=shown_as
)
until = until_col.date_input(
    tr("dashboard.until"), value=None, key="dashboard_until", format=shown_as
)
demo_loader()

store = st.session_state.setdefault(CACHE, {})
analytics = cached_class_analytics(actor, room_id, store, since=since, until=until)
if not analytics.students:
    code = next(c.join_code for c in classes if c.id == room_id)
    st.info(tr("dashboard.no_students", code=code), icon=":material/person_add:")
    st.stop()
if analytics.events.empty:
    st.info(tr("dashboard.no_events"), icon=":material/hourglass_empty:")
    st.stop()

cols = st.columns(4)
cols[0].metric(tr("dashboard.students"), len(analytics.students))
cols[1].metric(tr("progress.answered"), len(analytics.events))
cols[2].metric(tr("dashboard.mean_mastery"), pct(analytics.mastery["p_mastery"].mean()))
cols[3].metric(tr("dashboard.needs_help"), analytics.needs_help)

class_view, student_view, quest_view, export_view = st.tabs(
    [
        tr("dashboard.tab_class"),
        tr("dashboard.tab_students"),
        tr("dashboard.tab_quest"),
        tr("dashboard.tab_export"),
    ]
)
with class_view:
    class_tab(analytics)
with student_view:
    students_tab(analytics)
with export_view:  # filled before the quest's tab: the class's CSV does not depend on it
    export_tab(analytics)
with quest_view:
    class_quest_tab(analytics.quest, analytics.students)
