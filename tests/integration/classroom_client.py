"""A student's device for tests/integration/test_classroom_mode.py: run inside the test's network
namespace (``ip netns exec NS python -m tests.integration.classroom_client …``), it reaches the
teacher's laptop only over the veth pair, as a phone over the school Wi-Fi would, and prints one
JSON object with what it saw.

    wait    until the join page and the HTTPS health check answer (the stack has started)
    fetch   the join page and the CA certificate over plain HTTP; HTTPS with and without that CA;
            plain HTTP on the HTTPS port
    browse  Chromium without the CA (stopped at the certificate; Advanced → Proceed), then
            Chromium trusting the downloaded CA through an NSS database in a fresh HOME (as a
            student who installed the certificate): the join page, then the HTTPS app, sign-in,
            the vision lab, getUserMedia and the live camera; screenshots
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

GET_USER_MEDIA = """async () => {
  const stream = await navigator.mediaDevices.getUserMedia({video: true});
  const tracks = stream.getVideoTracks();
  const result = {tracks: tracks.length, label: tracks[0].label,
                  state: tracks[0].readyState, settings: tracks[0].getSettings()};
  tracks.forEach(t => t.stop());
  return result;
}"""
STABLE = 5.0  # seconds: more than two of HAProxy's health-check intervals (inter 2s)
FPS_ABOVE_ONE = """() => {
  const values = document.querySelectorAll(
    ".st-key-vision_live_numbers [data-testid='stMetricValue']");
  return values.length > 0 && parseFloat(values[0].innerText) > 1;
}"""


def _get(url: str, context: ssl.SSLContext | None = None, timeout: float = 10) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=timeout, context=context) as response:
        return int(response.status), response.read()


def wait(args: argparse.Namespace) -> dict[str, Any]:
    """Until the join page and HTTPS health answer without a break for STABLE seconds: HAProxy
    counts its servers up until their first health check, so one early answer proves little."""
    unverified = ssl.create_default_context()
    unverified.check_hostname = False
    unverified.verify_mode = ssl.CERT_NONE
    deadline = time.monotonic() + args.timeout
    last, since = "", None
    while time.monotonic() < deadline:
        try:
            _get(args.join)
            status, body = _get(f"{args.url}/_stcore/health", unverified, timeout=5)
            ok = status == 200 and body == b"ok"
        except (OSError, urllib.error.URLError, http.client.HTTPException) as error:
            last, ok = repr(error), False
        if not ok:
            since = None
        elif since is None:
            since = time.monotonic()
        elif time.monotonic() - since >= STABLE:
            return {"ready": True}
        time.sleep(0.25)
    return {"ready": False, "last_error": last}


def fetch(args: argparse.Namespace) -> dict[str, Any]:
    out = Path(args.out)
    result: dict[str, Any] = {}
    with urllib.request.urlopen(args.join, timeout=10) as response:
        page = response.read()
        result["join_status"] = response.status
        result["join_type"] = response.headers["Content-Type"]
    (out / "join.html").write_bytes(page)
    with urllib.request.urlopen(f"{args.join}/zerde-ca.crt", timeout=10) as response:
        ca = response.read()
        result["ca_type"] = response.headers["Content-Type"]
        result["ca_disposition"] = response.headers["Content-Disposition"]
    (out / "zerde-ca.crt").write_bytes(ca)
    result["join_bytes"], result["ca_bytes"] = len(page), len(ca)

    trusted = ssl.create_default_context(cafile=str(out / "zerde-ca.crt"))
    status, body = _get(f"{args.url}/_stcore/health", trusted)
    result["https_with_ca"] = [status, body.decode()]
    status, ca_again = _get(f"{args.url}/zerde-ca.crt", trusted)
    result["https_ca_same"] = status == 200 and ca_again == ca
    try:
        _get(f"{args.url}/_stcore/health", ssl.create_default_context())
        result["https_without_ca"] = "accepted"
    except urllib.error.URLError as error:
        result["https_without_ca"] = type(error.reason).__name__
    result["plain_http_on_https_port"] = _plain_http(args.url)
    return result


def _plain_http(url: str) -> str:
    """What a plain-HTTP request to the HTTPS port gets: no HTTP response at all."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        connection.request("GET", "/_stcore/health")
        response = connection.getresponse()
        return f"HTTP {response.status}"
    except (OSError, http.client.HTTPException) as error:
        return type(error).__name__
    finally:
        connection.close()


