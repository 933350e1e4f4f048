"""Teacher: classes and join codes, rosters, student accounts, colleagues, audit trail."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.components.audit_view import audit_log
from app_pages.components.session import lang, require_teacher, show_error, tr
from app_pages.components.student_actions import student_actions
from core.accounts import AccountError
from core.accounts.audit import audit_entries
from core.accounts.classrooms import create_classroom, list_classrooms, roster
from core.accounts.service import create_teacher

actor = require_teacher()

st.title(tr("teacher.classes_title"))
if flash := st.session_state.pop("teacher_flash", None):
    st.success(flash)

with st.form("new_class", clear_on_submit=True):
    name = st.text_input(tr("teacher.class_name"), placeholder=tr("teacher.class_name_example"))
    if st.form_submit_button(tr("teacher.create_class"), type="primary", icon=":material/add:"):
        try:
            room = create_classroom(actor, name)
            st.session_state["teacher_flash"] = tr("teacher.class_created", name=room.name)
            st.rerun()
        except AccountError as error:
            show_error(error)

classes = list_classrooms(actor)
if not classes:
    st.info(tr("teacher.no_classes"), icon=":material/groups:")
for room in classes:
    title = tr("teacher.class_header", name=room.name, n=room.n_students)
    with st.expander(title, expanded=len(classes) == 1, icon=":material/groups:"):
        st.markdown(tr("teacher.join_code_label"))
        st.code(room.join_code, language=None)
        students = roster(actor, room.id)
        if not students:
            st.caption(tr("teacher.no_students"))
            continue
        st.dataframe(
            pd.DataFrame(
                {
                    tr("teacher.col_name"): [s.display_name for s in students],
                    tr("teacher.col_username"): [s.username for s in students],
                    tr("teacher.col_status"): [
                        tr("teacher.disabled") if s.is_disabled else tr("teacher.active")
                        for s in students
                    ],
                }
            ),
            hide_index=True,
            width="stretch",
        )
        chosen = st.selectbox(
            tr("teacher.pick_student"),
            options=students,
            format_func=lambda s: f"{s.display_name} ({s.username})",
            key=f"pick_{room.id}",
        )
        if chosen is not None:
            student_actions(actor, chosen)

with (
    st.expander(tr("teacher.add_colleague"), icon=":material/person_add:"),
    st.form("colleague", clear_on_submit=False),
):
    username = st.text_input(tr("login.username"), key="col_username")
    display = st.text_input(tr("login.display_name"), key="col_name")
    password = st.text_input(tr("login.password"), type="password", key="col_password")
    if st.form_submit_button(tr("teacher.add_colleague_button")):
        try:
            create_teacher(actor, username, display, password, lang())
            st.success(tr("teacher.colleague_added", username=username))
        except AccountError as error:
            show_error(error)

with st.expander(tr("teacher.audit_title"), icon=":material/history:"):
    audit_log(audit_entries(actor))
