"""A private certificate authority and a server certificate for the demo's HTTPS address.

The Web Connector only talks to HTTPS services, so the demo serves the CRM over TLS. The CA
and the certificate it signs for ``localhost`` and ``127.0.0.1`` are generated once into the
instance folder and reused; the simulated Web Connector trusts the CA through its ``cafile``,
as a real Windows machine would after importing it.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

HOST_NAMES = ('localhost',)
HOST_ADDRESSES = ('127.0.0.1',)
#: Renewed when less than this is left, so a kept instance folder never serves an expired certificate.
RENEW_BEFORE = timedelta(days=30)
VALIDITY = timedelta(days=825)


@dataclass(frozen=True)
class TlsFiles:
    """Where the demo keeps its CA and server certificate (PEM)."""

    folder: Path

    @property
    def ca_certificate(self) -> Path:
        return self.folder / 'demo-ca.pem'

    @property
    def ca_key(self) -> Path:
        return self.folder / 'demo-ca-key.pem'

    @property
    def certificate(self) -> Path:
        return self.folder / 'server.pem'

    @property
    def key(self) -> Path:
        return self.folder / 'server-key.pem'


def ensure_certificates(files: TlsFiles, now: datetime | None = None) -> bool:
    """Create the CA and the server certificate unless valid ones exist; True when new ones were made."""
    now = now or datetime.now(UTC)
    if _still_valid(files, now):
        return False
    files.folder.mkdir(parents=True, exist_ok=True)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'hostcrm demo CA')])
    ca_certificate = (
        _builder(ca_name, ca_name, ca_key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    server_key = ec.generate_private_key(ec.SECP256R1())
    names = [x509.DNSName(name) for name in HOST_NAMES]
    names += [x509.IPAddress(ipaddress.ip_address(address)) for address in HOST_ADDRESSES]
    certificate = (
        _builder(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST_NAMES[0])]), ca_name,
                 server_key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(cert_sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(server_key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    _write_key(files.ca_key, ca_key)
    _write_key(files.key, server_key)
    files.ca_certificate.write_bytes(ca_certificate.public_bytes(serialization.Encoding.PEM))
    files.certificate.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return True


def _builder(subject: x509.Name, issuer: x509.Name, public_key: ec.EllipticCurvePublicKey,
             now: datetime) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + VALIDITY)
    )


def _usage(cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=cert_sign, crl_sign=cert_sign,
                         encipher_only=False, decipher_only=False)


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    path.chmod(0o600)


def _still_valid(files: TlsFiles, now: datetime) -> bool:
    paths = (files.ca_certificate, files.ca_key, files.certificate, files.key)
    if not all(path.is_file() for path in paths):
        return False
    try:
        certificate = x509.load_pem_x509_certificate(files.certificate.read_bytes())
    except ValueError:
        return False
    return certificate.not_valid_after_utc - now > RENEW_BEFORE