def _nss_home(ca: Path) -> Path:
    """A HOME whose NSS database trusts the class CA: what Chromium on Linux reads, and what
    installing the certificate does on a student's device."""
    home = Path(tempfile.mkdtemp(prefix="zerde-student-"))
    db = home / ".pki" / "nssdb"
    db.mkdir(parents=True)
    subprocess.run(["certutil", "-N", "-d", f"sql:{db}", "--empty-password"], check=True)
    subprocess.run(
        ["certutil", "-A", "-d", f"sql:{db}", "-t", "C,,", "-n", "Zerde classroom CA",
         "-i", str(ca)],
        check=True,
    )  # fmt: skip
    listed = subprocess.run(
        ["certutil", "-L", "-d", f"sql:{db}"], check=True, capture_output=True, text=True
    ).stdout
    assert "Zerde classroom CA" in listed, listed
    return home


def _record(context: Any, requests: list[str]) -> Any:
    """Every URL the context's pages ask for, WebSockets included."""
    context.on("request", lambda request: requests.append(request.url))
    context.on("page", lambda page: page.on("websocket", lambda ws: requests.append(ws.url)))
    return context


def _join_page(
    browser: Any, args: argparse.Namespace, shots: Path, requests: list[str]
) -> dict[str, Any]:
    """The join page as a phone shows it (Russian locale); its button leads to the app."""
    phone = _record(
        browser.new_context(locale="ru-RU", viewport={"width": 430, "height": 932}, is_mobile=True),
        requests,
    )
    page = phone.new_page()
    page.goto(args.join)
    seen = {
        "join_secure_context": page.evaluate("window.isSecureContext"),
        "join_media_devices": page.evaluate("typeof navigator.mediaDevices"),
        "join_qr": page.locator("svg.segno path").count(),
        "join_https_links": page.locator(f'a[href="{args.url}"]').count(),
    }
    page.locator("#ru summary").first.click()  # Android's steps, opened (no script needed)
    seen["join_android_steps"] = page.locator("#ru details[open] li").count()
    page.screenshot(path=shots / "classroom_mode_join_page.png", full_page=True)
    page.get_by_role("link", name="Открыть Zerde").click()
    page.wait_for_url(f"{args.url}/**")
    seen["from_join_page_to"] = page.url
    phone.close()
    return seen


def _live_camera(page: Any, shots: Path) -> float:
    """Start the vision lab's live view: the fake camera's frames go to the laptop over WebRTC
    and come back annotated; returns the FPS the page reports."""
    from playwright.sync_api import expect

    from tests.e2e.helpers import main, settle

    frame = page.frame_locator("iframe[title*='webrtc']").first
    frame.get_by_role("button", name="Start the camera").click()
    numbers = main(page).locator(".st-key-vision_live_numbers")
    expect(numbers).to_be_visible(timeout=90_000)
    page.wait_for_function(FPS_ABOVE_ONE, timeout=120_000)
    fps = float(numbers.get_by_test_id("stMetricValue").first.inner_text())
    main(page).locator(".st-key-vision_live_view").scroll_into_view_if_needed()
    page.wait_for_timeout(400)
    page.get_by_test_id("stAppViewContainer").screenshot(
        path=shots / "classroom_mode_vision_live.png", animations="disabled"
    )
    frame.get_by_role("button", name="Stop").click()
    settle(page)
    return fps


def _app(
    browser: Any,
    args: argparse.Namespace,
    shots: Path,
    timings: dict[str, float],
    requests: list[str],
) -> dict[str, Any]:
    """Sign in over HTTPS, open the vision lab, ask for the camera."""
    from playwright.sync_api import Error

    from tests.e2e.helpers import TIMEOUT_MS, open_page, settle, signed_in

    start = time.monotonic()
    context = _record(
        browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1100}), requests
    )
    context.grant_permissions(["camera"], origin=args.url)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    seen: dict[str, Any] = {}
    try:
        page.goto(args.url)
    except Error as error:  # a certificate the browser does not trust stops here
        return {"https_error": error.message.splitlines()[0]}
    signed_in(page, args.user, args.password)
    open_page(page, "Vision lab", "vision_lab")
    timings["signed_in_vision_s"] = round(time.monotonic() - start, 1)
    seen["secure_context"] = page.evaluate("window.isSecureContext")
    seen["protocol"] = page.evaluate("location.protocol")
    seen["get_user_media"] = page.evaluate(GET_USER_MEDIA)
    seen["http_version"] = page.evaluate(
        "() => performance.getEntriesByType('navigation')[0].nextHopProtocol"
    )
    settle(page)
    page.get_by_test_id("stAppViewContainer").screenshot(
        path=shots / "classroom_mode_vision_signed_in.png", animations="disabled"
    )
    if args.live:
        seen["live_fps"] = _live_camera(page, shots)
        timings["live_camera_s"] = round(time.monotonic() - start, 1)
    context.close()
    return seen


