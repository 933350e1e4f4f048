"""Teacher: a class at a glance from telemetry (answers, accuracy, decision time, hints)."""

from __future__ import annotations

import streamlit as st

from core.accounts.classrooms import list_classrooms, roster
from core.progress import class_overview, progress_overview
from core.telemetry import load_events
from pages.components.progress_view import as_percent, result_columns, skills_table
from pages.components.session import require_teacher, tr

actor = require_teacher()

st.title(tr("dashboard.title"))
classes = list_classrooms(actor)
if not classes:
    st.info(tr("teacher.no_classes"), icon=":material/groups:")
    st.page_link(
        "pages/teacher_classes.py", label=tr("nav.teacher_classes"), icon=":material/groups:"
    )
    st.stop()

room = st.selectbox(
    tr("dashboard.pick_class"), classes, format_func=lambda c: c.name, key="dashboard_class"
)
students = {s.user_id: s.display_name for s in roster(actor, room.id)}
if not students:
    st.info(tr("dashboard.no_students", code=room.join_code), icon=":material/person_add:")
    st.stop()

events = load_events(actor, list(students), classroom_id=room.id)
table = class_overview(events, students)
st.subheader(tr("dashboard.students"))
st.dataframe(
    table.drop(columns=["user_id"]).assign(accuracy=lambda d: as_percent(d["accuracy"])),
    hide_index=True,
    width="stretch",
    column_config={
        "student": tr("teacher.col_name"),
        **result_columns(),
        "skills": tr("progress.skills"),
        "last_active": st.column_config.DatetimeColumn(
            tr("dashboard.last_active"), format="YYYY-MM-DD HH:mm"
        ),
    },
)
if events.empty:
    st.caption(tr("dashboard.no_events"))
else:
    st.subheader(tr("dashboard.by_skill"))
    skills_table(progress_overview(events))
