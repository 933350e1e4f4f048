"""The teacher's audit trail as a table a person can read: the moment on the teacher's clock,
the act in words, the student by name and what the act touched ("class “7B” · 1 204 answers
deleted") instead of raw ids, dicts and "None". Table cells are plain text: no escaping."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.components.session import num, tr, when
from core.accounts.audit import AuditEntry


def details_text(entry: AuditEntry) -> str:
    """The details of one act in words; keys this version does not know are left out."""
    details = entry.details or {}
    parts = []
    if "classroom_id" in details:
        name = entry.classroom_name or details.get("name")  # a deleted class's name is kept
        parts.append(
            tr("audit_detail.classroom", name=name) if name else tr("audit_detail.classroom_gone")
        )
    if "old_name" in details:
        parts.append(tr("audit_detail.old_name", name=details["old_name"]))
    for key in ("events", "events_deleted", "sessions_ended"):
        if key in details:
            parts.append(tr(f"audit_detail.{key}", n=num(int(details[key]))))
    if "account_deleted" in details:
        kept = "account_deleted" if details["account_deleted"] else "account_kept"
        parts.append(tr(f"audit_detail.{kept}"))
    return " · ".join(parts)


def target_text(entry: AuditEntry) -> str:
    if entry.target_user_id is None:
        return ""
    return entry.target_name or tr("audit_detail.target_gone")


def audit_table(entries: list[AuditEntry]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            tr("teacher.col_when"): [when(e.at) for e in entries],
            tr("teacher.col_action"): [tr(f"audit.{e.action}") for e in entries],
            tr("teacher.col_target"): [target_text(e) for e in entries],
            tr("teacher.col_details"): [details_text(e) for e in entries],
        }
    )


def audit_log(entries: list[AuditEntry]) -> None:
    if entries:
        st.dataframe(audit_table(entries), hide_index=True, width="stretch")
    else:
        st.caption(tr("teacher.audit_empty"))
