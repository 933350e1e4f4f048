"""Certificates for classroom mode: a certificate authority made once on the teacher's laptop,
and a server certificate it signs for the laptop's LAN address.

Browsers give the camera only to secure origins, so students' devices must reach the laptop over
HTTPS, with no internet to get a public certificate. Students trust the class CA once (or
accept the warning); the server certificate under it is remade whenever the laptop's address
is not in it (another network), expires soon, or was not signed by the CA in the folder, and
students need not trust anything new. Everything lives in one folder (``$ZERDE_DATA_DIR/tls``):
deleting it resets the class certificate.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import os
import re
import socket
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_DAYS = 5 * 365
SERVER_DAYS = 365
RENEW_BEFORE = timedelta(days=30)
# Students' clocks are often off: certificates are valid from a day before they were made.
BACKDATE = timedelta(days=1)
CA_NAME = "Zerde classroom CA"
HOSTNAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})*")


@dataclass(frozen=True)
class TlsFiles:
    """The folder's files, and which of them this start (re)made: "ca", "server"."""

    folder: Path
    issued: tuple[str, ...] = field(default=())

    @property
    def ca_cert(self) -> Path:  # what students download and trust
        return self.folder / "zerde-ca.crt"

    @property
    def ca_key(self) -> Path:
        return self.folder / "zerde-ca.key"

    @property
    def server_cert(self) -> Path:
        return self.folder / "server.crt"

    @property
    def server_key(self) -> Path:
        return self.folder / "server.key"

    @property
    def pem(self) -> Path:  # certificate, CA and key in one file, as HAProxy's `crt` wants
        return self.folder / "haproxy.pem"


def ensure(
    folder: Path, address: str, hostname: str | None = None, *, now: datetime | None = None
) -> TlsFiles:
    """Make the CA if there is none (or it expires soon), and the server certificate if it does
    not cover ``address`` and ``hostname`` or is due; reuse both otherwise."""
    now = now or datetime.now(UTC)
    files = TlsFiles(folder)
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    names = san_names(address, hostname)
    issued: list[str] = []
    ca = _load_ca(files, now)
    if ca is None:
        ca = _make_ca(files, now, hostname or socket.gethostname())
        issued.append("ca")
    if issued or not _server_is_good(files, ca[0], names, now):
        _make_server(files, ca, names, now)
        issued.append("server")
    return TlsFiles(folder, tuple(issued))


def san_names(address: str, hostname: str | None = None) -> list[x509.GeneralName]:
    """The LAN IP, the laptop's name (and its mDNS .local name), localhost and 127.0.0.1."""
    host = hostname if hostname is not None else socket.gethostname()
    names: list[x509.GeneralName] = [x509.IPAddress(ipaddress.ip_address(address))]
    dns: list[str] = []
    if HOSTNAME.fullmatch(host) and host != "localhost":
        dns += [host, f"{host}.local"] if "." not in host else [host]
    dns.append("localhost")
    names += [x509.DNSName(d) for d in dns]
    if address != "127.0.0.1":
        names.append(x509.IPAddress(ipaddress.ip_address("127.0.0.1")))
    return names


def fingerprint(cert_path: Path) -> str:
    """SHA-256 of the certificate, as phones and Windows show it (AB:CD:…)."""
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    return cert.fingerprint(hashes.SHA256()).hex(":").upper()


def spki_hash(cert_path: Path) -> str:
    """base64(SHA-256(SubjectPublicKeyInfo)), the form Chromium's
    --ignore-certificate-errors-spki-list takes."""
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    spki = cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(hashlib.sha256(spki).digest()).decode()


def _write(path: Path, data: bytes, mode: int) -> None:
    """Atomically, with the mode set from the start (a key is never readable by others)."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    tmp.chmod(mode)
    tmp.replace(path)


def _usage(**on: bool) -> x509.KeyUsage:
    """Digital signature (ECDSA handshakes, and the CA's own signatures) plus what ``on`` adds."""
    flags = dict.fromkeys(
        ("content_commitment", "key_encipherment", "data_encipherment", "key_agreement",
         "key_cert_sign", "crl_sign", "encipher_only", "decipher_only"),
        False,
    )  # fmt: skip
    return x509.KeyUsage(digital_signature=True, **(flags | on))


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _load_ca(
    files: TlsFiles, now: datetime
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None:
    try:
        cert = x509.load_pem_x509_certificate(files.ca_cert.read_bytes())
        key = serialization.load_pem_private_key(files.ca_key.read_bytes(), password=None)
    except (OSError, ValueError):
        return None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.public_key() != cert.public_key():
        return None
    if cert.not_valid_after_utc - RENEW_BEFORE < now:
        return None
    files.ca_key.chmod(0o600)
    return cert, key


def _make_ca(
    files: TlsFiles, now: datetime, hostname: str
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Zerde"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, hostname[:64] or "laptop"),
        ]
    )
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(now + timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(key_cert_sign=True, crl_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write(files.ca_key, _key_pem(key), 0o600)
    _write(files.ca_cert, cert.public_bytes(serialization.Encoding.PEM), 0o644)
    return cert, key


def _server_is_good(
    files: TlsFiles, ca: x509.Certificate, names: list[x509.GeneralName], now: datetime
) -> bool:
    try:
        cert = x509.load_pem_x509_certificate(files.server_cert.read_bytes())
        key = serialization.load_pem_private_key(files.server_key.read_bytes(), password=None)
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        cert.verify_directly_issued_by(ca)
    except (OSError, ValueError, TypeError, InvalidSignature, x509.ExtensionNotFound):
        return False
    if not files.pem.exists() or key.public_key() != cert.public_key():
        return False
    if cert.not_valid_after_utc - RENEW_BEFORE < now:
        return False
    return all(name in san for name in names)


def _make_server(
    files: TlsFiles,
    ca: tuple[x509.Certificate, ec.EllipticCurvePrivateKey],
    names: list[x509.GeneralName],
    now: datetime,
) -> None:
    ca_cert, ca_key = ca
    key = ec.generate_private_key(ec.SECP256R1())
    first = names[0]
    common = str(first.value)
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)]))
        .issuer_name(ca_cert.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(min(now + timedelta(days=SERVER_DAYS), ca_cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    ca_pem = ca_cert.public_bytes(serialization.Encoding.PEM)
    _write(files.server_key, _key_pem(key), 0o600)
    _write(files.server_cert, cert_pem, 0o644)
    _write(files.pem, cert_pem + ca_pem + _key_pem(key), 0o600)
