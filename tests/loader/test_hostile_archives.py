"""Every kind of hostile or broken archive is refused, with a clear message and nothing written."""

from __future__ import annotations

import hashlib
import io
import json
import random
import re
import stat
import zipfile
from collections.abc import Callable

import pytest

from hostcrm.modules import service
from hostcrm.modules.archive import Limits
from hostcrm.modules.errors import ModuleRejected
from tests.loader.modkit import (
    build_module_zip,
    manifest_data,
    module_files,
    snapshot,
    table_names,
    with_manifest,
    zip_bytes,
)

Entries = list[tuple[str | zipfile.ZipInfo, bytes]]


def _good_entries(**manifest_overrides: object) -> Entries:
    return list(with_manifest(module_files(), manifest_data(**manifest_overrides)).items())


def _with_extra(name: str | zipfile.ZipInfo, content: bytes, *, checksum: bool = True) -> bytes:
    """The good module plus one more entry, listed in the checksums unless ``checksum`` is False."""
    files = module_files()
    manifest = manifest_data()
    key = name.filename if isinstance(name, zipfile.ZipInfo) else name
    checksums = {path: hashlib.sha256(body).hexdigest() for path, body in files.items()}
    if checksum:
        checksums[key] = hashlib.sha256(content).hexdigest()
    manifest['checksums'] = checksums
    return zip_bytes([*with_manifest(files, manifest).items(), (name, content)])


