"""qbXML version negotiation and the QBWC client-version gate.

QuickBooks lists every qbXML version it understands; we speak the highest one we also support.
Non-US editions expect the version in the ``<?qbxml?>`` prolog prefixed with their country
(``CA13.0``, ``UK6.0``), US editions the bare number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

#: The qbXML versions our request builders support, newest first.
SUPPORTED_QBXML_VERSIONS: tuple[str, ...] = (
    '13.0', '12.0', '11.0', '10.0', '9.0', '8.0', '7.0', '6.0', '5.0', '4.1', '4.0', '3.0', '2.1', '2.0',
)  # fmt: skip
#: Oldest Web Connector accepted: 1.x lacks the HCP first call and document-style SOAP.
MINIMUM_QBWC_VERSION = Version('2.0')

_VERSION_RE = re.compile(r'^\s*([A-Za-z]*)\s*(\d+)\.(\d+)\s*$')


class NoCommonVersionError(ValueError):
    """QuickBooks and we share no qbXML version."""


@dataclass(frozen=True, order=True)
class QbxmlVersion:
    """A qbXML spec level, with the edition's country that decides the prolog spelling."""

    major: int
    minor: int
    country: str = 'US'

    @property
    def number(self) -> str:
        return f'{self.major}.{self.minor}'

    @property
    def prolog_version(self) -> str:
        """The text of ``<?qbxml version="..."?>`` for this edition."""
        return self.number if self.country == 'US' else f'{self.country}{self.number}'

    @classmethod
    def from_prolog(cls, text: str) -> QbxmlVersion:
        """The inverse of ``prolog_version``: ``'CA13.0'`` -> ``QbxmlVersion(13, 0, 'CA')``."""
        match = _VERSION_RE.match(text or '')
        if not match:
            raise ValueError(f'not a qbXML version: {text!r}')
        return cls(int(match.group(2)), int(match.group(3)), normalise_country(match.group(1)))


def parse_version(text: str) -> tuple[int, int] | None:
    """``'13.0'`` or ``'CA3.0'`` -> ``(13, 0)``; None when it is not a version."""
    match = _VERSION_RE.match(text or '')
    return (int(match.group(2)), int(match.group(3))) if match else None


def negotiate(
    supported_by_quickbooks: Iterable[str], country: str, reported_max: tuple[int, int] | None = None
) -> QbxmlVersion:
    """The highest version both sides support.

    ``supported_by_quickbooks`` comes from HostRet/SupportedQBXMLVersion; when QuickBooks did not
    list any, the Major/Minor pair QBWC reported in sendRequestXML is taken as the ceiling.
    """
    ours = {parse_version(v) for v in SUPPORTED_QBXML_VERSIONS}
    theirs = {v for v in (parse_version(t) for t in supported_by_quickbooks) if v}
    if not theirs and reported_max:
        theirs = {v for v in ours if v <= reported_max}
    common = ours & theirs
    if not common:
        raise NoCommonVersionError('QuickBooks supports none of the qbXML versions this module speaks')
    major, minor = max(common)
    return QbxmlVersion(major, minor, normalise_country(country))


def normalise_country(country: str | None) -> str:
    """QBWC and HostRet spell the edition as a two-letter code; an empty one means US."""
    code = (country or '').strip().upper()
    return code if re.fullmatch(r'[A-Z]{2}', code) else 'US'


def client_version_answer(qbwc_version: str) -> str:
    """clientVersion's reply: empty to proceed, ``E:<message>`` to turn an old QBWC away."""
    try:
        version = Version(qbwc_version.strip())
    except InvalidVersion:
        return ''
    if version < MINIMUM_QBWC_VERSION:
        return (
            f'E:QuickBooks Web Connector {qbwc_version} is too old for this service; '
            f'please install version {MINIMUM_QBWC_VERSION} or later.'
        )
    return ''