def _untrusted(playwright: Any, flags: list[str], url: str, shots: Path) -> dict[str, Any]:
    """The control, and the students' quick way: the same Chromium with a fresh HOME, the CA
    not installed, is stopped at the certificate (so the NSS database is what makes the class
    certificate trusted); Advanced → Proceed then gives a secure context with the camera."""
    from playwright.sync_api import Error

    from tests.e2e.conftest import CHROMIUM

    home = Path(tempfile.mkdtemp(prefix="zerde-untrusted-"))
    seen: dict[str, Any] = {}
    try:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=flags, env={**os.environ, "HOME": str(home)}
        )
        context = browser.new_context(locale="en-US", viewport={"width": 900, "height": 700})
        context.grant_permissions(["camera"], origin=url)
        page = context.new_page()
        try:
            page.goto(url)
            seen["without_ca"] = "loaded"
        except Error as error:
            seen["without_ca"] = error.message.splitlines()[0]
        page.screenshot(path=shots / "classroom_mode_warning_without_ca.png")
        page.click("#details-button")  # Advanced
        page.click("#proceed-link")  # Proceed to … (unsafe)
        page.wait_for_url(f"{url}/**")
        page.wait_for_load_state()
        seen["proceeded_secure_context"] = page.evaluate("window.isSecureContext")
        seen["proceeded_get_user_media"] = page.evaluate(GET_USER_MEDIA)["tracks"]
        browser.close()
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return seen


def browse(args: argparse.Namespace) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    out, shots = Path(args.out), Path(args.shots)
    result: dict[str, Any] = {"trust": args.trust}
    flags = [*CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]
    env: dict[str, str | float | bool] = dict(os.environ)
    home: Path | None = None
    if args.trust == "nss":
        home = _nss_home(out / "zerde-ca.crt")
        env["HOME"] = str(home)
    else:  # fallback where certutil is missing: trust exactly our server key
        flags.append(f"--ignore-certificate-errors-spki-list={args.spki}")
    timings: dict[str, float] = {}
    start = time.monotonic()
    requests: list[str] = []
    try:
        with sync_playwright() as playwright:
            if args.trust == "nss":
                result |= _untrusted(playwright, flags, args.url, shots)
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=flags, env=env, headless=True
            )
            result |= _join_page(browser, args, shots, requests)
            timings["join_page_s"] = round(time.monotonic() - start, 1)
            result |= _app(browser, args, shots, timings, requests)
            browser.close()
    finally:
        if home is not None:
            shutil.rmtree(home, ignore_errors=True)
        result["timings"] = timings
    result["hosts"] = sorted(
        {urlsplit(u).netloc for u in requests if urlsplit(u).scheme not in {"data", "blob"}}
    )
    return result


def main_cli(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.integration.classroom_client")
    parser.add_argument("command", choices=("wait", "fetch", "browse"))
    parser.add_argument("--url", required=True, help="the HTTPS address")
    parser.add_argument("--join", required=True, help="the join page's plain-HTTP address")
    parser.add_argument("--out", default=".", help="where the join page and CA are kept")
    parser.add_argument("--shots", default=".", help="where screenshots go")
    parser.add_argument("--timeout", type=float, default=90)
    parser.add_argument("--user", default="")
    parser.add_argument("--password", default="")
    parser.add_argument("--trust", choices=("nss", "spki"), default="nss")
    parser.add_argument("--spki", default="")
    parser.add_argument("--live", action="store_true", help="also run the live camera")
    args = parser.parse_args(argv)
    result = {"wait": wait, "fetch": fetch, "browse": browse}[args.command](args)
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main_cli())
