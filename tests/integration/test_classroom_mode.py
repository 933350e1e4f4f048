"""Classroom mode from a second machine: `python -m serve --classroom` on the host side of a veth
pair (10.77.0.1), and a student's device in a network namespace (10.77.0.2) that reaches the
laptop only over that link. From there: the join page and the CA certificate over plain HTTP;
HTTPS that verifies with that CA only; nothing in plain HTTP on the HTTPS port; and Chromium,
trusting the CA through its NSS database as after installing it, signs a student in, opens the
vision lab in a secure context, gets the (fake) camera and runs the live view over WebRTC; without
the CA it stops at the certificate, and Advanced → Proceed still gives the camera.

Needs root and `ip netns` (skipped otherwise); the namespace and every process are removed
whatever happens. The student's side is tests/integration/classroom_client.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from serve.__main__ import free_port
from serve.tls import spki_hash
from tests.e2e.conftest import ARTIFACTS, CHROMIUM, ROOT
from tests.e2e.helpers import seed_class

pytestmark = pytest.mark.e2e

HOST_IP, STUDENT_IP = "10.77.0.1", "10.77.0.2"
PREFIX = "zerde-cm-"
STUDENT, PASSWORD = ("timur", "Timur A."), "Kamera-Jelbe-2026"
START_TIMEOUT = 120.0
TIMINGS: dict[str, float] = {}


def _ip(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["ip", *args], check=check, capture_output=True, text=True, timeout=30)


def _remove_namespace(name: str) -> None:
    """End what still runs in the namespace (only this test starts processes there), then
    delete it: the veth pair goes with it."""
    pids = _ip("netns", "pids", name, check=False).stdout.split()
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pid), signal.SIGKILL)
    _ip("netns", "del", name, check=False)


def _stale_namespaces() -> None:
    """Namespaces this test left when its run was killed (its pid is in the name)."""
    for line in _ip("netns", "list", check=False).stdout.splitlines():
        name = line.split()[0] if line.strip() else ""
        pid = name.removeprefix(PREFIX)
        if name.startswith(PREFIX) and pid.isdigit() and not Path(f"/proc/{pid}").exists():
            _remove_namespace(name)


@pytest.fixture(scope="module")
def namespace() -> Iterator[str]:
    if os.geteuid() != 0:
        pytest.skip("needs root to make a network namespace (ip netns)")
    if shutil.which("ip") is None or _ip("netns", "list", check=False).returncode != 0:
        pytest.skip("`ip netns` is not available (iproute2)")
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt)")
    _stale_namespaces()
    name = f"{PREFIX}{os.getpid()}"
    host_end, student_end = f"zcm{os.getpid() % 100000}h", f"zcm{os.getpid() % 100000}s"
    made = _ip("netns", "add", name, check=False)
    if made.returncode != 0:
        pytest.skip(f"`ip netns add` is not available here: {made.stderr.strip()}")
    try:
        _ip("link", "add", host_end, "type", "veth", "peer", "name", student_end)
        _ip("link", "set", student_end, "netns", name)
        _ip("addr", "add", f"{HOST_IP}/24", "dev", host_end)
        _ip("link", "set", host_end, "up")
        inside = ("netns", "exec", name, "ip")
        _ip(*inside, "addr", "add", f"{STUDENT_IP}/24", "dev", student_end)
        _ip(*inside, "link", "set", student_end, "up")
        _ip(*inside, "link", "set", "lo", "up")
        yield name
    finally:
        _remove_namespace(name)
        _ip("link", "del", host_end, check=False)  # gone with the namespace, unless it never moved


def _student(namespace: str, *args: str, timeout: float = 300) -> dict[str, Any]:
    """Run the student's side inside the namespace; its last line is a JSON object."""
    command = ["ip", "netns", "exec", namespace, sys.executable, "-m",
               "tests.integration.classroom_client", *args]  # fmt: skip
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


@dataclass(frozen=True)
class Classroom:
    namespace: str
    url: str
    join: str
    data_dir: Path
    student_dir: Path
    log: Path


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


