"""Teacher actions on one student: disable/enable, export, delete data (confirmed, audited;
every per-learner file goes with their events: core.learner_files)."""

from __future__ import annotations

import streamlit as st

from app_pages.components.session import show_error, tr
from app_pages.components.user_text import user_text
from core.accounts import AccountError, Actor
from core.accounts.classrooms import StudentView, set_disabled
from core.telemetry import delete_student_data
from core.telemetry.export import full_export


def _set_disabled(actor: Actor, student_id: int, disabled: bool) -> None:
    try:
        set_disabled(actor, student_id, disabled)
    except AccountError as error:
        st.session_state[f"student_{student_id}_toggle_error"] = error


def student_actions(actor: Actor, student: StudentView) -> None:
    key = f"student_{student.user_id}"
    status, export_col, delete_col = st.columns(3)
    with status:
        if error := st.session_state.pop(f"{key}_toggle_error", None):
            show_error(error)
        # The click carries the state the button showed as its target and is applied in the
        # callback, before the rerun draws the page, so the label always shows the current state.
        # The key names the target: a second click of a stale "Disable" (double click, a click
        # racing the rerun) belongs to a button that no longer exists and is dropped, instead of
        # reaching the new "Enable" button and inverting the teacher's intent.
        target = not student.is_disabled
        st.button(
            tr("teacher.disable") if target else tr("teacher.enable"),
            key=f"{key}_toggle_{'disable' if target else 'enable'}",
            icon=":material/block:" if target else ":material/check_circle:",
            on_click=_set_disabled,
            args=(actor, student.user_id, target),
        )
    with export_col:
        st.download_button(
            tr("teacher.export"),
            # Built on click: everything kept about the student, files included (core).
            data=lambda: full_export(actor, student.user_id).to_zip(),
            file_name=f"zerde-{student.username}.zip",
            mime="application/zip",
            key=f"{key}_export",
            icon=":material/download:",
            on_click="ignore",
        )
    with delete_col, st.popover(tr("teacher.delete"), icon=":material/delete:"):
        st.warning(tr("teacher.delete_warning", name=user_text(student.display_name)))
        also_account = st.checkbox(tr("teacher.delete_account_too"), key=f"{key}_account")
        confirm = st.text_input(
            tr("teacher.delete_confirm", username=user_text(student.username)), key=f"{key}_confirm"
        )
        if st.button(tr("teacher.delete_now"), key=f"{key}_delete", type="primary"):
            if confirm.strip().lower() != student.username:
                st.error(tr("errors.confirm_mismatch"))
            else:
                try:
                    n = delete_student_data(actor, student.user_id, delete_account=also_account)
                    st.session_state["teacher_flash"] = tr("teacher.deleted", n=n)
                    st.rerun()
                except AccountError as error:
                    show_error(error)
