"""Building the Web Connector configuration file (.qwc) that pairs QBWC with this service.

The file carries the service URL, the sync user name, this installation's OwnerID and the FileID
QBWC writes into the company file on first contact, which is how a company file is recognised
later. QBWC refuses plain HTTP except to ``localhost``, so we refuse to produce such a file
rather than hand the administrator one that cannot work.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from lxml import etree

APP_ID = 'onecrm-finance-qb'
APP_DESCRIPTION = 'Keeps the CRM and QuickBooks in sync: accounts, products, sales and payments.'
#: Editions allowed to connect: SimpleStart, Pro, Premier and Enterprise.
AUTH_FLAGS = '0xF'


class QwcError(ValueError):
    """The requested .qwc could not work with QBWC (for example a non-HTTPS address)."""


def new_guid() -> str:
    """A GUID in the braced upper-case form QBWC and QuickBooks use for OwnerID and FileID."""
    return '{' + str(uuid.uuid4()).upper() + '}'


@dataclass(frozen=True)
class QwcSpec:
    """What goes into one .qwc file."""

    app_name: str
    app_url: str
    support_path: str
    user_name: str
    owner_id: str
    file_id: str
    scheduler_minutes: int | None = None
    read_only: bool = False
    app_description: str = APP_DESCRIPTION


def check_app_url(url: str) -> str:
    """The URL if QBWC can use it; else :class:`QwcError` with the reason."""
    parts = urlsplit(url.strip())
    if not parts.hostname:
        raise QwcError(f'{url!r} is not an absolute URL')
    if parts.scheme == 'https':
        return url.strip()
    if parts.scheme == 'http' and parts.hostname == 'localhost':
        return url.strip()
    raise QwcError(
        f'The Web Connector only talks to HTTPS addresses (plain HTTP is allowed for localhost only): {url}'
    )


def support_url(app_url: str, support_path: str) -> str:
    """AppSupport on the same scheme and host as AppURL, as QBWC demands."""
    parts = urlsplit(app_url)
    return urlunsplit((parts.scheme, parts.netloc, support_path, '', ''))


def build_qwc(spec: QwcSpec) -> bytes:
    """The .qwc document; every value is escaped by lxml, so no field can break the XML."""
    app_url = check_app_url(spec.app_url)
    if spec.scheduler_minutes is not None and spec.scheduler_minutes < 1:
        raise QwcError('The scheduler interval must be at least one minute')
    root = etree.Element('QBWCXML')
    fields = [
        ('AppName', spec.app_name),
        ('AppID', APP_ID),
        ('AppURL', app_url),
        ('AppDescription', spec.app_description),
        ('AppSupport', support_url(app_url, spec.support_path)),
        ('UserName', spec.user_name),
        ('OwnerID', spec.owner_id),
        ('FileID', spec.file_id),
        ('QBType', 'QBFS'),
    ]
    for tag, value in fields:
        etree.SubElement(root, tag).text = value
    if spec.scheduler_minutes is not None:
        scheduler = etree.SubElement(root, 'Scheduler')
        etree.SubElement(scheduler, 'RunEveryNMinutes').text = str(spec.scheduler_minutes)
    for tag, value in (
        ('IsReadOnly', 'true' if spec.read_only else 'false'),
        ('PersonalDataPref', 'pdpOptional'),
        ('UnattendedModePref', 'umpOptional'),
        ('AuthFlags', AUTH_FLAGS),
        ('Style', 'Document'),
    ):
        etree.SubElement(root, tag).text = value
    return etree.tostring(root, xml_declaration=True, encoding='utf-8', pretty_print=True)
