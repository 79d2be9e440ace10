"""The company file: one SQLite database holding every object as a JSON document plus index columns.

Objects of both families live in one table: list objects (ListID, names, hierarchy) now, and
transactions (TxnID, TxnNumber, dates) later, distinguished by ``family``. Index columns carry what
queries filter and sort on, so a query never loads the whole company: type, namespace and sibling
name for uniqueness, the full-name sort key for name order and range filters, the modified time for
date filters, the deletion time for deleted-object queries. ``refs`` records which object points at
which, so a delete can tell whether the target is in use.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS objects (
    id TEXT PRIMARY KEY,
    family TEXT NOT NULL,
    ret_type TEXT NOT NULL,
    namespace TEXT,
    parent_id TEXT,
    name_key TEXT,
    sort_key TEXT NOT NULL DEFAULT '',
    is_active INTEGER NOT NULL DEFAULT 1,
    created_utc INTEGER NOT NULL,
    modified_utc INTEGER NOT NULL,
    deleted_utc INTEGER,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS objects_type_sort ON objects (ret_type, deleted_utc, sort_key);
CREATE INDEX IF NOT EXISTS objects_type_modified ON objects (ret_type, deleted_utc, modified_utc);
CREATE INDEX IF NOT EXISTS objects_sibling_name ON objects (namespace, parent_id, name_key, deleted_utc);
CREATE INDEX IF NOT EXISTS objects_parent ON objects (parent_id);
CREATE TABLE IF NOT EXISTS refs (from_id TEXT NOT NULL, to_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS refs_from ON refs (from_id);
CREATE INDEX IF NOT EXISTS refs_to ON refs (to_id);
CREATE TABLE IF NOT EXISTS data_ext_defs (
    owner_id TEXT NOT NULL, name_key TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (owner_id, name_key));
CREATE TABLE IF NOT EXISTS data_ext_values (
    owner_id TEXT NOT NULL, name_key TEXT NOT NULL, object_id TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (owner_id, name_key, object_id));
CREATE TABLE IF NOT EXISTS faults (id INTEGER PRIMARY KEY AUTOINCREMENT, request_type TEXT NOT NULL,
    status_code INTEGER NOT NULL);
"""

COMPANY_OBJECT_ID = 'Company'


@dataclass
class StoredObject:
    """One row of ``objects`` with its document decoded."""

    id: str
    ret_type: str
    parent_id: str | None
    sort_key: str
    doc: dict


