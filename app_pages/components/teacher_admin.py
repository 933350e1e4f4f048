"""The administrator's corner of Classes and students: add a teacher, disable or enable one, and
read the sign-in trail (failures, locks, throttled devices). Other teachers see one line saying
who does this; core refuses them anyway."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.components.session import lang, show_error, tr, when
from app_pages.components.user_text import user_text
from core.accounts import AccountError, Actor
from core.accounts.admin import (
    TeacherView,
    is_admin,
    list_teachers,
    set_teacher_disabled,
    sign_in_entries,
)
from core.accounts.audit import AuditEntry
from core.accounts.service import create_teacher


def _add_teacher(actor: Actor) -> None:
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
                st.success(tr("teacher.colleague_added", username=user_text(username)))
            except AccountError as error:
                show_error(error)


def _status(t: TeacherView) -> str:
    state = tr("teacher.disabled") if t.is_disabled else tr("teacher.active")
    return f"{state} · {tr('teacher_admin.admin')}" if t.is_admin else state


def _set_disabled(actor: Actor, teacher_id: int, disabled: bool) -> None:
    try:
        set_teacher_disabled(actor, teacher_id, disabled)
    except AccountError as error:
        st.session_state["teacher_admin_error"] = error


def _teachers(actor: Actor) -> None:
    teachers = list_teachers(actor)
    with st.expander(tr("teacher_admin.teachers_title"), icon=":material/badge:"):
        st.dataframe(
            pd.DataFrame(
                {
                    tr("teacher.col_name"): [t.display_name for t in teachers],
                    tr("teacher.col_username"): [t.username for t in teachers],
                    tr("teacher.col_status"): [_status(t) for t in teachers],
                }
            ),
            hide_index=True,
            width="stretch",
        )
        if error := st.session_state.pop("teacher_admin_error", None):
            show_error(error)
        others = {t.user_id: t for t in teachers if t.user_id != actor.user_id}
        if not others:
            st.caption(tr("teacher_admin.no_others"))
            return
        chosen = st.selectbox(
            tr("teacher_admin.pick"),
            options=list(others),
            format_func=lambda i: f"{others[i].display_name} ({others[i].username})",
            key="admin_pick_teacher",
        )
        if chosen in others:
            target = not others[chosen].is_disabled
            st.button(
                tr("teacher.disable") if target else tr("teacher.enable"),
                key=f"admin_teacher_{chosen}_{'disable' if target else 'enable'}",
                icon=":material/block:" if target else ":material/check_circle:",
                on_click=_set_disabled,
                args=(actor, chosen, target),
            )


def _detail(entry: AuditEntry) -> str:
    parts = []
    if name := entry.details.get("username"):
        parts.append(tr("teacher_admin.typed", username=name))
    if client := entry.details.get("client"):
        parts.append(tr("teacher_admin.client", client=client))
    if reason := entry.details.get("reason"):
        parts.append(tr(f"teacher_admin.reason.{reason}"))
    return " · ".join(parts)


def _sign_ins(actor: Actor) -> None:
    with st.expander(tr("teacher_admin.sign_ins_title"), icon=":material/shield_person:"):
        entries = sign_in_entries(actor)
        if not entries:
            st.caption(tr("teacher.audit_empty"))
            return
        st.dataframe(
            pd.DataFrame(
                {
                    tr("teacher.col_when"): [when(e.at) for e in entries],
                    tr("teacher.col_action"): [tr(f"audit.{e.action}") for e in entries],
                    tr("teacher_admin.col_account"): [e.target_name or "" for e in entries],
                    tr("teacher.col_details"): [_detail(e) for e in entries],
                }
            ),
            hide_index=True,
            width="stretch",
        )


def teacher_admin(actor: Actor) -> None:
    if not is_admin(actor):
        st.caption(tr("teacher_admin.ask_admin"))
        return
    _add_teacher(actor)
    _teachers(actor)
    _sign_ins(actor)