@pytest.fixture(scope="module")
def classroom(namespace: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Classroom]:
    data = tmp_path_factory.mktemp("zerde_classroom")
    seed_class(data, ("aruzhan", "Aruzhan K."), "10B", STUDENT, PASSWORD)
    port, join_port = free_port(HOST_IP), free_port(HOST_IP)
    env = {
        **os.environ,
        "ZERDE_DATA_DIR": str(data),
        "ZERDE_DATABASE_URL": f"sqlite:///{data / 'zerde.db'}",
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("ZERDE_DEFAULT_LANGUAGE", "ZERDE_JOB_QUEUE", "ADDRESS", "PORT", "JOIN_PORT"):
        env.pop(name, None)
    command = [sys.executable, "-m", "serve", "--classroom", "--address", HOST_IP,
               "--port", str(port), "--join-port", str(join_port),
               "--web", "2", "--jobs", "1"]  # fmt: skip
    log = data / "server.log"
    room = Classroom(
        namespace,
        url=f"https://{HOST_IP}:{port}",
        join=f"http://{HOST_IP}:{join_port}",
        data_dir=data,
        student_dir=tmp_path_factory.mktemp("student"),
        log=log,
    )
    started = time.monotonic()
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            ready = _student(
                namespace, "wait", "--url", room.url, "--join", room.join,
                "--timeout", str(START_TIMEOUT),
            )  # fmt: skip
            assert process.poll() is None, log.read_text()
            assert ready["ready"], f"{ready}\n{log.read_text()}"
            TIMINGS["stack_ready_s"] = round(time.monotonic() - started, 1)
            yield room
        finally:
            _stop(process)
    server_log = log.read_text(errors="replace")
    print(f"\nclassroom mode timings: {TIMINGS}")
    assert "Traceback" not in server_log, server_log


def test_the_terminal_shows_both_addresses_and_the_certificate(classroom: Classroom) -> None:
    banner = classroom.log.read_text()
    assert classroom.join in banner and classroom.url in banner
    assert "▄" in banner or "█" in banner  # the QR code of the join page
    tls = classroom.data_dir / "tls"
    assert f"{tls / 'zerde-ca.crt'}" in banner
    assert (tls / "zerde-ca.key").stat().st_mode & 0o777 == 0o600


def test_join_page_and_certificate_over_plain_http(classroom: Classroom) -> None:
    started = time.monotonic()
    seen = _student(
        classroom.namespace, "fetch", "--url", classroom.url, "--join", classroom.join,
        "--out", str(classroom.student_dir),
    )  # fmt: skip
    TIMINGS["fetch_s"] = round(time.monotonic() - started, 1)
    assert seen["join_status"] == 200
    assert seen["join_type"] == "text/html; charset=utf-8"
    page = (classroom.student_dir / "join.html").read_text(encoding="utf-8")
    assert page == (classroom.data_dir / "run" / "join.html").read_text(encoding="utf-8")
    assert classroom.url in page and "<svg" in page and 'href="/zerde-ca.crt"' in page
    assert seen["ca_type"] == "application/x-x509-ca-cert"
    assert "zerde-ca.crt" in seen["ca_disposition"]
    downloaded = (classroom.student_dir / "zerde-ca.crt").read_bytes()
    assert downloaded == (classroom.data_dir / "tls" / "zerde-ca.crt").read_bytes()
    # HTTPS verifies with the downloaded CA, and only with it
    assert seen["https_with_ca"] == [200, "ok"]
    assert seen["https_ca_same"]
    assert seen["https_without_ca"] == "SSLCertVerificationError"
    # the HTTPS port gives no HTTP answer in plain HTTP
    assert not seen["plain_http_on_https_port"].startswith("HTTP"), seen


def test_a_student_browser_trusts_the_ca_and_gets_the_camera(classroom: Classroom) -> None:
    if not (classroom.student_dir / "zerde-ca.crt").exists():
        pytest.fail("the CA was not downloaded (test_join_page_and_certificate_over_plain_http)")
    # ZERDE_TEST_TRUST=spki tries the fallback for machines without certutil
    trust = os.environ.get("ZERDE_TEST_TRUST") or ("nss" if shutil.which("certutil") else "spki")
    if trust == "spki" and os.environ.get("CI"):
        pytest.fail("certutil (libnss3-tools) is missing: .ci/run installs it")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("classroom_mode_*.png"):
        old.unlink()
    started = time.monotonic()
    seen = _student(
        classroom.namespace, "browse", "--url", classroom.url, "--join", classroom.join,
        "--out", str(classroom.student_dir), "--shots", str(ARTIFACTS),
        "--user", STUDENT[0], "--password", PASSWORD, "--trust", trust,
        "--spki", spki_hash(classroom.data_dir / "tls" / "server.crt"), "--live",
    )  # fmt: skip
    TIMINGS["browser_s"] = round(time.monotonic() - started, 1)
    print(f"\nthe student's browser saw: {json.dumps(seen)}")
    TIMINGS.update({f"browser_{k}": v for k, v in seen["timings"].items()})
    assert "https_error" not in seen, seen
    if trust == "nss":  # the control: without the CA installed, Chromium stops at the certificate
        assert "ERR_CERT_AUTHORITY_INVALID" in seen["without_ca"], seen["without_ca"]
        # and the quick way the join page gives (Advanced → Proceed) still gets the camera
        assert seen["proceeded_secure_context"] is True
        assert seen["proceeded_get_user_media"] == 1
    # the join page is plain HTTP: no camera there, which is why the class needs HTTPS
    assert seen["join_secure_context"] is False
    assert seen["join_media_devices"] == "undefined"
    assert seen["join_qr"] == 1 and seen["join_https_links"] >= 1
    assert seen["join_android_steps"] == 4
    assert seen["from_join_page_to"].startswith(classroom.url)
    # over HTTPS, with the CA trusted: a secure context, and the camera
    assert seen["protocol"] == "https:"
    assert seen["secure_context"] is True
    assert seen["get_user_media"]["tracks"] == 1
    assert seen["get_user_media"]["state"] == "live"
    assert seen["live_fps"] > 1, seen
    # the student's device talked to the laptop and to nothing else
    hosts = {host.rsplit(":", 1)[0] for host in seen["hosts"]}
    assert hosts == {HOST_IP}, seen["hosts"]
    for name in ("join_page", "vision_signed_in", "vision_live"):
        assert (ARTIFACTS / f"classroom_mode_{name}.png").stat().st_size > 10_000
