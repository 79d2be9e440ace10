"""Semantic Versioning 2.0 parsing and ordering, for module versions.

Module versions are SemVer (as the manifest promises), which orders pre-releases differently
from PEP 440, so they are compared here rather than with ``packaging.version``.
"""

from __future__ import annotations

import re

_SEMVER = re.compile(
    r'^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)'
    r'(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?'
    r'(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$'
)

SemVerKey = tuple[int, int, int, tuple[tuple[int, int, str], ...]]


def is_semver(version: str) -> bool:
    """Whether ``version`` is a valid SemVer 2.0 string."""
    return _SEMVER.match(version) is not None


def semver_key(version: str) -> SemVerKey:
    """A sort key: a release ranks above its pre-releases, build metadata is ignored."""
    match = _SEMVER.match(version)
    if match is None:
        raise ValueError(f'not a SemVer version: {version!r}')
    major, minor, patch, prerelease, _build = match.groups()
    if prerelease is None:
        # A release sorts after every pre-release of the same major.minor.patch.
        identifiers: tuple[tuple[int, int, str], ...] = ((2, 0, ''),)
    else:
        identifiers = tuple(
            (0, int(part), '') if part.isdigit() else (1, 0, part) for part in prerelease.split('.')
        )
    return int(major), int(minor), int(patch), identifiers
