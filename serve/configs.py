"""The configuration files of the local stack, rendered from one plan: HAProxy in front of
several Streamlit processes (sticky sessions, WebSockets, health checks), the job workers and
the vision worker, all kept running by supervisord.

Pure functions of a ``Plan``, so the files can be checked in tests without starting anything.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

STICKY_COOKIE = "ZERDE_WEB"


@dataclass(frozen=True)
class Tls:
    """HTTPS for classroom mode: the certificate (with key) HAProxy serves, and the plain-HTTP
    port that shows the join page and hands out the certificate students need."""

    pem: Path
    join_port: int
    join_page: Path
    ca_cert: Path


@dataclass(frozen=True)
class Plan:
    root: Path  # the project
    run_dir: Path  # configs, logs and sockets of this stack
    python: Path  # the platform venv's python
    address: str  # where students connect
    port: int
    web_ports: tuple[int, ...]  # one Streamlit process each
    job_workers: int
    proxy: Path | None  # haproxy; None: a single Streamlit process serves the port itself
    vision_python: Path | None = None  # .venv-vision's python, when the vision lab is built
    vision_port: int = 0
    vision_home: Path = Path("data/vision")
    models_dir: Path = Path("models")
    vision_max_rss_mb: float = 6000.0
    tls: Tls | None = None
    jobs_nice: int = 5  # job workers yield the CPU to page runs when both want it

    @property
    def bin(self) -> Path:
        return self.python.parent


def haproxy_cfg(plan: Plan) -> str:
    """Sticky by an inserted cookie: a Streamlit session lives in one process's memory, and its
    WebSocket, uploads and media must reach that process. A replica that stops answering its
    health check is taken out within seconds; its students reconnect to another one, where
    their sign-in cookie brings them back (sign-ins live in the database)."""
    servers = "\n".join(
        f"    server web{i} 127.0.0.1:{port} check cookie web{i}"
        for i, port in enumerate(plan.web_ports, start=1)
    )
    if plan.tls is None:
        front = f"frontend zerde\n    bind {plan.address}:{plan.port}\n"
        tune = cookie_secure = ""
    else:
        front = _tls_frontends(plan, plan.tls)
        # the join page is answered from one buffer (serve/join_page.py keeps it below 28 kB)
        tune = "    tune.bufsize 32768\n"
        cookie_secure = " secure"
    return f"""# Written by `python -m serve` at each start; edit serve/configs.py instead.
global
    maxconn 4096
{tune}
defaults
    mode http
    option redispatch
    retries 2
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout http-request 15s
    timeout tunnel 2h
    # A Streamlit process busy with a heavy script run answers its health check late; only a
    # process that does not answer at all (refused, or silent for 20 s) is taken out.
    timeout check 20s

{front}    # The sign-in throttle counts failures per client address (core/accounts/throttle.py):
    # the address a browser claims is dropped; HAProxy sets the one it really connected from.
    http-request del-header X-Forwarded-For
    option forwardfor
    default_backend web

backend web
    balance leastconn
    cookie {STICKY_COOKIE} insert indirect nocache httponly{cookie_secure} attr "SameSite=Lax"
    option httpchk GET /_stcore/health
    http-check expect status 200
    default-server inter 3s fall 3 rise 1
{servers}
"""


def _tls_frontends(plan: Plan, tls: Tls) -> str:
    """HTTPS for the app (HAProxy holds the certificate; the Streamlit processes behind it stay
    on loopback in plain HTTP), and on a second port, in plain HTTP, the join page and the CA
    certificate a student's device must trust. The HTTPS port answers nothing in plain HTTP.
    HTTP/1.1 only: the WebSockets stay plain HTTP/1.1 upgrades all the way to Streamlit."""
    ca = (
        f"http-request return status 200 content-type application/x-x509-ca-cert "
        f'file "{tls.ca_cert}" hdr Content-Disposition "attachment; filename=zerde-ca.crt" '
        f"hdr Cache-Control no-store if {{ path /zerde-ca.crt }}"
    )
    return (
        f"frontend join\n"
        f"    bind {plan.address}:{tls.join_port}\n"
        f"    {ca}\n"
        f'    http-request return status 200 content-type "text/html; charset=utf-8" '
        f'file "{tls.join_page}" hdr Cache-Control no-store\n'
        f"\n"
        f"frontend zerde\n"
        f'    bind {plan.address}:{plan.port} ssl crt "{tls.pem}" '
        f"alpn http/1.1 ssl-min-ver TLSv1.2\n"
        f"    http-request set-header X-Forwarded-Proto https\n"
        f"    {ca}\n"
    )


def _program(name: str, command: list[str], plan: Plan, *, stopsignal: str = "INT") -> str:
    # Children log to supervisord's own output (the terminal of `make run`); supervisord
    # restarts whatever dies and stops the process groups on Ctrl-C.
    quoted = " ".join(shlex.quote(part) for part in command).replace("%", "%%")
    return f"""
[program:{name}]
command={quoted}
directory={plan.root}
autostart=true
autorestart=true
startsecs=2
startretries=20
stopasgroup=true
killasgroup=true
stopwaitsecs=10
stopsignal={stopsignal}
redirect_stderr=true
stdout_logfile=/dev/stdout
stdout_logfile_maxbytes=0
"""


def web_command(plan: Plan, port: int) -> list[str]:
    return [
        str(plan.bin / "streamlit"), "run", "app.py",
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true",
    ]  # fmt: skip


def supervisord_conf(plan: Plan) -> str:
    run = plan.run_dir
    parts = [
        f"""# Written by `python -m serve` at each start; edit serve/configs.py instead.
[supervisord]
nodaemon=true
logfile={run / "supervisord.log"}
pidfile={run / "supervisord.pid"}
childlogdir={run}
loglevel=warn

[unix_http_server]
file={run / "supervisor.sock"}
chmod=0700

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://{run / "supervisor.sock"}
"""
    ]
    consumer = [
        "nice", "-n", str(plan.jobs_nice), str(plan.bin / "huey_consumer"), "core.jobs.engine.huey",
        "--worker-type", "process", "--workers", str(plan.job_workers),
        "--delay", "0.05", "--max-delay", "0.5", "--backoff", "1.2",
        "--no-periodic", "--health-check-interval", "2",
    ]  # fmt: skip
    # TERM: stop at once (INT would wait for running trainings; they are reported as lost)
    parts.append(_program("jobs", consumer, plan, stopsignal="TERM"))
    if plan.vision_python is not None:
        vision = [
            str(plan.vision_python), "-m", "core.vision.worker",
            "--host", "127.0.0.1", "--port", str(plan.vision_port),
            "--home", str(plan.vision_home), "--models-dir", str(plan.models_dir),
            "--max-rss-mb", str(plan.vision_max_rss_mb),
            # supervisord killed with SIGKILL must not leave ~1 GB of models behind; it is
            # single-threaded, so the kernel's parent-death signal is safe here
            "--exit-with-parent", "signal",
        ]  # fmt: skip
        parts.append(_program("vision", vision, plan, stopsignal="TERM"))
    for i, port in enumerate(plan.web_ports, start=1):
        parts.append(_program(f"web{i}", web_command(plan, port), plan))
    if plan.proxy is not None:
        config = str(run / "haproxy.cfg")
        parts.append(_program("proxy", [str(plan.proxy), "-W", "-db", "-f", config], plan))
    return "".join(parts)
