"""Validation of an uploaded module zip, before anything is written anywhere.

Python's ``zipfile`` quietly rewrites dangerous names on extraction (``../x`` becomes ``x``,
a symlink becomes a file, the last of two same-named entries wins), so the archive is refused
rather than repaired: every entry name, type, size and checksum is checked here, sizes are
counted while decompressing (headers are never trusted), and the bytes that were checked are the
bytes that get installed.
"""

from __future__ import annotations

import hashlib
import io
import re
import stat
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass

from hostcrm.i18n import gettext as _
from hostcrm.modules.errors import ModuleRejected
from hostcrm.modules.globs import glob_regex
from hostcrm.modules.manifest import MANIFEST_NAME, Manifest, parse_manifest

_DRIVE_LETTER = re.compile(r'^[A-Za-z]:')
_CONTROL_CHARS = re.compile(r'[\x00-\x1f\x7f]')
_CHUNK = 64 * 1024
_MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Size limits of a module archive; the defaults are far above what a real module needs."""

    archive_bytes: int = 20 * _MIB
    entries: int = 2000
    member_bytes: int = 20 * _MIB
    total_bytes: int = 50 * _MIB
    #: Largest uncompressed/compressed ratio of one member, checked once it has this many bytes.
    ratio: int = 100
    ratio_floor_bytes: int = 64 * 1024
    manifest_bytes: int = 64 * 1024


@dataclass(frozen=True)
class ValidatedArchive:
    """An archive that passed every check: its manifest and the exact bytes of each file."""

    manifest: Manifest
    files: dict[str, bytes]


def validate_archive(
    data: bytes, *, host_version: str, host_api_version: str, limits: Limits | None = None
) -> ValidatedArchive:
    """Check a module zip completely; returns its manifest and files or raises ``ModuleRejected``."""
    limits = limits or Limits()
    if len(data) > limits.archive_bytes:
        raise ModuleRejected(_('The archive is larger than the limit of %(limit)s bytes.', limit=limits.archive_bytes))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise ModuleRejected(_('The upload is not a valid zip archive.')) from exc
    with archive:
        entries = archive.infolist()
        if len(entries) > limits.entries:
            raise ModuleRejected(_('The archive has more than %(limit)s entries.', limit=limits.entries))
        for entry in entries:
            _check_entry(entry)
        _check_no_duplicates(entries)
        manifest = _read_manifest(archive, entries, limits)
        _check_host(manifest, host_version, host_api_version)
        files = _read_files(archive, entries, manifest, limits)
    _check_checksums(manifest, files)
    return ValidatedArchive(manifest=manifest, files=files)


def _check_entry(entry: zipfile.ZipInfo) -> None:
    name = entry.orig_filename
    if _CONTROL_CHARS.search(name):
        raise ModuleRejected(_('The archive entry %(name)s has a control character in its name.', name=repr(name)))
    if '\\' in name:
        raise ModuleRejected(_('The archive entry %(name)s has a backslash in its name.', name=name))
    if name.startswith('/'):
        raise ModuleRejected(_('The archive entry %(name)s has an absolute path.', name=name))
    if _DRIVE_LETTER.match(name):
        raise ModuleRejected(_('The archive entry %(name)s starts with a drive letter.', name=name))
    parts = name.removesuffix('/').split('/') if entry.is_dir() else name.split('/')
    if any(part in ('', '.', '..') for part in parts):
        raise ModuleRejected(_('The archive entry %(name)s has an empty, "." or ".." path component.', name=name))
    mode = entry.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise ModuleRejected(_('The archive entry %(name)s is a symbolic link.', name=name))
    if stat.S_IFMT(mode) and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise ModuleRejected(_('The archive entry %(name)s is not a regular file or folder.', name=name))
    if entry.flag_bits & 0x1:
        raise ModuleRejected(_('The archive entry %(name)s is encrypted.', name=name))


def _check_no_duplicates(entries: list[zipfile.ZipInfo]) -> None:
    seen: dict[str, str] = {}
    for entry in entries:
        key = unicodedata.normalize('NFC', entry.orig_filename.removesuffix('/')).casefold()
        if key in seen:
            raise ModuleRejected(_('The archive entries %(first)s and %(second)s have the same name '
                                   '(letter case aside).', first=seen[key], second=entry.orig_filename))
        seen[key] = entry.orig_filename


def _read_manifest(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], limits: Limits) -> Manifest:
    found = [entry for entry in entries if entry.orig_filename == MANIFEST_NAME]
    if not found:
        raise ModuleRejected(_('The archive has no manifest.json at its top level.'))
    raw = _read_member(archive, found[0], limits, member_limit=limits.manifest_bytes, total_before=0)
    return parse_manifest(raw)


def _check_host(manifest: Manifest, host_version: str, host_api_version: str) -> None:
    if not manifest.host_versions.contains(host_version, prereleases=True):
        raise ModuleRejected(_('%(module)s %(version)s needs a CRM version %(range)s; this CRM is version %(host)s.',
                               module=manifest.name, version=manifest.version,
                               range=str(manifest.host_versions), host=host_version))
    if not manifest.host_api.contains(host_api_version, prereleases=True):
        raise ModuleRejected(_('%(module)s %(version)s needs module interface %(range)s; this CRM provides '
                               '%(host)s.', module=manifest.name, version=manifest.version,
                               range=str(manifest.host_api), host=host_api_version))


def _read_files(
    archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], manifest: Manifest, limits: Limits
) -> dict[str, bytes]:
    allowed = [glob_regex(pattern) for pattern in manifest.allowlist]
    files: dict[str, bytes] = {}
    total = 0
    for entry in entries:
        name = entry.orig_filename
        if entry.is_dir():
            if not any(pattern.startswith(name) or glob_regex(pattern).match(name) for pattern in manifest.allowlist):
                raise ModuleRejected(_('The archive entry %(name)s is outside the files the manifest allows.',
                                       name=name))
            continue
        if name != MANIFEST_NAME and not any(regex.match(name) for regex in allowed):
            raise ModuleRejected(_('The archive entry %(name)s is outside the files the manifest allows.', name=name))
        files[name] = _read_member(archive, entry, limits, member_limit=limits.member_bytes, total_before=total)
        total += len(files[name])
    return files


def _read_member(
    archive: zipfile.ZipFile, entry: zipfile.ZipInfo, limits: Limits, *, member_limit: int, total_before: int
) -> bytes:
    """Decompress one member chunk by chunk, stopping as soon as a limit is passed."""
    name = entry.orig_filename
    chunks = []
    size = 0
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > member_limit:
                    raise ModuleRejected(_('The archive entry %(name)s is larger than the limit of %(limit)s bytes.',
                                           name=name, limit=member_limit))
                if total_before + size > limits.total_bytes:
                    raise ModuleRejected(_('The archive expands to more than the limit of %(limit)s bytes.',
                                           limit=limits.total_bytes))
                if size > limits.ratio_floor_bytes and size > limits.ratio * max(entry.compress_size, 1):
                    raise ModuleRejected(_('The archive entry %(name)s is compressed more than %(ratio)s to 1.',
                                           name=name, ratio=limits.ratio))
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise ModuleRejected(_('The archive entry %(name)s is damaged or uses an unsupported compression.',
                               name=name)) from exc
    return b''.join(chunks)


def _check_checksums(manifest: Manifest, files: dict[str, bytes]) -> None:
    for name, content in files.items():
        if name == MANIFEST_NAME:
            continue
        expected = manifest.checksums.get(name)
        if expected is None:
            raise ModuleRejected(_('The archive entry %(name)s has no checksum in the manifest.', name=name))
        if hashlib.sha256(content).hexdigest() != expected:
            raise ModuleRejected(_('The archive entry %(name)s does not match its checksum.', name=name))
    missing = sorted(set(manifest.checksums) - set(files))
    if missing:
        raise ModuleRejected(_('The manifest lists %(name)s, which is not in the archive.', name=missing[0]))
