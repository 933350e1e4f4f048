"""Teacher: classes and join codes, rosters, student accounts, colleagues, audit trail."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.components.audit_view import audit_log
from app_pages.components.class_admin import class_admin
from app_pages.components.data_requests import deletion_requests_panel
from app_pages.components.password_forms import student_password_actions
from app_pages.components.session import require_teacher, show_error, tr
from app_pages.components.student_actions import student_actions
from app_pages.components.teacher_admin import teacher_admin
from app_pages.components.user_text import user_text
from core.accounts import AccountError
from core.accounts.audit import audit_entries
from core.accounts.classrooms import create_classroom, list_classrooms, roster

actor = require_teacher()

st.title(tr("teacher.classes_title"))
if flash := st.session_state.pop("teacher_flash", None):
    st.success(flash)
deletion_requests_panel(actor)  # students asking for their data to be deleted

with st.form("new_class", clear_on_submit=True):
    name = st.text_input(tr("teacher.class_name"), placeholder=tr("teacher.class_name_example"))
    if st.form_submit_button(tr("teacher.create_class"), type="primary", icon=":material/add:"):
        try:
            room = create_classroom(actor, name)
            shown = user_text(room.name)
            st.session_state["teacher_flash"] = tr("teacher.class_created", name=shown)
            st.rerun()
        except AccountError as error:
            show_error(error)

classes = list_classrooms(actor)
if not classes:
    st.info(tr("teacher.no_classes"), icon=":material/groups:")
for room in classes:
    title = tr("teacher.class_header", name=user_text(room.name), n=room.n_students)
    with st.expander(title, expanded=len(classes) == 1, icon=":material/groups:"):
        st.markdown(tr("teacher.join_code_label"))
        st.code(room.join_code, language=None)
        class_admin(actor, room)
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
        # Pick by id and look the student up in this run's roster: a selectbox keeps the object
        # it returned last time, whose is_disabled would be stale after a toggle.
        by_id = {s.user_id: s for s in students}
        chosen = st.selectbox(
            tr("teacher.pick_student"),
            options=list(by_id),
            format_func=lambda i, s=by_id: f"{s[i].display_name} ({s[i].username})",
            key=f"pick_{room.id}",
        )
        if chosen is not None and chosen in by_id:
            student_actions(actor, by_id[chosen])
            student_password_actions(actor, by_id[chosen])

teacher_admin(actor)  # the administrator's: add and disable teachers, the sign-in trail

with st.expander(tr("teacher.audit_title"), icon=":material/history:"):
    audit_log(audit_entries(actor))
