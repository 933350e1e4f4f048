"""Who is signed in and in which language, resolved once per rerun from st.session_state."""

from __future__ import annotations

import streamlit as st

from core.accounts import AccountError, Actor
from core.accounts.service import LoginResult, logout, resume, set_language
from core.config import LANGUAGES, load_settings
from core.i18n import LANGUAGE_NAMES, best_language, t

TOKEN = "zerde_token"
ACTOR = "zerde_actor"
LANG = "zerde_lang"
ENDED = "zerde_session_ended"


def resolve_actor() -> Actor | None:
    """Re-check the server-side session on every rerun: logout/disable take effect at once."""
    token = st.session_state.get(TOKEN)
    actor = resume(token) if token else None
    if token and actor is None:
        st.session_state.pop(TOKEN, None)
        st.session_state[ENDED] = True
    st.session_state[ACTOR] = actor
    if actor is not None:
        st.session_state[LANG] = actor.language
    return actor


def actor() -> Actor | None:
    value = st.session_state.get(ACTOR)
    return value if isinstance(value, Actor) else None


def require_actor() -> Actor:
    """Pages for members only: an anonymous visitor (deep link, expired session) goes to login."""
    current = actor()
    if current is None:
        st.switch_page("pages/login.py")
    assert current is not None
    return current


def require_teacher() -> Actor:
    current = require_actor()
    if not current.is_teacher:
        st.error(tr("errors.permission_denied"), icon=":material/block:")
        st.stop()
    return current


def lang() -> str:
    current = st.session_state.get(LANG)
    if current not in LANGUAGES:
        locale = getattr(st.context, "locale", None)
        current = best_language(locale, load_settings().default_language)
        st.session_state[LANG] = current
    return str(current)


def tr(key: str, **params: object) -> str:
    return t(key, lang(), **params)


def show_error(error: AccountError) -> None:
    st.error(tr(error.key, **error.params), icon=":material/error:")


def sign_in(result: LoginResult) -> None:
    st.session_state[TOKEN] = result.token
    st.session_state[ACTOR] = result.actor
    st.session_state[LANG] = result.actor.language
    st.session_state.pop(ENDED, None)


def sign_out() -> None:
    token = st.session_state.pop(TOKEN, None)
    if token:
        logout(token)
    keep_lang = lang()
    st.session_state.clear()
    st.session_state[LANG] = keep_lang


def _on_language_change() -> None:
    chosen = st.session_state["language_switch"]
    st.session_state[LANG] = chosen
    current = actor()
    if current is not None:
        st.session_state[ACTOR] = set_language(current, chosen)


def language_switch() -> None:
    st.session_state["language_switch"] = lang()
    st.selectbox(
        tr("app.language"),
        options=list(LANGUAGES),
        format_func=LANGUAGE_NAMES.__getitem__,
        key="language_switch",
        on_change=_on_language_change,
    )
