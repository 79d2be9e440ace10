"""Builds a module zip from a source tree, deterministically: ``python -m hostcrm.modules.build``.

Two builds of the same sources give the same bytes: entries are sorted, every entry has the same
timestamp (``SOURCE_DATE_EPOCH``), permissions and creator system, and no extra fields. Gettext
catalogs are compiled from the ``.po`` files into the staged copy (local ``.mo`` files are never
shipped), the manifest gets a ``checksums`` map of every other file, and the result is checked
with the loader's own validator before it is published with a ``.sha256`` file next to it.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import stat
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import hostcrm
from hostcrm.modules.archive import validate_archive
from hostcrm.modules.errors import ModuleRejected
from hostcrm.modules.globs import glob_regex
from hostcrm.modules.manifest import MANIFEST_NAME, parse_manifest
from hostcrm.modules.service import HOST_API_VERSION

#: Never shipped, whatever the allowlist says: caches, compiled code, tests, editor leftovers, stale catalogs.
_EXCLUDED_PARTS = frozenset({'__pycache__', 'tests', '.git', '.DS_Store'})
_EXCLUDED_SUFFIXES = ('.pyc', '.pyo', '.mo', '~', '.orig', '.rej')
#: 1980-01-01, the earliest time a zip entry can carry.
_ZIP_EPOCH = 315532800


def build(source: Path, dist: Path, *, epoch: int, host_api_version: str) -> Path:
    """Build ``<dist>/<id>-<version>.zip`` from ``source`` and return its path."""
    raw_manifest = json.loads((source / MANIFEST_NAME).read_text(encoding='utf-8'))
    manifest = parse_manifest((source / MANIFEST_NAME).read_bytes(), require_checksums=False)
    files = _staged_files(source, manifest.allowlist)
    raw_manifest['checksums'] = {name: hashlib.sha256(content).hexdigest() for name, content in sorted(files.items())}
    files[MANIFEST_NAME] = (json.dumps(raw_manifest, indent=2, ensure_ascii=False) + '\n').encode('utf-8')
    data = _zip(files, epoch)
    validate_archive(data, host_version=hostcrm.__version__, host_api_version=host_api_version)
    dist.mkdir(parents=True, exist_ok=True)
    target = dist / f'{manifest.id}-{manifest.version}.zip'
    _write_atomically(target, data)
    _write_atomically(target.with_name(target.name + '.sha256'),
                      f'{hashlib.sha256(data).hexdigest()}  {target.name}\n'.encode())
    return target


def _staged_files(source: Path, allowlist: tuple[str, ...]) -> dict[str, bytes]:
    patterns = [glob_regex(pattern) for pattern in allowlist]
    files: dict[str, bytes] = {}
    for path in sorted(source.rglob('*')):
        name = path.relative_to(source).as_posix()
        if path.is_dir() or name == MANIFEST_NAME or not any(pattern.match(name) for pattern in patterns):
            continue
        if _EXCLUDED_PARTS.intersection(name.split('/')) or name.endswith(_EXCLUDED_SUFFIXES):
            continue
        if path.is_symlink():
            raise ValueError(f'{name} is a symbolic link; a module archive cannot hold one')
        files[name] = path.read_bytes()
        if name.endswith('.po') and path.parent.name == 'LC_MESSAGES':
            files[name.removesuffix('.po') + '.mo'] = _compile_catalog(path)
    return files


def _compile_catalog(po_path: Path) -> bytes:
    """What ``pybabel compile`` writes (fuzzy catalogs skipped), without touching the source tree."""
    with po_path.open('rb') as po_file:
        catalog = read_po(po_file)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    return compiled.getvalue()


def _zip(files: dict[str, bytes], epoch: int) -> bytes:
    date_time = time.gmtime(max(epoch, _ZIP_EPOCH))[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w') as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.create_system = 3
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()


def _write_atomically(target: Path, data: bytes) -> None:
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=f'.{target.name}-', delete=False) as tmp:
        tmp.write(data)
    os.chmod(tmp.name, 0o644)
    os.replace(tmp.name, target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description='Build a deterministic, checksummed module zip.')
    parser.add_argument('--source', type=Path, default=Path(), help='folder holding manifest.json')
    parser.add_argument('--dist', type=Path, default=Path('dist'), help='where the zip is written')
    args = parser.parse_args(argv)
    epoch = int(os.environ.get('SOURCE_DATE_EPOCH', _ZIP_EPOCH))
    try:
        target = build(args.source, args.dist, epoch=epoch, host_api_version=HOST_API_VERSION)
    except (ModuleRejected, ValueError) as exc:
        print(f'package: {exc}', file=sys.stderr)
        return 1
    print(target)
    return 0


if __name__ == '__main__':
    sys.exit(main())
