"""The module manifest (``manifest.json``): plain data, parsed and checked field by field.

The manifest is never executed and no schema library is involved: every field is read by the
code below, which rejects anything unexpected with a message naming the field.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from hostcrm.i18n import gettext as _
from hostcrm.modules.errors import ModuleRejected
from hostcrm.modules.semver import is_semver

MANIFEST_NAME = 'manifest.json'

_MODULE_ID = re.compile(r'^[a-z][a-z0-9_]{1,63}$')
_ENTRY_POINT = re.compile(r'^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*:[A-Za-z_]\w*$')
_IDENTIFIER = re.compile(r'^[A-Za-z_]\w{0,62}$')
_ENDPOINT = re.compile(r'^[A-Za-z_][\w.]*$')
_SHA256 = re.compile(r'^[0-9a-f]{64}$')
_LOCALE = re.compile(r'^[a-z]{2,3}(?:_[A-Za-z0-9]{2,8})?$')
_PERMISSIONS = ('admin', 'user')
_REMOVE_TABLES = ('prompt', 'keep')
#: Relative glob patterns: no leading slash, no backslash, no ``.``/``..``/empty components.
_SAFE_PATTERN = re.compile(r'^(?!/)(?!.*\\)(?!(?:.*/)?\.{1,2}(?:/|$))(?!.*//)[^\x00-\x1f\x7f]+$')


@dataclass(frozen=True)
class TabSpec:
    """A navigation tab the module asks for."""

    key: str
    label: str
    endpoint: str
    group: str
    permission: str


@dataclass(frozen=True)
class MigrationsSpec:
    """Where the module's Alembic environment is, relative to the module root."""

    script_location: str
    version_table: str


@dataclass(frozen=True)
class Manifest:
    """A validated manifest."""

    id: str
    name: str
    description: str
    author: str
    version: str
    published_date: dt.date
    host_versions: SpecifierSet
    host_api: SpecifierSet
    entry_point: str
    tabs: tuple[TabSpec, ...]
    locales: tuple[str, ...]
    migrations: MigrationsSpec | None
    allowlist: tuple[str, ...]
    remove_tables: str
    checksums: dict[str, str] = field(default_factory=dict)


def parse_manifest(raw: bytes, *, require_checksums: bool = True) -> Manifest:
    """Parse and check ``manifest.json``; raises ``ModuleRejected`` naming the first problem found."""
    data = _load_json(raw)
    reader = _Reader(data)
    module_id = reader.string('id', pattern=_MODULE_ID)
    version = reader.string('version')
    if not is_semver(version):
        raise ModuleRejected(_('The manifest version %(version)s is not a semantic version (such as 1.2.3).',
                               version=version))
    if reader.string('type') != 'module':
        raise ModuleRejected(_('The manifest field "type" must be "module".'))
    checksums = reader.checksums(required=require_checksums)
    return Manifest(
        id=module_id,
        name=reader.string('name'),
        description=reader.string('description', required=False),
        author=reader.string('author', required=False),
        version=version,
        published_date=reader.date('published_date'),
        host_versions=reader.specifier('host_versions'),
        host_api=reader.specifier('host_api'),
        entry_point=reader.string('entry_point', pattern=_ENTRY_POINT),
        tabs=reader.tabs(),
        locales=tuple(reader.string_list('locales', pattern=_LOCALE)),
        migrations=reader.migrations(),
        allowlist=tuple(reader.string_list('allowlist', pattern=_SAFE_PATTERN)),
        remove_tables=reader.choice('remove_tables', _REMOVE_TABLES, default='prompt'),
        checksums=checksums,
    )



def _load_json(raw: bytes) -> dict[str, Any]:
    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [key for key, _value in pairs]
        duplicated = sorted({key for key in keys if keys.count(key) > 1})
        if duplicated:
            raise ModuleRejected(_('The manifest repeats the field %(field)s.', field=duplicated[0]))
        return dict(pairs)

    def no_constants(name: str) -> None:
        raise ModuleRejected(_('The manifest contains %(value)s, which is not valid JSON.', value=name))

    try:
        data = json.loads(raw.decode('utf-8'), object_pairs_hook=no_duplicates, parse_constant=no_constants)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModuleRejected(_('manifest.json is not valid UTF-8 JSON: %(error)s', error=str(exc))) from exc
    if not isinstance(data, dict):
        raise ModuleRejected(_('manifest.json must hold a JSON object.'))
    return data


