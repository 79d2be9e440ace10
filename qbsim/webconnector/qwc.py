"""Reading a .qwc file and refusing the ones QBWC refuses.

Required elements, the https rule and the same-domain rule are those of the QBWC Programmer's
Guide (QWC file chapter and Appendix A): a missing element is QBWC1039, an IP-address AppURL
QBWC1001 and AppSupport QBWC1002, AppURL and AppSupport on different domains QBWC1000, and an
http AppURL on a host other than localhost QBWC1051 (QBWC 2.x; the Guide's older number for the
same refusal is QBWC1010).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .errors import QBWCError
from .safexml import UnsafeXMLError, parse_xml

#: The Guide marks these required; AppID may be present and empty.
REQUIRED_ELEMENTS = (
    'AppName', 'AppID', 'AppURL', 'AppDescription', 'AppSupport', 'UserName', 'OwnerID', 'FileID', 'QBType',
)
MAY_BE_EMPTY = frozenset({'AppID'})
MAX_QWC_BYTES = 1024 * 1024
NOT_ADDED = 'There was a problem adding the application to registry'
NOT_LOADED = 'it will not be loaded'
LOOPBACK_HOSTS = frozenset({'localhost', '127.0.0.1', '::1'})
_GUID = re.compile(r'^\{?[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}?$')


class QwcUnsupportedError(ValueError):
    """A valid .qwc asking for something this simulator does not do (QuickBooks POS, RPC style)."""


@dataclass(frozen=True)
class QwcFile:
    """The parts of a .qwc the web connector acts on."""

    app_name: str
    app_id: str
    app_url: str
    app_description: str
    app_support: str
    user_name: str
    owner_id: str
    file_id: str
    qb_type: str
    style: str = 'Document'
    is_read_only: bool = False

    @property
    def is_https(self) -> bool:
        return urlsplit(self.app_url).scheme == 'https'


def load_qwc(path: str | Path) -> QwcFile:
    """Read and check a .qwc file; raise QBWCError exactly where QBWC would refuse to add it."""
    raw = Path(path).read_bytes()
    if len(raw) > MAX_QWC_BYTES:
        raise QBWCError('QBWC1039', f'{NOT_ADDED}: {path} is too large.')
    return parse_qwc(raw)


def parse_qwc(raw: bytes | str) -> QwcFile:
    """Parse .qwc content (see load_qwc)."""
    try:
        root = parse_xml(raw)
    except UnsafeXMLError as exc:
        raise QBWCError('QBWC1039', f'{NOT_ADDED}: {exc}') from exc
    if root.tag != 'QBWCXML':
        raise QBWCError('QBWC1039', f'{NOT_ADDED}: the root is not QBWCXML.')
    values = {child.tag: (child.text or '').strip() for child in root if isinstance(child.tag, str)}
    missing = [
        name for name in REQUIRED_ELEMENTS if not values.get(name) and not (name in MAY_BE_EMPTY and name in values)
    ]
    if missing:
        raise QBWCError(
            'QBWC1039',
            f'{NOT_ADDED}: missing required element(s) ' + ', '.join(missing),
        )
    for name in ('OwnerID', 'FileID'):
        if not _GUID.match(values[name]):
            raise QBWCError('QBWC1039', f'{NOT_ADDED}: {name} is not a GUID.')
    qwc = QwcFile(
        app_name=values['AppName'],
        app_id=values['AppID'],
        app_url=values['AppURL'],
        app_description=values['AppDescription'],
        app_support=values['AppSupport'],
        user_name=values['UserName'],
        owner_id=values['OwnerID'],
        file_id=values['FileID'],
        qb_type=values['QBType'],
        style=values.get('Style') or 'Document',
        is_read_only=values.get('IsReadOnly', '').lower() == 'true',
    )
    _check_urls(qwc)
    _check_supported(qwc)
    return qwc


def _host(url: str) -> str:
    return (urlsplit(url).hostname or '').lower()


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _domain(host: str) -> str:
    """The registrable part QBWC compares, approximated as the last two labels (loopback hosts are one domain)."""
    if host in LOOPBACK_HOSTS:
        return 'localhost'
    return '.'.join(host.split('.')[-2:])


def _check_urls(qwc: QwcFile) -> None:
    url = urlsplit(qwc.app_url)
    host = _host(qwc.app_url)
    if url.scheme not in ('http', 'https') or not host:
        raise QBWCError('QBWC1039', f'{NOT_ADDED}: bad AppURL {qwc.app_url!r}.')
    # Loopback addresses are let through as "localhost": the Guide allows localhost for development
    # and a test service bound to 127.0.0.1 is the same machine.
    if _is_ip(host) and host not in LOOPBACK_HOSTS:
        raise QBWCError('QBWC1001', f"The application {qwc.app_name}'s service URL is an IP Address, {NOT_LOADED}.")
    if url.scheme == 'http' and host not in LOOPBACK_HOSTS:
        raise QBWCError(
            'QBWC1051',
            f'Application {qwc.app_name} cannot be loaded. For security reasons only SSL (https) based applications '
            'are allowed; http is accepted for localhost only.',
        )
    support_host = _host(qwc.app_support)
    if _is_ip(support_host) and support_host not in LOOPBACK_HOSTS:
        raise QBWCError('QBWC1002', f"The application {qwc.app_name}'s support URL is an IP Address, {NOT_LOADED}.")
    if _domain(support_host) != _domain(host):
        raise QBWCError('QBWC1000', f"The domain names for {qwc.app_name}'s service and support URLs do not match.")


def _check_supported(qwc: QwcFile) -> None:
    if qwc.qb_type != 'QBFS':
        raise QwcUnsupportedError(f'QBType {qwc.qb_type!r}: only QuickBooks Financial Software (QBFS) is simulated')
    if qwc.style.lower() != 'document':
        raise QwcUnsupportedError(f"Style {qwc.style!r}: only the document/literal style of Intuit's WSDL is simulated")
