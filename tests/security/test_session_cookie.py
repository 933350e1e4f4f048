"""Item 20.8 (unit and AppTest part): the sign-in cookie's attributes, and the cookie script is
kept on the page on every run until the browser has sent the cookie back, so one lost script
(a rerun replacing it before the browser ran it) can no longer lose the sign-in."""

from __future__ import annotations

import pytest

from app_pages.components.session import COOKIE, cookie_script
from tests import factories as f
from tests.app.conftest import Seed, app_as


def _cookie_scripts(at: object) -> list[str]:
    return [h.proto.body for h in at.html if "document.cookie" in h.proto.body]  # type: ignore[attr-defined]


def test_cookie_attributes() -> None:
    write = cookie_script("abc_DEF-123")
    assert f"'{COOKIE}=abc_DEF-123; path=/; SameSite=Strict'" in write
    assert "Max-Age" not in write and "expires" not in write.lower()  # a browser-session cookie
    assert "location.protocol === 'https:' ? '; Secure'" in write  # Secure on HTTPS
    clear = cookie_script("")
    assert f"'{COOKIE}=; path=/; SameSite=Strict; Max-Age=0'" in clear
    with pytest.raises(ValueError):
        cookie_script("x'; alert(1); '")  # nothing but a url-safe token reaches the script


def test_the_cookie_script_stays_until_the_browser_sends_the_cookie(seed: Seed) -> None:
    at = app_as(None, "en")
    at.text_input(key="si_username").input(seed.student.username)
    at.text_input(key="si_password").input(f.PASSWORD)
    at.button(key="FormSubmitter:sign_in-Sign in").click().run()
    token = at.session_state["zerde_token"]
    assert any(f"{COOKIE}={token};" in s for s in _cookie_scripts(at))
    at.run()  # a second run (the one that used to replace the only script): still there
    at.run()
    assert any(f"{COOKIE}={token};" in s for s in _cookie_scripts(at))

    at.button(key="logout").click().run()
    assert any(f"'{COOKIE}=; " in s and "Max-Age=0" in s for s in _cookie_scripts(at))
    at.run()
    assert any("Max-Age=0" in s for s in _cookie_scripts(at))


def test_no_cookie_script_for_a_visitor_who_never_signed_in(seed: Seed) -> None:
    at = app_as(None, "en")
    at.run()
    assert _cookie_scripts(at) == []
