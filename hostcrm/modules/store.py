"""The modules folder on disk: ``<modules dir>/<id>/<version>/...`` plus ``<id>/state.json``.

``state.json`` names the current version and the previous one (kept for rollback); it is the
record of what is installed and is only ever replaced whole with ``os.replace``, so a crash
leaves either the old state or the new one. Versions are extracted into a temporary folder next
to their final place and renamed into it, so a half-written version is never visible.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

STATE_FILE = 'state.json'
_FILE_MODE = 0o644
_DIR_MODE = 0o755


@dataclass(frozen=True)
class ModuleRecord:
    """What is installed of one module."""

    id: str
    version: str
    previous_version: str | None
    installed_at: dt.datetime
    updated_at: dt.datetime

    def to_json(self) -> dict[str, str | None]:
        return {
            'id': self.id,
            'version': self.version,
            'previous_version': self.previous_version,
            'installed_at': self.installed_at.isoformat(),
            'updated_at': self.updated_at.isoformat(),
        }

    @classmethod
    def from_json(cls, data: dict[str, str | None]) -> ModuleRecord:
        return cls(
            id=str(data['id']),
            version=str(data['version']),
            previous_version=data.get('previous_version'),
            installed_at=dt.datetime.fromisoformat(str(data['installed_at'])),
            updated_at=dt.datetime.fromisoformat(str(data['updated_at'])),
        )

    def moved_to(self, version: str, previous_version: str | None) -> ModuleRecord:
        """The record after switching to ``version``."""
        return replace(self, version=version, previous_version=previous_version, updated_at=utcnow())


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class ModuleStore:
    """Reads and changes the modules folder; callers hold ``lock()`` around every change."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def module_dir(self, module_id: str) -> Path:
        return self.root / module_id

    def version_dir(self, module_id: str, version: str) -> Path:
        return self.root / module_id / version

    def record(self, module_id: str) -> ModuleRecord | None:
        path = self.module_dir(module_id) / STATE_FILE
        if not path.is_file():
            return None
        return ModuleRecord.from_json(json.loads(path.read_text(encoding='utf-8')))

    def records(self) -> list[ModuleRecord]:
        if not self.root.is_dir():
            return []
        found = (self.record(path.name) for path in sorted(self.root.iterdir()) if not path.name.startswith('.'))
        return [record for record in found if record is not None]

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """An exclusive lock between processes changing modules (the CLI and the web page)."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def write_record(self, record: ModuleRecord) -> None:
        directory = self.module_dir(record.id)
        with tempfile.NamedTemporaryFile('w', encoding='utf-8', dir=directory, prefix='.state-', delete=False) as tmp:
            json.dump(record.to_json(), tmp, indent=2, sort_keys=True)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(tmp.name, _FILE_MODE)
        os.replace(tmp.name, directory / STATE_FILE)

    def extract(self, module_id: str, version: str, files: dict[str, bytes]) -> Path:
        """Write ``files`` as version ``version`` of the module; the folder must not exist yet."""
        directory = self.module_dir(module_id)
        directory.mkdir(mode=_DIR_MODE, parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix='.incoming-', dir=directory))
        try:
            for name, content in sorted(files.items()):
                target = staging.joinpath(*name.split('/'))
                if not target.resolve().is_relative_to(staging.resolve()):
                    raise ValueError(f'refusing to write outside the staging folder: {name!r}')
                target.parent.mkdir(mode=_DIR_MODE, parents=True, exist_ok=True)
                target.write_bytes(content)
                target.chmod(_FILE_MODE)
            staging.chmod(_DIR_MODE)
            final = self.version_dir(module_id, version)
            os.rename(staging, final)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return final

    def set_aside(self, module_id: str, version: str) -> Path:
        """Move a version folder out of the way (for a forced reinstall); ``put_back`` undoes it."""
        aside = Path(tempfile.mkdtemp(prefix='.replaced-', dir=self.module_dir(module_id)))
        target = aside / version
        os.rename(self.version_dir(module_id, version), target)
        return target

    def put_back(self, module_id: str, aside: Path) -> None:
        os.rename(aside, self.version_dir(module_id, aside.name))
        aside.parent.rmdir()

    def discard(self, path: Path) -> None:
        """Delete a folder for good: renamed first, so a half-deleted folder is never seen under its name."""
        if not path.exists():
            return
        doomed = Path(tempfile.mkdtemp(prefix='.removing-', dir=path.parent))
        os.rename(path, doomed / path.name)
        shutil.rmtree(doomed)

    def prune(self, record: ModuleRecord) -> None:
        """Remove every version folder and leftover other than the current and previous versions."""
        keep = {STATE_FILE, record.version, record.previous_version}
        for path in self.module_dir(record.id).iterdir():
            if path.name not in keep and path.is_dir():
                shutil.rmtree(path)

    def remove_module(self, module_id: str) -> None:
        self.discard(self.module_dir(module_id))
