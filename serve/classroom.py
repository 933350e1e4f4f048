"""Classroom network mode (``python -m serve --classroom``, ``make classroom``): HTTPS on the
laptop's LAN address with a certificate from a CA made once on the laptop (browsers give the
camera only to secure origins), and a plain-HTTP join page with the address, its QR code, the
CA certificate and instructions in three languages (docs/classroom.md)."""

from __future__ import annotations

import dataclasses
import errno
import ipaddress
import os
import socket

from serve.configs import Plan, Tls


def classroom_address(requested: str | None) -> str:
    """The LAN address to serve the class on: --address/ADDRESS, or the one found."""
    from serve.lan import lan_address

    address = requested or os.environ.get("ADDRESS") or lan_address()
    if not address:
        raise SystemExit(
            "classroom mode: no network address found; join the classroom network, "
            "or give one with ADDRESS=… (make classroom) or --address"
        )
    try:
        parsed = ipaddress.IPv4Address(address)
    except ValueError as exc:
        raise SystemExit(f"classroom mode needs an IPv4 address, got {address!r}") from exc
    if parsed.is_unspecified:
        raise SystemExit("classroom mode serves one address, not 0.0.0.0: give the LAN address")
    return address


def with_classroom(plan: Plan, join_port: int) -> Plan:
    """The certificates (made once, renewed when the address changes) and the join page."""
    from core.config import load_settings
    from serve import tls
    from serve.join_page import render

    if plan.proxy is None:
        raise SystemExit(
            "classroom mode needs HAProxy for HTTPS: `make proxy` (or apt-get install haproxy)"
        )
    if join_port == plan.port:
        raise SystemExit("the join page needs a port of its own (--join-port)")
    for port, name in ((plan.port, "PORT"), (join_port, "JOIN_PORT")):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                sock.bind((plan.address, port))
        except OSError as exc:
            hint = (
                "it is not an address of this laptop: ADDRESS=…"
                if exc.errno == errno.EADDRNOTAVAIL
                else f"choose another {name}=…"
            )
            message = f"cannot serve on {plan.address}:{port} ({exc.strerror}): {hint}"
            raise SystemExit(message) from exc
    files = tls.ensure(load_settings().data_dir / "tls", plan.address)
    if "ca" in files.issued:
        print(f"a new class certificate (CA) was made: {files.ca_cert}", flush=True)
    elif "server" in files.issued:
        print(
            f"a new server certificate for {plan.address} (the class CA is unchanged)", flush=True
        )
    page = plan.run_dir / "join.html"
    page.write_text(
        render(https_url(plan), join_url(plan, join_port), tls.fingerprint(files.ca_cert)),
        encoding="utf-8",
    )
    return dataclasses.replace(
        plan, tls=Tls(pem=files.pem, join_port=join_port, join_page=page, ca_cert=files.ca_cert)
    )


def https_url(plan: Plan) -> str:
    return f"https://{plan.address}" + ("" if plan.port == 443 else f":{plan.port}")


def join_url(plan: Plan, join_port: int) -> str:
    return f"http://{plan.address}" + ("" if join_port == 80 else f":{join_port}")


def banner(plan: Plan) -> str:
    """What the teacher's terminal shows: both addresses (labels in kk, ru, en), the join page's
    QR code, and the class certificate's fingerprint."""
    import io

    import segno

    from core.config import LANGUAGES
    from core.i18n import t
    from serve.tls import fingerprint

    assert plan.tls is not None
    join = join_url(plan, plan.tls.join_port)

    def label(key: str) -> str:
        return " · ".join(t(f"classroom_mode.{key}", lang).rstrip(":") for lang in LANGUAGES)

    qr = io.StringIO()
    segno.make(join, error="m").terminal(out=qr, compact=True)
    return (
        f"\n{label('help_page')}:\n    {join}\n{qr.getvalue()}"
        f"{label('open')}:\n    {https_url(plan)}\n"
        f"{label('fingerprint')}:\n    {fingerprint(plan.tls.ca_cert)}\n"
        f"(class certificate: {plan.tls.ca_cert}; delete its folder to make a new one)\n"
    )