class _Reader:
    """Typed access to the manifest's fields, raising a clear rejection for each kind of mistake."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def _get(self, name: str, kind: type, kind_label: str, *, required: bool = True) -> Any:
        if name not in self.data:
            if required:
                raise ModuleRejected(_('The manifest lacks the required field "%(field)s".', field=name))
            return None
        value = self.data[name]
        if not isinstance(value, kind) or isinstance(value, bool):
            raise ModuleRejected(_('The manifest field "%(field)s" must be %(kind)s.', field=name, kind=kind_label))
        return value

    def string(self, name: str, *, required: bool = True, pattern: re.Pattern[str] | None = None) -> str:
        value = self._get(name, str, _('a string'), required=required)
        if value is None:
            return ''
        if required and not value.strip():
            raise ModuleRejected(_('The manifest field "%(field)s" is empty.', field=name))
        if pattern is not None and not pattern.match(value):
            raise ModuleRejected(_('The manifest field "%(field)s" has an invalid value: %(value)s',
                                   field=name, value=value))
        return value

    def string_list(self, name: str, *, pattern: re.Pattern[str]) -> list[str]:
        values = self._get(name, list, _('a list of strings'))
        for value in values:
            if not isinstance(value, str) or not pattern.match(value):
                raise ModuleRejected(_('The manifest field "%(field)s" has an invalid entry: %(value)s',
                                       field=name, value=str(value)))
        return values

    def choice(self, name: str, choices: tuple[str, ...], *, default: str) -> str:
        value = self._get(name, str, _('a string'), required=False)
        if value is None:
            return default
        if value not in choices:
            raise ModuleRejected(_('The manifest field "%(field)s" must be one of: %(choices)s.',
                                   field=name, choices=', '.join(choices)))
        return value

    def date(self, name: str) -> dt.date:
        value = self.string(name)
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ModuleRejected(_('The manifest field "%(field)s" must be a date such as 2024-01-31.',
                                   field=name)) from exc

    def specifier(self, name: str) -> SpecifierSet:
        value = self.string(name)
        try:
            return SpecifierSet(value)
        except InvalidSpecifier as exc:
            raise ModuleRejected(_('The manifest field "%(field)s" is not a version range such as ">=8.6,<9".',
                                   field=name)) from exc

    def tabs(self) -> tuple[TabSpec, ...]:
        specs = []
        for entry in self._get('tabs', list, _('a list of objects'), required=False) or []:
            if not isinstance(entry, dict):
                raise ModuleRejected(_('The manifest field "%(field)s" must be %(kind)s.',
                                       field='tabs', kind=_('a list of objects')))
            tab = _Reader(entry)
            specs.append(TabSpec(
                key=tab.string('key', pattern=_IDENTIFIER),
                label=tab.string('label'),
                endpoint=tab.string('endpoint', pattern=_ENDPOINT),
                group=tab.string('group', required=False) or 'Other',
                permission=tab.choice('permission', _PERMISSIONS, default='admin'),
            ))
        return tuple(specs)

    def migrations(self) -> MigrationsSpec | None:
        entry = self._get('migrations', dict, _('an object'), required=False)
        if entry is None:
            return None
        spec = _Reader(entry)
        return MigrationsSpec(
            script_location=spec.string('script_location', pattern=_SAFE_PATTERN),
            version_table=spec.string('version_table', pattern=_IDENTIFIER),
        )

    def checksums(self, *, required: bool) -> dict[str, str]:
        entry = self._get('checksums', dict, _('an object'), required=required)
        if entry is None:
            return {}
        for path, digest in entry.items():
            if not isinstance(digest, str) or not _SHA256.match(digest):
                raise ModuleRejected(_('The checksum of %(path)s in the manifest is not a SHA-256 hex digest.',
                                       path=path))
        return dict(entry)
