"""Sign in, join a class with a code, or create the first teacher on a fresh install."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from app_pages.components.session import ENDED, actor, lang, show_error, sign_in, tr
from core.accounts import AccountError
from core.accounts.service import (
    create_first_teacher,
    login,
    needs_first_teacher,
    register_student,
)
from core.accounts.throttle import client_key


def _password_pair(prefix: str) -> tuple[str, str]:
    first = st.text_input(tr("login.password"), type="password", key=f"{prefix}_password")
    again = st.text_input(tr("login.password_again"), type="password", key=f"{prefix}_password2")
    return first, again


def _client() -> str | None:
    """The browser's address for the failed-sign-in throttle (core.accounts.throttle.client_key
    decides what to trust: the peer, or behind the local proxy its X-Forwarded-For)."""
    try:
        forwarded = st.context.headers.get_all("X-Forwarded-For")
    except Exception:  # noqa: BLE001 - no request headers outside a browser session (AppTest)
        forwarded = []
    return client_key(st.context.ip_address, forwarded)


def _finish(username: str, password: str) -> None:
    sign_in(login(username, password, client=_client()))
    st.rerun()


def _register_and_sign_in(
    create: Callable[[], object], username: str, password: str, again: str
) -> None:
    """Create the account, then sign in with it; any refusal is shown and nothing is kept."""
    if password != again:
        st.error(tr("errors.passwords_differ"))
        return
    try:
        create()
        _finish(username, password)
    except AccountError as error:
        show_error(error)


def first_teacher_form() -> None:
    st.info(tr("login.first_run"), icon=":material/waving_hand:")
    with st.form("first_teacher"):
        username = st.text_input(
            tr("login.username"), key="ft_username", help=tr("login.username_help")
        )
        name = st.text_input(tr("login.display_name"), key="ft_name")
        password, again = _password_pair("ft")
        submitted = st.form_submit_button(tr("login.create_teacher"), type="primary")
    if submitted:
        _register_and_sign_in(
            lambda: create_first_teacher(username, name, password, lang()),
            username,
            password,
            again,
        )


def sign_in_form() -> None:
    with st.form("sign_in"):
        username = st.text_input(tr("login.username"), key="si_username")
        password = st.text_input(tr("login.password"), type="password", key="si_password")
        submitted = st.form_submit_button(tr("login.sign_in"), type="primary")
    if submitted:
        try:
            _finish(username, password)
        except AccountError as error:
            show_error(error)


def join_class_form() -> None:
    with st.form("join_class"):
        code = st.text_input(tr("login.join_code"), key="jc_code", help=tr("login.join_code_help"))
        username = st.text_input(
            tr("login.username"), key="jc_username", help=tr("login.username_help")
        )
        name = st.text_input(tr("login.display_name"), key="jc_name")
        password, again = _password_pair("jc")
        submitted = st.form_submit_button(tr("login.join"), type="primary")
    if submitted:
        _register_and_sign_in(
            lambda: register_student(code, username, name, password, lang()),
            username,
            password,
            again,
        )


if actor() is not None:
    st.switch_page("app_pages/home.py")
st.title(tr("login.title"))
st.caption(tr("login.subtitle"))
if st.session_state.pop(ENDED, False):
    st.warning(tr("login.session_ended"), icon=":material/logout:")
if needs_first_teacher():
    first_teacher_form()
else:
    sign_in_tab, join_tab = st.tabs([tr("login.tab_sign_in"), tr("login.tab_join")])
    with sign_in_tab:
        sign_in_form()
    with join_tab:
        join_class_form()
