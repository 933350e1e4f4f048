"""Who is signed in and in which language, resolved once per rerun from st.session_state."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import streamlit as st

from core import locale
from core.accounts import AccountError, Actor
from core.accounts.service import LoginResult, logout, resume, set_language
from core.config import LANGUAGES, load_settings
from core.i18n import LANGUAGE_NAMES, best_language, t

TOKEN = "zerde_token"
ACTOR = "zerde_actor"
LANG = "zerde_lang"
ENDED = "zerde_session_ended"
COOKIE = "zerde_session"
COOKIE_CHECKED = "zerde_cookie_checked"
COOKIE_WRITE = "zerde_cookie_write"


def _token_from_cookie() -> str | None:
    """A browser refresh starts a new Streamlit session; the session cookie carries the sign-in
    over (it is a browser-session cookie: closing the browser on a shared laptop signs out).
    Read once per session; resolve_actor validates it like any other token."""
    if st.session_state.get(COOKIE_CHECKED):
        return None
    st.session_state[COOKIE_CHECKED] = True
    token = st.context.cookies.get(COOKIE)
    return token if isinstance(token, str) and token else None


def resolve_actor() -> Actor | None:
    """Re-check the server-side session on every rerun: logout/disable take effect at once."""
    token = st.session_state.get(TOKEN)
    if token is None and (token := _token_from_cookie()) is not None:
        st.session_state[TOKEN] = token
    actor = resume(token) if token else None
    if token and actor is None:
        st.session_state.pop(TOKEN, None)
        st.session_state[ENDED] = True
        st.session_state[COOKIE_WRITE] = ""
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
        st.switch_page("app_pages/login.py")
    assert current is not None
    return current


def still_signed_in() -> Actor | None:
    """Re-check the server-side session now. A fragment rerun (a widget inside an st.fragment,
    or its run_every timer) runs only the fragment: neither app.py's resolve_actor nor the
    page's require_* runs, so without this a disabled student or a revoked session could go on
    acting inside an open fragment."""
    token = st.session_state.get(TOKEN)
    current = resume(token) if isinstance(token, str) and token else None
    if current is None:
        st.session_state.pop(TOKEN, None)
        st.session_state[ENDED] = True
        st.session_state[COOKIE_WRITE] = ""
    st.session_state[ACTOR] = current
    return current


_Body = TypeVar("_Body", bound=Callable[..., Any])


def signed_in_fragment(*, run_every: float | None = None) -> Callable[[_Body], _Body]:
    """`st.fragment` for pages behind sign-in: every run of the fragment first re-checks the
    session (see still_signed_in) and, if it has ended, shows why and does nothing else."""

    def wrap(body: _Body) -> _Body:
        @functools.wraps(body)  # same module and qualname: the fragment id stays as it was
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if still_signed_in() is None:
                st.warning(tr("login.session_ended"), icon=":material/lock:")
                return None
            return body(*args, **kwargs)

        return st.fragment(guarded, run_every=run_every)  # type: ignore[return-value]

    return wrap


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


# The one locale formatter (core/locale.py), in the reader's language and on their clock.
def num(value: float, decimals: int | None = None) -> str:
    return locale.number(value, lang(), decimals)


def exact(value: float) -> str:
    """A setting as written (0.0001, 0.995), with all its digits."""
    return locale.exact(value, lang())


def pct(fraction: float, decimals: int = 0) -> str:
    return locale.percent(fraction, lang(), decimals)


def qty(value: float, unit: str, decimals: int | None = None) -> str:
    return locale.quantity(value, unit, lang(), decimals)


def unit(name: str) -> str:
    return locale.unit_symbol(name, lang())


def when(moment: datetime) -> str:
    """A date and time on the reader's clock (the browser's time zone)."""
    return locale.moment(moment, lang(), st.context.timezone)


def show_error(error: AccountError) -> None:
    st.error(tr(error.key, **error.params), icon=":material/error:")


def sign_in(result: LoginResult) -> None:
    st.session_state[TOKEN] = result.token
    st.session_state[COOKIE_WRITE] = result.token
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
    st.session_state[COOKIE_CHECKED] = True  # the old cookie is revoked; do not even look
    st.session_state[COOKIE_WRITE] = ""


def cookie_script(value: str) -> str:
    """The script that sets (or, for "", deletes) the sign-in cookie. Streamlit cannot send a
    Set-Cookie header from a script run, hence JavaScript, and hence no HttpOnly (see
    docs/security-session.md). Attributes: path=/, SameSite=Strict (never sent by another
    site's request), Secure whenever the page is served over HTTPS, and no Max-Age/Expires: a
    browser-session cookie, gone when the browser closes on a shared classroom laptop; the
    server-side session expires after ZERDE_SESSION_HOURS and can be revoked at any time."""
    if value and not value.replace("-", "").replace("_", "").isalnum():
        raise ValueError("tokens are url-safe base64; nothing else goes into a script")
    expiry = "" if value else "; Max-Age=0"
    return (
        f"<script>document.cookie = '{COOKIE}={value}; path=/; SameSite=Strict{expiry}'"
        " + (location.protocol === 'https:' ? '; Secure' : '');</script>"
    )


def sync_cookie() -> None:
    """Keep the browser's sign-in cookie in step with this tab's sign-in, on every full run.
    Written once, the script was lost when another rerun replaced the element before the
    browser ran it (9 of 26 sign-ins under load were never persisted). The cookies the tab
    sent when it connected (st.context.cookies) are the only read-back Streamlit offers, so
    the script is rendered on every run while they differ from the current sign-in: the last
    run's page always carries it."""
    token = st.session_state.get(TOKEN)
    wanted = token if isinstance(token, str) and token else ""
    sent = st.context.cookies.get(COOKIE)
    sent = sent if isinstance(sent, str) else ""
    changed_here = COOKIE_WRITE in st.session_state  # signed in or out in this tab
    if wanted == sent and (wanted or not changed_here):
        return
    try:
        script = cookie_script(wanted)
    except ValueError:
        return
    st.html(script, unsafe_allow_javascript=True)


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
