"""Password forms: change one's own password (My progress), and a teacher's unlock and reset for a
student (Classes and students). Each is one call from its page; core checks and audits."""

from __future__ import annotations

import streamlit as st

from app_pages.components.session import TOKEN, show_error, tr, when
from app_pages.components.user_text import user_text
from core.accounts import AccountError, Actor
from core.accounts.classrooms import StudentView
from core.accounts.service import (
    change_password,
    lock_status,
    reset_student_password,
    unlock_student,
)


def change_password_form(actor: Actor) -> None:
    """Old password, new one twice; other sessions (another laptop, a forgotten tab) end."""
    if flash := st.session_state.pop("password_changed", None):
        st.success(flash, icon=":material/check_circle:")
    with (
        st.expander(tr("passwords.change_title"), icon=":material/password:"),
        st.form("change_password", clear_on_submit=True),
    ):
        st.caption(tr("passwords.rules"))
        old = st.text_input(tr("passwords.old"), type="password", key="cp_old")
        new = st.text_input(tr("passwords.new"), type="password", key="cp_new")
        again = st.text_input(tr("login.password_again"), type="password", key="cp_new2")
        if st.form_submit_button(tr("passwords.change_button"), type="primary"):
            if new != again:
                st.error(tr("errors.passwords_differ"), icon=":material/error:")
                return
            try:
                change_password(actor, str(st.session_state.get(TOKEN, "")), old, new)
            except AccountError as error:
                show_error(error)
                return
            st.session_state["password_changed"] = tr("passwords.changed")
            st.rerun()


def student_password_actions(actor: Actor, student: StudentView) -> None:
    """Unlock (when failed sign-ins locked the student out) and set a new password."""
    key = f"pw_{student.user_id}"
    if flash := st.session_state.pop(f"{key}_flash", None):
        st.success(flash, icon=":material/check_circle:")
    locked, reset_col = st.columns(2)
    with locked:
        until = lock_status(actor, student.user_id)
        if until is None:
            st.caption(tr("passwords.not_locked"))
        else:
            st.warning(tr("passwords.locked_until", when=when(until)), icon=":material/lock:")
            if st.button(tr("passwords.unlock"), key=f"{key}_unlock", icon=":material/lock_open:"):
                try:
                    unlock_student(actor, student.user_id)
                    st.session_state[f"{key}_flash"] = tr("passwords.unlocked")
                    st.rerun()
                except AccountError as error:
                    show_error(error)
    with reset_col, st.popover(tr("passwords.reset"), icon=":material/key:"):
        st.caption(tr("passwords.reset_help", name=user_text(student.display_name)))
        new = st.text_input(tr("passwords.new"), type="password", key=f"{key}_new")
        again = st.text_input(tr("login.password_again"), type="password", key=f"{key}_new2")
        if st.button(tr("passwords.reset_button"), key=f"{key}_reset", type="primary"):
            if new != again:
                st.error(tr("errors.passwords_differ"), icon=":material/error:")
                return
            try:
                reset_student_password(actor, student.user_id, new)
            except AccountError as error:
                show_error(error)
                return
            st.session_state[f"{key}_flash"] = tr(
                "passwords.reset_done", name=user_text(student.display_name)
            )
            st.rerun()
