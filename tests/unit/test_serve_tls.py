"""Classroom mode's certificates (serve/tls.py), LAN address (serve/lan.py), join page
(serve/join_page.py) and HAProxy configuration (serve/configs.py)."""

from __future__ import annotations

import ipaddress
import re
import ssl
import stat
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.verification import PolicyBuilder, Store

from core.config import LANGUAGES
from core.i18n import missing_seen, t
from serve import lan, tls
from serve.configs import Plan, Tls, haproxy_cfg
from serve.join_page import MAX_BYTES, render

LAN = "10.77.0.1"


def _cert(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def _san(path: Path) -> x509.SubjectAlternativeName:
    return _cert(path).extensions.get_extension_for_class(x509.SubjectAlternativeName).value


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _verify(files: tls.TlsFiles, name: x509.DNSName | x509.IPAddress, when: datetime) -> None:
    """The server certificate chains to the CA for ``name``, as a browser checks it."""
    store = Store([_cert(files.ca_cert)])
    verifier = PolicyBuilder().store(store).time(when).build_server_verifier(name)
    chain = verifier.verify(_cert(files.server_cert), [])
    assert chain[-1] == _cert(files.ca_cert)


@pytest.fixture
def files(tmp_path: Path) -> tls.TlsFiles:
    return tls.ensure(tmp_path / "tls", LAN, "teacher-laptop")


def test_first_start_makes_a_ca_and_a_server_certificate(files: tls.TlsFiles) -> None:
    assert files.issued == ("ca", "server")
    ca = _cert(files.ca_cert)
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert ca.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == tls.CA_NAME
    life = ca.not_valid_after_utc - ca.not_valid_before_utc
    assert timedelta(days=5 * 365) <= life <= timedelta(days=5 * 366 + 2)
    server = _cert(files.server_cert)
    life = server.not_valid_after_utc - server.not_valid_before_utc
    assert timedelta(days=365) <= life <= timedelta(days=367)
    assert isinstance(server.public_key(), ec.EllipticCurvePublicKey)
    usage = server.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert x509.oid.ExtendedKeyUsageOID.SERVER_AUTH in usage


def test_san_has_the_lan_ip_hostname_and_localhost(files: tls.TlsFiles) -> None:
    san = _san(files.server_cert)
    assert san.get_values_for_type(x509.IPAddress) == [
        ipaddress.ip_address(LAN),
        ipaddress.ip_address("127.0.0.1"),
    ]
    assert set(san.get_values_for_type(x509.DNSName)) == {
        "teacher-laptop",
        "teacher-laptop.local",
        "localhost",
    }


def test_the_chain_verifies_against_the_ca(files: tls.TlsFiles) -> None:
    now = datetime.now(UTC)
    names: list[x509.DNSName | x509.IPAddress] = [
        x509.IPAddress(ipaddress.ip_address(LAN)),
        x509.DNSName("teacher-laptop"),
        x509.DNSName("localhost"),
    ]
    for name in names:
        _verify(files, name, now)
    with pytest.raises(x509.verification.VerificationError):
        _verify(files, x509.IPAddress(ipaddress.ip_address("10.77.0.9")), now)
    # Python's ssl (OpenSSL) accepts HAProxy's PEM and the CA as a trust anchor.
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(files.pem)
    client = ssl.create_default_context(cafile=str(files.ca_cert))
    assert client.cert_store_stats()["x509_ca"] == 1


def test_keys_are_private(files: tls.TlsFiles) -> None:
    assert _mode(files.ca_key) == 0o600
    assert _mode(files.server_key) == 0o600
    assert _mode(files.pem) == 0o600
    assert _mode(files.folder) == 0o700
    assert _mode(files.ca_cert) == 0o644
    assert b"PRIVATE KEY" not in files.ca_cert.read_bytes()
    assert b"PRIVATE KEY" not in files.server_cert.read_bytes()


def test_a_second_start_reuses_everything(files: tls.TlsFiles) -> None:
    before = {p: p.read_bytes() for p in files.folder.iterdir()}
    again = tls.ensure(files.folder, LAN, "teacher-laptop")
    assert again.issued == ()
    assert {p: p.read_bytes() for p in files.folder.iterdir()} == before


def test_a_new_address_makes_a_new_server_certificate_under_the_same_ca(
    files: tls.TlsFiles,
) -> None:
    ca, server = files.ca_cert.read_bytes(), files.server_cert.read_bytes()
    moved = tls.ensure(files.folder, "192.168.1.23", "teacher-laptop")
    assert moved.issued == ("server",)
    assert files.ca_cert.read_bytes() == ca
    assert files.server_cert.read_bytes() != server
    ips = _san(files.server_cert).get_values_for_type(x509.IPAddress)
    assert ipaddress.ip_address("192.168.1.23") in ips
    assert ipaddress.ip_address(LAN) not in ips
    _verify(files, x509.IPAddress(ipaddress.ip_address("192.168.1.23")), datetime.now(UTC))
    assert _mode(files.server_key) == 0o600


def test_due_certificates_are_renewed(files: tls.TlsFiles) -> None:
    soon = datetime.now(UTC) + timedelta(days=350)
    assert tls.ensure(files.folder, LAN, "teacher-laptop", now=soon).issued == ("server",)
    later = datetime.now(UTC) + timedelta(days=5 * 365 - 10)
    assert tls.ensure(files.folder, LAN, "teacher-laptop", now=later).issued == ("ca", "server")


def test_a_lost_ca_key_or_a_foreign_server_certificate_is_replaced(
    files: tls.TlsFiles, tmp_path: Path
) -> None:
    other = tls.ensure(tmp_path / "other", LAN, "teacher-laptop")
    files.server_cert.write_bytes(other.server_cert.read_bytes())
    files.server_key.write_bytes(other.server_key.read_bytes())
    assert tls.ensure(files.folder, LAN, "teacher-laptop").issued == ("server",)
    _verify(files, x509.IPAddress(ipaddress.ip_address(LAN)), datetime.now(UTC))
    files.ca_key.unlink()
    assert tls.ensure(files.folder, LAN, "teacher-laptop").issued == ("ca", "server")
    assert _mode(files.ca_key) == 0o600


def test_spki_hash_and_fingerprint(files: tls.TlsFiles) -> None:
    assert re.fullmatch(r"[A-Za-z0-9+/]{43}=", tls.spki_hash(files.server_cert))
    assert re.fullmatch(r"([0-9A-F]{2}:){31}[0-9A-F]{2}", tls.fingerprint(files.ca_cert))


def test_odd_hostnames_are_left_out_of_the_certificate(tmp_path: Path) -> None:
    made = tls.ensure(tmp_path / "tls", LAN, "Laptop of Aigerim_2")
    assert _san(made.server_cert).get_values_for_type(x509.DNSName) == ["localhost"]


ROUTES = """Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0
eth0\t00000000\t0100000A\t0003\t0\t0\t100\t00000000\t0\t0\t0
"""


def test_the_default_route_interface_is_found(tmp_path: Path) -> None:
    table = tmp_path / "route"
    table.write_text(ROUTES)
    assert lan.default_route_interface(table) == "eth0"
    assert lan.default_route_interface(tmp_path / "missing") is None


def test_the_lan_address_prefers_the_default_route() -> None:
    addresses = [
        ("lo", "127.0.0.1"),
        ("docker0", "172.17.0.1"),
        ("wlan0", "192.168.1.23"),
        ("eth0", "10.0.0.5"),
    ]
    assert lan.choose_address(addresses, "eth0") == "10.0.0.5"
    assert lan.choose_address(addresses, None) == "192.168.1.23"
    assert lan.choose_address([("lo", "127.0.0.1"), ("en0", "169.254.3.4")], None) is None


def test_the_join_page_is_trilingual_escaped_and_self_contained() -> None:
    https, join = "https://10.77.0.1:8443", "http://10.77.0.1:8080"
    page = render(https, join, "AB:CD")
    assert len(page.encode()) < MAX_BYTES
    for lang in LANGUAGES:
        assert f'<section id="{lang}" lang="{lang}">' in page
        for key in ("title", "certificate", "students.quick", "iphone.step_3", "windows.step_2"):
            text = t(f"classroom_mode.{key}", lang)
            assert text.replace('"', "&quot;").replace("'", "&#x27;") in page, (lang, key)
    assert not {(lang, key) for lang, key in missing_seen() if key.startswith("classroom_mode")}
    assert page.count('href="/zerde-ca.crt"') == 3
    assert page.count("<svg") == 1 and "<path" in page
    assert "<script" not in page
    links = re.findall(r'(?:src|href)="([^"#]+)"', page)
    assert set(links) == {https, join, "/zerde-ca.crt"}, links

    tags: list[str] = []
    parser = HTMLParser()
    parser.handle_starttag = lambda tag, attrs: tags.append(tag)  # type: ignore[method-assign]
    parser.feed(page)
    assert {"svg", "details", "ol", "a"} <= set(tags)
    hostile = render('https://x"><script>alert(1)</script>', join, "<b>")
    assert "<script>" not in hostile and "&lt;b&gt;" in hostile


def test_haproxy_serves_https_and_the_join_port(tmp_path: Path) -> None:
    base = Plan(
        root=tmp_path,
        run_dir=tmp_path / "run",
        python=tmp_path / "bin" / "python",
        address=LAN,
        port=8443,
        web_ports=(9001, 9002),
        job_workers=1,
        proxy=Path("/usr/sbin/haproxy"),
    )
    plain = haproxy_cfg(base)
    assert "ssl" not in plain and "tune.bufsize" not in plain and "secure" not in plain
    pem, page, ca = tmp_path / "tls" / "haproxy.pem", tmp_path / "join.html", tmp_path / "ca.crt"
    cfg = haproxy_cfg(
        Plan(**{**base.__dict__, "tls": Tls(pem=pem, join_port=8080, join_page=page, ca_cert=ca)})
    )
    frontends = dict(re.findall(r"^frontend (\w+)\n((?:    .*\n)+)", cfg, re.M))
    assert set(frontends) == {"join", "zerde"}
    assert f'bind {LAN}:8443 ssl crt "{pem}"' in frontends["zerde"]
    assert "default_backend web" in frontends["zerde"]
    assert f"bind {LAN}:8080\n" in frontends["join"]
    assert "default_backend" not in frontends["join"]
    assert f'file "{page}"' in frontends["join"] and f'file "{ca}"' in frontends["join"]
    assert "tune.bufsize 32768" in cfg
    assert "httponly secure" in cfg
