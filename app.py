"""Zerde entry point: page config, session and language, navigation by role."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from core.accounts import Actor
from core.config import load_settings
from core.db import upgrade_to_head
from core.labs import LABS
from pages.components.session import lang, language_switch, resolve_actor, sign_out, tr

LOGO = Path(__file__).parent / "content" / "assets" / "zerde.png"

st.set_page_config(page_title="Zerde", page_icon=str(LOGO), layout="wide")


@st.cache_resource(show_spinner=False)
def _embedded_database_ready() -> bool:
    """The SQLite default migrates itself; district PostgreSQL is migrated once by the operator."""
    settings = load_settings()
    if settings.is_sqlite:
        upgrade_to_head(settings.database_url)
    return True


def _pages(current: Actor | None) -> dict[str, list[st.Page]] | list[st.Page]:
    if current is None:
        return [st.Page("pages/login.py", title=tr("nav.login"), icon=":material/login:")]
    learn = [
        st.Page("pages/home.py", title=tr("nav.home"), icon=":material/home:", default=True),
        st.Page("pages/onboarding.py", title=tr("nav.onboarding"), icon=":material/school:"),
        st.Page("pages/my_progress.py", title=tr("nav.my_progress"), icon=":material/insights:"),
    ]
    nav = {tr("nav.section.learn"): learn}
    labs = [
        st.Page(lab.page, title=tr(lab.title_key), icon=lab.icon) for lab in LABS if lab.available
    ]
    if labs:
        nav[tr("nav.section.labs")] = labs
    if current.is_teacher:
        nav[tr("nav.section.teacher")] = [
            st.Page(
                "pages/teacher_dashboard.py",
                title=tr("nav.teacher_dashboard"),
                icon=":material/monitoring:",
            ),
            st.Page(
                "pages/teacher_classes.py",
                title=tr("nav.teacher_classes"),
                icon=":material/groups:",
            ),
        ]
    return nav


def _sidebar(current: Actor | None) -> None:
    with st.sidebar:
        st.image(str(LOGO), width=48)
        st.caption(tr("app.tagline"))
        language_switch()
        if current is not None:
            st.markdown(f"**{current.display_name}** · {tr('roles.' + current.role.value)}")
            if st.button(tr("app.logout"), icon=":material/logout:", key="logout"):
                sign_out()
                st.rerun()


_embedded_database_ready()
actor = resolve_actor()
lang()
_sidebar(actor)
st.navigation(_pages(actor)).run()
