"""Teacher actions on one student: disable/enable, export, delete data (confirmed, audited;
the student's blockchain-quest chain goes with their events)."""

from __future__ import annotations

import streamlit as st

from app_pages.components.session import show_error, tr
from core.accounts import AccountError, Actor
from core.accounts.classrooms import StudentView, set_disabled
from core.blockchain.chain import LearnerChain, learner_dir
from core.telemetry import delete_student_data, export_user_data


def student_actions(actor: Actor, student: StudentView) -> None:
    key = f"student_{student.user_id}"
    status, export_col, delete_col = st.columns(3)
    with status:
        label = tr("teacher.enable") if student.is_disabled else tr("teacher.disable")
        if st.button(label, key=f"{key}_toggle", icon=":material/block:"):
            try:
                set_disabled(actor, student.user_id, not student.is_disabled)
                st.rerun()
            except AccountError as error:
                show_error(error)
    with export_col:
        export = export_user_data(actor, student.user_id)
        st.download_button(
            tr("teacher.export"),
            data=export.to_json(),
            file_name=f"zerde-{student.username}.json",
            mime="application/json",
            key=f"{key}_export",
            icon=":material/download:",
            on_click="ignore",
        )
    with delete_col, st.popover(tr("teacher.delete"), icon=":material/delete:"):
        st.warning(tr("teacher.delete_warning", name=student.display_name))
        also_account = st.checkbox(tr("teacher.delete_account_too"), key=f"{key}_account")
        confirm = st.text_input(
            tr("teacher.delete_confirm", username=student.username), key=f"{key}_confirm"
        )
        if st.button(tr("teacher.delete_now"), key=f"{key}_delete", type="primary"):
            if confirm.strip().lower() != student.username:
                st.error(tr("errors.confirm_mismatch"))
            else:
                try:
                    n = delete_student_data(actor, student.user_id, delete_account=also_account)
                    LearnerChain.forget(learner_dir(student.user_id))  # their quest chain too
                    st.session_state["teacher_flash"] = tr("teacher.deleted", n=n)
                    st.rerun()
                except AccountError as error:
                    show_error(error)