class Store:
    """Thin, typed access to the company file; callers own the transaction boundaries."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute('PRAGMA journal_mode=WAL')
        self.db.execute('PRAGMA synchronous=NORMAL')
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One message = one transaction: all of it is committed, or none of it on an exception."""
        self.db.execute('BEGIN IMMEDIATE')
        try:
            yield
        except BaseException:
            self.db.execute('ROLLBACK')
            raise
        self.db.execute('COMMIT')

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """One request inside the message: undone alone when it fails."""
        self.db.execute('SAVEPOINT request')
        try:
            yield
        except BaseException:
            self.db.execute('ROLLBACK TO request')
            self.db.execute('RELEASE request')
            raise
        self.db.execute('RELEASE request')

    # settings and counters

    def get_meta(self, key: str, default: object = None) -> object:
        row = self.db.execute('SELECT value FROM meta WHERE key = ?', (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_meta(self, key: str, value: object) -> None:
        self.db.execute('INSERT INTO meta (key, value) VALUES (?, ?)'
                        ' ON CONFLICT (key) DO UPDATE SET value = excluded.value', (key, json.dumps(value)))

    # objects

    def insert(self, obj: StoredObject, *, family: str, namespace: str | None, name_key: str | None,
               is_active: bool, created_utc: int, modified_utc: int) -> None:
        self.db.execute(
            'INSERT INTO objects (id, family, ret_type, namespace, parent_id, name_key, sort_key, is_active,'
            ' created_utc, modified_utc, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
            (obj.id, family, obj.ret_type, namespace, obj.parent_id, name_key, obj.sort_key, int(is_active),
             created_utc, modified_utc, json.dumps(obj.doc)))

    def update(self, obj: StoredObject, *, name_key: str | None, is_active: bool, modified_utc: int) -> None:
        self.db.execute(
            'UPDATE objects SET parent_id = ?, name_key = ?, sort_key = ?, is_active = ?, modified_utc = ?, doc = ?'
            ' WHERE id = ?',
            (obj.parent_id, name_key, obj.sort_key, int(is_active), modified_utc, json.dumps(obj.doc), obj.id))

    def replace_doc(self, obj: StoredObject) -> None:
        """Store a recomputed document (a balance QuickBooks derives) without it counting as an edit."""
        self.db.execute('UPDATE objects SET doc = ? WHERE id = ?', (json.dumps(obj.doc), obj.id))

    def mark_deleted(self, object_id: str, deleted_utc: int) -> None:
        self.db.execute('UPDATE objects SET deleted_utc = ?, name_key = NULL WHERE id = ?', (deleted_utc, object_id))
        self.db.execute('DELETE FROM refs WHERE from_id = ?', (object_id,))
        self.db.execute('DELETE FROM data_ext_values WHERE object_id = ?', (object_id,))

    def get(self, object_id: str, ret_types: Iterable[str] | None = None) -> StoredObject | None:
        sql = 'SELECT id, ret_type, parent_id, sort_key, doc FROM objects WHERE id = ? AND deleted_utc IS NULL'
        params: list = [object_id]
        if ret_types is not None:
            sql, params = _with_types(sql, params, ret_types)
        row = self.db.execute(sql, params).fetchone()
        return _object(row) if row else None

    def find_by_sort_key(self, ret_types: Iterable[str], sort_key: str) -> StoredObject | None:
        sql, params = _with_types('SELECT id, ret_type, parent_id, sort_key, doc FROM objects'
                                  ' WHERE sort_key = ? AND deleted_utc IS NULL', [sort_key], ret_types)
        row = self.db.execute(sql, params).fetchone()
        return _object(row) if row else None

    def sibling_exists(self, namespace: str, parent_id: str | None, name_key: str, except_id: str | None) -> bool:
        row = self.db.execute(
            'SELECT 1 FROM objects WHERE namespace = ? AND parent_id IS ? AND name_key = ? AND deleted_utc IS NULL'
            ' AND id IS NOT ?', (namespace, parent_id, name_key, except_id)).fetchone()
        return row is not None

    def children(self, parent_id: str) -> list[StoredObject]:
        rows = self.db.execute('SELECT id, ret_type, parent_id, sort_key, doc FROM objects'
                               ' WHERE parent_id = ? AND deleted_utc IS NULL', (parent_id,)).fetchall()
        return [_object(row) for row in rows]

    def select(self, where: str, params: list, *, limit: int | None = None) -> list[StoredObject]:
        """Live objects matching ``where`` (SQL over the index columns), in list order.

        ``where`` is assembled inside qbsim from fixed fragments; every value is a bound parameter.
        """
        sql = (f'SELECT id, ret_type, parent_id, sort_key, doc FROM objects WHERE deleted_utc IS NULL AND {where}'  # noqa: S608
               ' ORDER BY sort_key, created_utc, id')
        if limit is not None:
            sql += f' LIMIT {int(limit)}'
        return [_object(row) for row in self.db.execute(sql, params)]

    def deleted(self, ret_types: Iterable[str], from_utc: int | None,
                to_utc: int | None) -> list[tuple[dict, str, int]]:
        sql, params = _with_types('SELECT doc, ret_type, deleted_utc FROM objects WHERE deleted_utc IS NOT NULL',
                                  [], ret_types)
        if from_utc is not None:
            sql += ' AND deleted_utc >= ?'
            params.append(from_utc)
        if to_utc is not None:
            sql += ' AND deleted_utc <= ?'
            params.append(to_utc)
        rows = self.db.execute(sql + ' ORDER BY deleted_utc, id', params).fetchall()
        return [(json.loads(doc), ret_type, deleted_utc) for doc, ret_type, deleted_utc in rows]

    def all_objects(self, ret_type: str | None) -> list[StoredObject]:
        where, params = ('ret_type = ?', [ret_type]) if ret_type else ('1 = 1', [])
        return self.select(where, params)

    # references between objects

    def set_refs(self, from_id: str, to_ids: Iterable[str]) -> None:
        self.db.execute('DELETE FROM refs WHERE from_id = ?', (from_id,))
        self.db.executemany('INSERT INTO refs (from_id, to_id) VALUES (?, ?)', [(from_id, to) for to in set(to_ids)])

    def is_referenced(self, object_id: str) -> bool:
        return self.db.execute('SELECT 1 FROM refs WHERE to_id = ? LIMIT 1', (object_id,)).fetchone() is not None

    # data extensions

    # Owner GUIDs compare case-insensitively, as names do: both are stored folded.

    def data_ext_def(self, owner_id: str, name: str) -> dict | None:
        row = self.db.execute('SELECT doc FROM data_ext_defs WHERE owner_id = ? AND name_key = ?',
                              (owner_id.upper(), name.casefold())).fetchone()
        return json.loads(row[0]) if row else None

    def data_ext_defs(self, owner_ids: Iterable[str] | None) -> list[dict]:
        rows = self.db.execute('SELECT owner_id, doc FROM data_ext_defs ORDER BY rowid').fetchall()
        wanted = None if owner_ids is None else {owner.upper() for owner in owner_ids}
        return [json.loads(doc) for owner, doc in rows if wanted is None or owner in wanted]

    def add_data_ext_def(self, owner_id: str, name: str, doc: dict) -> None:
        self.db.execute('INSERT INTO data_ext_defs (owner_id, name_key, doc) VALUES (?, ?, ?)',
                        (owner_id.upper(), name.casefold(), json.dumps(doc)))

    def data_ext_value(self, owner_id: str, name: str, object_id: str) -> str | None:
        row = self.db.execute('SELECT value FROM data_ext_values WHERE owner_id = ? AND name_key = ? AND object_id = ?',
                              (owner_id.upper(), name.casefold(), object_id)).fetchone()
        return row[0] if row else None

    def set_data_ext_value(self, owner_id: str, name: str, object_id: str, value: str) -> None:
        self.db.execute(
            'INSERT INTO data_ext_values (owner_id, name_key, object_id, value) VALUES (?, ?, ?, ?)'
            ' ON CONFLICT (owner_id, name_key, object_id) DO UPDATE SET value = excluded.value',
            (owner_id.upper(), name.casefold(), object_id, value))

    def data_ext_values_for(self, object_id: str, owner_ids: Iterable[str]) -> list[tuple[str, str, str]]:
        """(owner, name key, value) of an object's extensions for the given owners, in definition order."""
        owners = [owner.upper() for owner in owner_ids]
        marks = ','.join('?' * len(owners))
        rows = self.db.execute(
            f'SELECT v.owner_id, v.name_key, v.value FROM data_ext_values v JOIN data_ext_defs d'  # noqa: S608
            f' ON d.owner_id = v.owner_id AND d.name_key = v.name_key'
            f' WHERE v.object_id = ? AND v.owner_id IN ({marks}) ORDER BY d.rowid', [object_id, *owners]).fetchall()
        return list(rows)

    # injected faults

    def add_fault(self, request_type: str, status_code: int) -> None:
        self.db.execute('INSERT INTO faults (request_type, status_code) VALUES (?, ?)', (request_type, status_code))

    def take_fault(self, request_type: str) -> int | None:
        row = self.db.execute('SELECT id, status_code FROM faults WHERE request_type = ? ORDER BY id LIMIT 1',
                              (request_type,)).fetchone()
        if row is None:
            return None
        self.db.execute('DELETE FROM faults WHERE id = ?', (row[0],))
        return row[1]


def _with_types(sql: str, params: list, ret_types: Iterable[str]) -> tuple[str, list]:
    types = list(ret_types)
    return f'{sql} AND ret_type IN ({",".join("?" * len(types))})', [*params, *types]


def _object(row: tuple) -> StoredObject:
    return StoredObject(id=row[0], ret_type=row[1], parent_id=row[2], sort_key=row[3], doc=json.loads(row[4]))
