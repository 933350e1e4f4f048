"""One class's settings for its teacher: rename, a new join code (the old one stops working),
delete (only an empty class, confirmed by typing its name). Core checks ownership and audits."""

from __future__ import annotations

import streamlit as st

from app_pages.components.session import show_error, tr
from app_pages.components.user_text import user_text
from core.accounts import AccountError, Actor
from core.accounts.classrooms import (
    ClassroomView,
    delete_classroom,
    rename_classroom,
    rotate_join_code,
)

FLASH = "teacher_flash"  # shown at the top of Classes and students


def class_admin(actor: Actor, room: ClassroomView) -> None:
    key = f"class_{room.id}"
    with st.popover(tr("class_admin.settings"), icon=":material/settings:"):
        with st.form(f"{key}_rename"):
            name = st.text_input(tr("class_admin.new_name"), value=room.name, key=f"{key}_name")
            if st.form_submit_button(tr("class_admin.rename")):
                try:
                    renamed = rename_classroom(actor, room.id, name)
                    st.session_state[FLASH] = tr(
                        "class_admin.renamed", name=user_text(renamed.name)
                    )
                    st.rerun()
                except AccountError as error:
                    show_error(error)
        st.divider()
        st.caption(tr("class_admin.rotate_help"))
        if st.button(tr("class_admin.rotate"), key=f"{key}_rotate", icon=":material/autorenew:"):
            try:
                code = rotate_join_code(actor, room.id)
                st.session_state[FLASH] = tr("class_admin.rotated", code=code)
                st.rerun()
            except AccountError as error:
                show_error(error)
        st.divider()
        if room.n_students:
            st.caption(tr("class_admin.delete_not_empty"))
            return
        confirm = st.text_input(
            tr("class_admin.delete_confirm", name=user_text(room.name)), key=f"{key}_confirm"
        )
        if st.button(tr("class_admin.delete"), key=f"{key}_delete", icon=":material/delete:"):
            if confirm.strip() != room.name:
                st.error(tr("class_admin.confirm_mismatch"), icon=":material/error:")
                return
            try:
                delete_classroom(actor, room.id)
                st.session_state[FLASH] = tr("class_admin.deleted", name=user_text(room.name))
                st.rerun()
            except AccountError as error:
                show_error(error)
