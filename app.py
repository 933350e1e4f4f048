"""Zerde entry point: page config, session and language, navigation by role."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app_pages.components.session import (
    lang,
    language_switch,
    resolve_actor,
    sign_out,
    sync_cookie,
    tr,
)
from app_pages.components.user_text import user_text
from core.accounts import Actor
from core.config import load_settings
from core.db import upgrade_to_head
from core.labs import LABS

LOGO = Path(__file__).parent / "content" / "assets" / "zerde.png"

st.set_page_config(page_title="Zerde", page_icon=str(LOGO), layout="wide")


@st.cache_resource(show_spinner=False)
def _embedded_database_ready() -> bool:
    """The SQLite default migrates itself; district PostgreSQL is migrated once by the operator."""
    settings = load_settings()
    if settings.is_sqlite:
        upgrade_to_head(settings.database_url)
    return True


# (section, script, title key, icon, who sees it in the menu). Every page is always registered,
# hidden where it does not belong, so a rerun after login/logout never lands on an unknown page;
# each page still checks the actor itself (and core checks again).
PAGES = (
    ("learn", "app_pages/login.py", "nav.login", ":material/login:", "anonymous"),
    ("learn", "app_pages/home.py", "nav.home", ":material/home:", "member"),
    ("learn", "app_pages/onboarding.py", "nav.onboarding", ":material/school:", "member"),
    ("learn", "app_pages/my_progress.py", "nav.my_progress", ":material/insights:", "member"),
    *(("labs", lab.page, lab.title_key, lab.icon, "member") for lab in LABS if lab.available),
    (
        "teacher",
        "app_pages/teacher_dashboard.py",
        "nav.teacher_dashboard",
        ":material/monitoring:",
        "teacher",
    ),
    (
        "teacher",
        "app_pages/teacher_classes.py",
        "nav.teacher_classes",
        ":material/groups:",
        "teacher",
    ),
)


def _visible(audience: str, current: Actor | None) -> bool:
    if current is None:
        return audience == "anonymous"
    return audience == "member" or (audience == "teacher" and current.is_teacher)


def _pages(current: Actor | None) -> dict[str, list[st.Page]]:
    default = "app_pages/login.py" if current is None else "app_pages/home.py"
    nav: dict[str, list[st.Page]] = {}
    for section, script, title_key, icon, audience in PAGES:
        page = st.Page(
            script,
            title=tr(title_key),
            icon=icon,
            default=script == default,
            visibility="visible" if _visible(audience, current) else "hidden",
        )
        nav.setdefault(tr(f"nav.section.{section}") if current else "", []).append(page)
    return nav


def _sidebar(current: Actor | None) -> None:
    with st.sidebar:
        sync_cookie()  # first: the browser gets the sign-in cookie before it shows "signed in"
        st.image(str(LOGO), width=48)
        st.caption(tr("app.tagline"))
        language_switch()
        if current is not None:
            name = user_text(current.display_name)
            st.markdown(f"**{name}** · {tr('roles.' + current.role.value)}")
            if st.button(tr("app.logout"), icon=":material/logout:", key="logout"):
                sign_out()
                st.rerun()


_embedded_database_ready()
actor = resolve_actor()
lang()
_sidebar(actor)
st.navigation(_pages(actor)).run()
