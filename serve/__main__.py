"""Start the local stack behind ``make run``: ``python -m serve [--port 8501] [--address …]``.

One Streamlit process uses one core for Python, and a class of thirty needs more: several
Streamlit processes serve the pages behind HAProxy (sticky sessions, WebSockets), Huey's
consumer runs trainings in worker processes, and the vision worker serves the camera lab;
supervisord keeps them all running and stops them together (Ctrl-C). Without HAProxy
installed, one Streamlit process serves the port directly (everything else is the same).

State that must be shared lives in the database (sign-ins, jobs, telemetry) and the data
folder; the cookie secret is kept in the data folder so tabs stay valid across restarts.

``--classroom`` (``make classroom``) serves the class over the school network instead of
loopback: HTTPS on the laptop's LAN address (browsers give the camera only to secure origins),
with a certificate signed by a CA made once on the laptop, and on a second port, in plain HTTP,
a join page with the address, its QR code, the CA certificate and instructions (docs/classroom.md).
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import socket
import sys
from pathlib import Path

from serve import classroom
from serve.configs import Plan, haproxy_cfg, supervisord_conf

ROOT = Path(__file__).resolve().parents[1]


def free_port(address: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((address, 0))
        return int(sock.getsockname()[1])


def cookie_secret(run_dir: Path) -> str:
    """One secret for every web process and every restart: XSRF tokens signed by one process
    are accepted by the others, and tabs opened before a restart keep working."""
    path = run_dir / "cookie_secret"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def find_haproxy() -> Path | None:
    found = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/usr/local/sbin")
    return Path(found) if found else None


def _positive(raw: str | None, default: int) -> int:
    value = int(raw) if raw and raw.strip() else default
    if value < 1:
        raise SystemExit("the number of processes must be at least 1")
    return value


def plan_from(args: argparse.Namespace) -> Plan:
    """Decide ports and processes and set the environment every child inherits."""
    from core.config import load_settings

    settings = load_settings()
    run_dir = settings.data_dir / "run"
    run_dir.mkdir(parents=True, exist_ok=True)
    cores = os.cpu_count() or 1
    env = os.environ
    env.setdefault("ZERDE_JOB_QUEUE", f"sqlite:///{settings.data_dir / 'job-queue.db'}")
    env["STREAMLIT_SERVER_COOKIE_SECRET"] = env.get(
        "STREAMLIT_SERVER_COOKIE_SECRET"
    ) or cookie_secret(run_dir)
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(name, "1")
    jobs = _positive(args.jobs or env.get("ZERDE_MAX_JOBS"), cores)
    env["ZERDE_MAX_JOBS"] = str(jobs)
    proxy = None if args.no_proxy else find_haproxy()
    web = _positive(args.web or env.get("ZERDE_WEB_PROCESSES"), cores) if proxy else 1
    web_ports = tuple(free_port() for _ in range(web)) if proxy else (args.port,)

    vision_python = ROOT / ".venv-vision" / "bin" / "python"
    local_vision = not env.get("ZERDE_VISION_WORKER") and vision_python.exists()
    vision_port = free_port() if local_vision else 0
    if local_vision:
        env["ZERDE_VISION_WORKER"] = f"tcp://127.0.0.1:{vision_port}"
        env["ZERDE_VISION_TOKEN"] = env.get("ZERDE_VISION_TOKEN") or secrets.token_hex(16)
    return Plan(
        root=ROOT,
        run_dir=run_dir,
        python=Path(sys.executable),
        address=args.address,
        port=args.port,
        web_ports=web_ports,
        job_workers=jobs,
        proxy=proxy,
        vision_python=vision_python if local_vision else None,
        vision_port=vision_port,
        vision_home=settings.data_dir / "vision",
        models_dir=Path(env.get("ZERDE_MODELS_DIR", str(ROOT / "models"))).resolve(),
        vision_max_rss_mb=float(env.get("ZERDE_VISION_MAX_RSS_MB", "6000")),
        jobs_nice=int(env.get("ZERDE_JOBS_NICE", "5")),
    )


def prepare(plan: Plan) -> Path:
    """Migrate the embedded database, settle jobs left by the last run, write the configs."""
    from core.config import load_settings
    from core.db import upgrade_to_head
    from core.jobs import recover

    if load_settings().is_sqlite:
        upgrade_to_head()
    released, requeued = recover()
    if released or requeued:
        print(f"jobs from the last run: {released} released, {requeued} queued again")
    if plan.proxy is not None:
        (plan.run_dir / "haproxy.cfg").write_text(haproxy_cfg(plan))
    conf = plan.run_dir / "supervisord.conf"
    conf.write_text(supervisord_conf(plan))
    return conf


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m serve", description=__doc__)
    parser.add_argument("--address", help="default: ADDRESS or 127.0.0.1 (classroom: found)")
    parser.add_argument("--port", type=int, help="default: PORT or 8501 (classroom: 8443)")
    parser.add_argument("--web", help="Streamlit processes (default: one per core)")
    parser.add_argument("--jobs", help="job worker processes (default: ZERDE_MAX_JOBS or cores)")
    parser.add_argument("--no-proxy", action="store_true", help="one Streamlit process, no HAProxy")
    parser.add_argument(
        "--classroom", action="store_true", help="HTTPS on the LAN address, and a join page"
    )
    parser.add_argument(
        "--join-port", type=int, help="classroom: the join page's port (JOIN_PORT or 8080)"
    )
    args = parser.parse_args(argv)
    if args.classroom:
        if args.no_proxy:
            raise SystemExit("classroom mode needs HAProxy for HTTPS: drop --no-proxy")
        args.address = classroom.classroom_address(args.address)
        args.port = args.port or int(os.environ.get("PORT", "8443"))
        join_port = args.join_port or int(os.environ.get("JOIN_PORT", "8080"))
    else:
        args.address = args.address or os.environ.get("ADDRESS", "127.0.0.1")
        args.port = args.port or int(os.environ.get("PORT", "8501"))
    os.chdir(ROOT)
    plan = plan_from(args)
    if args.classroom:
        plan = classroom.with_classroom(plan, join_port)
    conf = prepare(plan)
    host = "127.0.0.1" if plan.address in ("0.0.0.0", "::") else plan.address
    vision = "a vision worker" if plan.vision_python else "no local vision worker"
    if plan.tls is not None:
        print(classroom.banner(plan), flush=True)
    scheme = "https" if plan.tls is not None else "http"
    print(
        f"Zerde on {scheme}://{host}:{plan.port}: {len(plan.web_ports)} web process(es)"
        f"{' behind HAProxy' if plan.proxy else ''}, {plan.job_workers} job worker(s), {vision}."
        f" Logs below; Ctrl-C stops everything.",
        flush=True,
    )
    supervisord = str(plan.bin / "supervisord")
    os.execv(supervisord, [supervisord, "-n", "-c", str(conf)])
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
