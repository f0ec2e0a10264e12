"""A self-signed TLS certificate for `make run HTTPS=1`, made on first use and kept in instance/.

Browsers allow the live camera only on https (or localhost), so a phone on the LAN needs https. The
certificate names localhost, this machine's name and its addresses; phones warn once about it being
self-signed (README "Scan with a phone or webcam").
"""
from __future__ import annotations

import datetime as dt
import ipaddress
import os
import socket
import subprocess
from pathlib import Path

import click
from flask import Flask

CERT_NAME = "tls-cert.pem"
KEY_NAME = "tls-key.pem"
# iOS refuses server certificates valid for longer than 825 days.
VALID_DAYS = 825


def _host_names() -> tuple[list[str], list[ipaddress._BaseAddress]]:
    """DNS names and IP addresses this machine is reached by, as far as it knows them."""
    names = {"localhost", socket.gethostname()}
    try:
        names.add(socket.getfqdn())
    except OSError:
        pass
    addresses = {ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1")}
    for name in list(names):
        try:
            for info in socket.getaddrinfo(name, None):
                addresses.add(ipaddress.ip_address(info[4][0].split("%")[0]))
        except (OSError, ValueError):
            continue
    try:  # the LAN addresses phones will use (Linux); TLS_NAMES adds any others
        found = subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=5).stdout.split()
    except (OSError, subprocess.SubprocessError):
        found = []
    extra = ",".join(found + [os.environ.get("TLS_NAMES", "")])  # e.g. "inventory.lan,192.168.1.20"
    for item in filter(None, (part.strip() for part in extra.split(","))):
        try:
            addresses.add(ipaddress.ip_address(item))
        except ValueError:
            names.add(item)
    return sorted(n for n in names if n), sorted(addresses, key=str)


def make_certificate(cert_path: Path, key_path: Path) -> None:
    """Write a new self-signed certificate and its private key (0600)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    names, addresses = _host_names()
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"Shelfscan on {socket.gethostname()}"[:64])])
    now = dt.datetime.now(dt.timezone.utc)
    alt = [x509.DNSName(n) for n in names] + [x509.IPAddress(a) for a in addresses]
    cert = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_bytes = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption())
    key_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key_bytes)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def ensure_certificate(instance_path: str | Path) -> tuple[Path, Path]:
    """The certificate and key paths in the instance folder, made on first use."""
    folder = Path(instance_path)
    cert_path, key_path = folder / CERT_NAME, folder / KEY_NAME
    if not (cert_path.exists() and key_path.exists()):
        make_certificate(cert_path, key_path)
    return cert_path, key_path


def fingerprint(cert_path: Path) -> str:
    """The certificate's SHA-256 fingerprint, as browsers show it (AA:BB:...)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    return cert.fingerprint(hashes.SHA256()).hex(":").upper()


def register(app: Flask) -> None:
    """Register `flask tls-cert`."""

    @app.cli.command("tls-cert")
    @click.option("--renew", is_flag=True, help="Make a new certificate even if one exists.")
    def tls_cert(renew: bool) -> None:
        """Make (on first use) the self-signed HTTPS certificate and print its fingerprint."""
        folder = Path(app.instance_path)
        if renew:
            for name in (CERT_NAME, KEY_NAME):
                (folder / name).unlink(missing_ok=True)
        cert_path, key_path = ensure_certificate(folder)
        click.echo(f"certificate: {cert_path}\nkey:         {key_path}")
        click.echo(f"SHA-256 fingerprint: {fingerprint(cert_path)}")
