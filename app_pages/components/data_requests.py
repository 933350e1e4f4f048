"""The learner's privacy controls (the complete download, asking for deletion) and the
teacher's list of deletion requests. All logic lives in core.accounts.data_requests and
core.telemetry.export; this only lays out widgets."""

from __future__ import annotations

import streamlit as st

from app_pages.components.session import show_error, tr, when
from app_pages.components.user_text import user_text
from core.accounts import AccountError, Actor
from core.accounts.data_requests import (
    my_latest_request,
    pending_requests,
    request_deletion,
    resolve_request,
)
from core.telemetry.export import full_export

FLASH = "teacher_flash"  # shown at the top of Classes and students


def my_data_controls(actor: Actor) -> None:
    """Under "Your data" in My progress: the full ZIP, then the deletion request."""
    st.download_button(
        tr("privacy.zip_button"),
        # Built only when clicked: it reads every file and opens the learner's chain.
        data=lambda: full_export(actor, actor.user_id).to_zip(),
        file_name=f"zerde-{actor.username}.zip",
        mime="application/zip",
        help=tr("privacy.zip_help"),
        icon=":material/folder_zip:",
        on_click="ignore",
        key="privacy_zip",
    )
    if not actor.is_student:
        return  # a teacher's account is not deleted by request to a colleague
    st.subheader(tr("privacy.delete_title"))
    if flash := st.session_state.pop("privacy_flash", None):
        st.success(flash, icon=":material/check_circle:")
    latest = my_latest_request(actor)
    if latest is not None and latest.pending:
        st.info(tr("privacy.pending", when=when(latest.requested_at)), icon=":material/schedule:")
        return
    if latest is not None and latest.resolved_at is not None:
        outcome = "privacy.approved" if latest.outcome == "approved" else "privacy.rejected"
        st.caption(tr(outcome, when=when(latest.requested_at)))
    st.markdown(tr("privacy.delete_body"))
    sure = st.checkbox(tr("privacy.delete_understand"), key="privacy_sure")
    if st.button(
        tr("privacy.request_button"),
        key="privacy_request",
        disabled=not sure,
        icon=":material/delete_forever:",
    ):
        try:
            request_deletion(actor)
        except AccountError as error:
            show_error(error)
            return
        st.session_state.pop("privacy_sure", None)
        st.session_state["privacy_flash"] = tr("privacy.requested")
        st.rerun()


def _resolve(actor: Actor, request_id: int, approve: bool, delete_account: bool) -> None:
    try:
        n = resolve_request(actor, request_id, approve, delete_account=delete_account)
    except AccountError as error:
        st.session_state[f"deletion_{request_id}_error"] = error
        return
    flash = tr("privacy.approved_flash", n=n) if approve else tr("privacy.rejected_flash")
    st.session_state[FLASH] = flash


def deletion_requests_panel(actor: Actor) -> None:
    """In Classes and students: pending requests, each approved (same deletion as the
    teacher's Delete button) or declined. Nothing shows when there are none."""
    pending = pending_requests(actor)
    if not pending:
        return
    title = tr("privacy.teacher_title", n=len(pending))
    with st.expander(title, expanded=True, icon=":material/delete_forever:"):
        for request in pending:
            key = f"deletion_{request.id}"
            st.markdown(
                tr(
                    "privacy.teacher_item",
                    name=user_text(request.display_name),
                    username=user_text(request.username),
                    room=user_text(request.classroom_name),
                    when=when(request.requested_at),
                )
            )
            if error := st.session_state.pop(f"{key}_error", None):
                show_error(error)
            account = st.checkbox(tr("teacher.delete_account_too"), key=f"{key}_account")
            checked = st.checkbox(tr("privacy.approve_confirm"), key=f"{key}_checked")
            approve_col, reject_col = st.columns(2)
            approve_col.button(
                tr("privacy.approve"),
                key=f"{key}_approve",
                type="primary",
                disabled=not checked,
                icon=":material/delete:",
                on_click=_resolve,
                args=(actor, request.id, True, account),
            )
            reject_col.button(
                tr("privacy.reject"),
                key=f"{key}_reject",
                icon=":material/close:",
                on_click=_resolve,
                args=(actor, request.id, False, False),
            )