def _symlink(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def _fifo(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFIFO | 0o644) << 16
    return info


def _raw_manifest(raw: bytes) -> bytes:
    files = module_files()
    return zip_bytes([('manifest.json', raw), *files.items()])


def _manifest_without(field: str) -> bytes:
    files = module_files()
    manifest = with_manifest(files, manifest_data())
    data = json.loads(manifest['manifest.json'])
    del data[field]
    return zip_bytes([('manifest.json', json.dumps(data).encode()), *files.items()])


def _tampered() -> bytes:
    entries = _good_entries()
    return zip_bytes([(name, b'# changed\n' if name == 'qbtest_module/__init__.py' else body)
                      for name, body in entries])


def _unlisted_checksum() -> bytes:
    files = module_files()
    manifest = manifest_data()
    manifest['checksums'] = {path: hashlib.sha256(body).hexdigest() for path, body in files.items()}
    del manifest['checksums']['README.md']
    return zip_bytes(list(with_manifest(files, manifest).items()))


def _missing_listed_file() -> bytes:
    files = module_files()
    entries = with_manifest(files, manifest_data())
    del entries['README.md']
    return zip_bytes(list(entries.items()))


def _name_with_nul() -> bytes:
    """zipfile cannot write a NUL in a name, so it is patched into the bytes afterwards."""
    data = _with_extra('qbtest_module/evilXname.py', b'')
    return data.replace(b'evilXname', b'evil\x00name')


def _understated_size() -> bytes:
    """A member whose local and central headers claim fewer bytes than it really holds."""
    name = b'qbtest_module/data.bin'
    data = bytearray(_with_extra(name.decode(), b'x' * 5000))
    small = (10).to_bytes(4, 'little')
    local = data.find(b'PK\x03\x04')
    while local >= 0:
        name_length = int.from_bytes(data[local + 26:local + 28], 'little')
        if data[local + 30:local + 30 + name_length] == name:
            data[local + 22:local + 26] = small
        local = data.find(b'PK\x03\x04', local + 4)
    central = data.find(b'PK\x01\x02')
    while central >= 0:
        name_length = int.from_bytes(data[central + 28:central + 30], 'little')
        if data[central + 46:central + 46 + name_length] == name:
            data[central + 24:central + 28] = small
        central = data.find(b'PK\x01\x02', central + 4)
    return bytes(data)


def _many_entries() -> bytes:
    return zip_bytes([*_good_entries(), *((f'qbtest_module/n{index}.py', b'') for index in range(40))])


def _noise(seed: int, size: int) -> bytes:
    """Bytes that do not compress, the same on every run."""
    return random.Random(seed).randbytes(size)


def _bomb() -> bytes:
    return _with_extra('qbtest_module/bomb.bin', b'\0' * (2 * 1024 * 1024))


SMALL = Limits(archive_bytes=200_000, entries=30, member_bytes=100_000, total_bytes=150_000)

HOSTILE: list[tuple[str, Callable[[], bytes], str]] = [
    ('not a zip', lambda: b'this is not a zip archive', 'not a valid zip archive'),
    ('truncated zip', lambda: build_module_zip()[:-30], 'not a valid zip archive'),
    ('absolute path', lambda: _with_extra('/etc/cron.d/evil', b'x'), 'absolute path'),
    ('dot-dot component', lambda: _with_extra('qbtest_module/../../evil.py', b'x'), '".."'),
    ('dot component', lambda: _with_extra('qbtest_module/./evil.py', b'x'), '".."'),
    ('empty component', lambda: _with_extra('qbtest_module//evil.py', b'x'), 'empty'),
    ('backslash', lambda: _with_extra('qbtest_module\\..\\evil.py', b'x'), 'backslash'),
    ('drive letter', lambda: _with_extra('C:/Windows/evil.py', b'x'), 'drive letter'),
    ('control character', lambda: _with_extra('qbtest_module/evil\x01.py', b'x'), 'control character'),
    ('NUL in name', _name_with_nul, 'control character'),
    ('symlink', lambda: _with_extra(_symlink('qbtest_module/link.py'), b'/etc/passwd'), 'symbolic link'),
    ('special file', lambda: _with_extra(_fifo('qbtest_module/fifo'), b''), 'not a regular file'),
    ('case duplicate', lambda: _with_extra('qbtest_module/PLUGIN.py', b'x'), 'same name'),
    ('exact duplicate', lambda: zip_bytes([*_good_entries(), ('qbtest_module/plugin.py', b'evil')]), 'same name'),
    ('two manifests', lambda: zip_bytes([*_good_entries(), ('manifest.json', b'{}')]), 'same name'),
    ('manifest in another case', lambda: zip_bytes([*_good_entries(), ('Manifest.json', b'{}')]), 'same name'),
    ('no manifest', lambda: zip_bytes(list(module_files().items())), 'no manifest.json'),
    ('nested manifest only', lambda: zip_bytes([(f'top/{name}', body) for name, body in _good_entries()]),
     'no manifest.json'),
    ('outside allowlist', lambda: _with_extra('setup.py', b'x'), 'outside the files the manifest allows'),
    ('folder outside allowlist', lambda: _with_extra('root/', b''), 'outside the files the manifest allows'),
    ('checksum mismatch', _tampered, 'does not match its checksum'),
    ('file without checksum', _unlisted_checksum, 'has no checksum'),
    ('listed file missing', _missing_listed_file, 'which is not in the archive'),
    ('manifest not JSON', lambda: _raw_manifest(b'{"id": "qbtest_module",'), 'not valid UTF-8 JSON'),
    ('manifest not UTF-8', lambda: _raw_manifest(b'{"id": "\xff"}'), 'not valid UTF-8 JSON'),
    ('manifest a list', lambda: _raw_manifest(b'[]'), 'must hold a JSON object'),
    ('manifest NaN', lambda: _raw_manifest(b'{"id": NaN}'), 'NaN'),
    ('manifest repeated field', lambda: _raw_manifest(b'{"id": "a_b", "id": "c_d"}'), 'repeats the field id'),
    ('manifest without id', lambda: _manifest_without('id'), 'lacks the required field "id"'),
    ('manifest without entry point', lambda: _manifest_without('entry_point'), '"entry_point"'),
    ('manifest without checksums', lambda: _manifest_without('checksums'), '"checksums"'),
    ('manifest field of wrong type', lambda: zip_bytes(_good_entries(version=1)), '"version" must be a string'),
    ('unsafe module id', lambda: zip_bytes(_good_entries(id='../evil')), '"id" has an invalid value'),
    ('version not SemVer', lambda: zip_bytes(_good_entries(version='1.0')), 'not a semantic version'),
    ('bad type', lambda: zip_bytes(_good_entries(type='theme')), '"type" must be "module"'),
    ('bad date', lambda: zip_bytes(_good_entries(published_date='May 2024')), 'must be a date'),
    ('bad host range', lambda: zip_bytes(_good_entries(host_versions='eight')), 'not a version range'),
    ('unsupported host version', lambda: zip_bytes(_good_entries(host_versions='>=9')), 'needs a CRM version >=9'),
    ('unsupported host API', lambda: zip_bytes(_good_entries(host_api='>=2')), 'needs module interface >=2'),
    ('unsafe allowlist', lambda: zip_bytes(_good_entries(allowlist=['../**'])), '"allowlist" has an invalid'),
    ('unsafe script location', lambda: zip_bytes(_good_entries(
        migrations={'script_location': '/etc', 'version_table': 'v'})), '"script_location" has an invalid'),
    ('bad tab', lambda: zip_bytes(_good_entries(tabs=[{'key': 'x'}])), 'lacks the required field "label"'),
    ('archive too large', lambda: _with_extra('qbtest_module/big.bin', _noise(0, 250_000)),
     'archive is larger than the limit'),
    ('too many entries', _many_entries, 'more than 30 entries'),
    ('member too large', lambda: zip_bytes([*_good_entries(), ('qbtest_module/big.bin', b'a' * 120_000)]),
     'larger than the limit of 100000'),
    ('total too large', lambda: zip_bytes([*_good_entries(), ('qbtest_module/a.bin', _noise(1, 90_000)),
                                           ('qbtest_module/b.bin', _noise(2, 90_000))]), 'expands to more than'),
    ('understated size in headers', _understated_size, 'damaged'),
]

BOMBS: list[tuple[str, Callable[[], bytes], str]] = [
    ('compression ratio', _bomb, 'compressed more than 100 to 1'),
]


@pytest.mark.parametrize(('build', 'message'), [case[1:] for case in HOSTILE], ids=[case[0] for case in HOSTILE])
def test_hostile_install_is_refused_and_writes_nothing(make_app, tmp_path, build, message):
    app = make_app(HOSTCRM_MODULES_LIMITS=SMALL)
    data = build()
    tables = table_names(app)
    before = snapshot(tmp_path)

    with pytest.raises(ModuleRejected, match=re.escape(message)):
        service.install(app, data)

    assert not (tmp_path / 'modules').exists()
    assert snapshot(tmp_path) == before
    assert table_names(app) == tables


@pytest.mark.parametrize(('build', 'message'), [case[1:] for case in BOMBS], ids=[case[0] for case in BOMBS])
def test_zip_bomb_is_refused_with_default_limits(app, tmp_path, build, message):
    with pytest.raises(ModuleRejected, match=re.escape(message)):
        service.install(app, build())

    assert not (tmp_path / 'modules').exists()


@pytest.mark.parametrize(('build', 'message'), [case[1:] for case in HOSTILE], ids=[case[0] for case in HOSTILE])
def test_hostile_upgrade_leaves_installed_module_untouched(make_app, tmp_path, build, message):
    app = make_app(HOSTCRM_MODULES_LIMITS=SMALL)
    service.install(app, build_module_zip('1.0.0'))
    data = build()
    tables = table_names(app)
    before = snapshot(tmp_path)

    with pytest.raises(ModuleRejected, match=re.escape(message)):
        service.upgrade(app, data, force=True)

    assert snapshot(tmp_path) == before
    assert table_names(app) == tables


def test_good_archive_passes_the_small_limits(make_app):
    app = make_app(HOSTCRM_MODULES_LIMITS=SMALL)

    assert service.validate(app, build_module_zip()).manifest.id == 'qbtest_module'


def test_read_upload_stops_at_the_limit(make_app):
    app = make_app(HOSTCRM_MODULES_LIMITS=SMALL)
    stream = io.BytesIO(b'x' * (SMALL.archive_bytes + 10))

    with pytest.raises(ModuleRejected, match='larger than the limit'):
        service.read_upload(stream, app)

    assert stream.tell() == SMALL.archive_bytes + 1

