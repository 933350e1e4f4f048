"""The local stack's configuration (serve/configs.py): what `make run` starts, checked without
starting it. HAProxy's file is also checked by HAProxy itself when it is installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from serve.configs import STICKY_COOKIE, Plan, haproxy_cfg, supervisord_conf


def _plan(tmp_path: Path, proxy: Path | None = Path("/usr/sbin/haproxy")) -> Plan:
    return Plan(
        root=tmp_path,
        run_dir=tmp_path / "run",
        python=Path("/venv/bin/python"),
        address="127.0.0.1",
        port=8501,
        web_ports=(8611, 8612, 8613),
        job_workers=2,
        proxy=proxy,
        vision_python=Path("/venv-vision/bin/python"),
        vision_port=8700,
    )


def test_haproxy_spreads_new_sessions_and_keeps_each_on_its_process(tmp_path: Path) -> None:
    cfg = haproxy_cfg(_plan(tmp_path))
    assert "bind 127.0.0.1:8501" in cfg
    assert f"cookie {STICKY_COOKIE} insert indirect nocache" in cfg  # sticky sessions
    assert "balance leastconn" in cfg and "timeout tunnel" in cfg  # long-lived WebSockets
    assert "option httpchk GET /_stcore/health" in cfg and "option redispatch" in cfg
    for i, port in enumerate((8611, 8612, 8613), start=1):
        assert f"server web{i} 127.0.0.1:{port} check cookie web{i}" in cfg


@pytest.mark.skipif(not shutil.which("haproxy", path="/usr/sbin:/usr/bin"), reason="no HAProxy")
def test_haproxy_accepts_the_file(tmp_path: Path) -> None:
    path = tmp_path / "haproxy.cfg"
    path.write_text(haproxy_cfg(_plan(tmp_path)))
    haproxy = shutil.which("haproxy", path="/usr/sbin:/usr/bin")
    assert haproxy is not None
    checked = subprocess.run(
        [haproxy, "-c", "-f", str(path)], check=False, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_supervisord_runs_every_part_and_restarts_what_dies(tmp_path: Path) -> None:
    conf = supervisord_conf(_plan(tmp_path))
    programs = [line for line in conf.splitlines() if line.startswith("[program:")]
    assert programs == [
        "[program:jobs]", "[program:vision]", "[program:web1]", "[program:web2]",
        "[program:web3]", "[program:proxy]",
    ]  # fmt: skip
    assert conf.count("autorestart=true") == len(programs)
    assert "core.jobs.engine.huey --worker-type process --workers 2" in conf
    assert "--server.port 8612 --server.address 127.0.0.1" in conf
    assert "-m core.vision.worker --host 127.0.0.1 --port 8700" in conf


def test_without_haproxy_one_streamlit_process_serves_the_port(tmp_path: Path) -> None:
    plan = _plan(tmp_path, proxy=None)
    plan = Plan(**{**plan.__dict__, "web_ports": (8501,), "vision_python": None})
    conf = supervisord_conf(plan)
    assert "[program:proxy]" not in conf and "[program:vision]" not in conf
    assert "--server.port 8501 --server.address 127.0.0.1" in conf


def test_haproxy_replaces_a_forwarded_for_the_browser_made_up(tmp_path: Path) -> None:
    """The sign-in throttle trusts the last X-Forwarded-For behind the proxy: the proxy must drop
    the header a browser sends and set its own (else a forged address dodges the throttle)."""
    config = haproxy_cfg(_plan(tmp_path))
    frontend = config.split("frontend zerde", 1)[1].split("backend web", 1)[0]
    assert "http-request del-header X-Forwarded-For" in frontend
    assert "option forwardfor" in frontend
