"""``transitions.synced_all`` records confirmed writes as ``transitions.synced_with`` does, on every database."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from hostcrm.extensions import db
from onecrm_finance_qb.models.links import FirstSync, LinkStatus, SyncLink
from onecrm_finance_qb.stored_messages import N_, Message
from onecrm_finance_qb.sync import transitions
from onecrm_finance_qb.sync.transitions import SyncedWrite
from tests.crm import load_plugin, new_crm

DATABASES = [
    pytest.param('sqlite'),
    pytest.param('postgresql', marks=[pytest.mark.postgres, pytest.mark.slow]),
    pytest.param('mariadb', marks=[pytest.mark.mariadb, pytest.mark.slow]),
]
EARLIER = datetime(2026, 11, 1, 8, 30, 15, 250000, tzinfo=UTC)
CONFIRMED_AT = datetime(2026, 11, 20, 9, 0, 1, tzinfo=UTC)
NOW = datetime(2026, 11, 26, 12, 0, 30, 500000, tzinfo=UTC)
#: The columns the two must leave alike (the computed sort column follows from them); each link has its own ListID.
COMPARED = (
    'edit_sequence', 'name', 'name_key', 'first_sync', 'status', 'status_before', 'message', 'message_key',
    'message_plural', 'message_args', 'crm_modified_at', 'qb_modified_at', 'last_sync_at', 'attempts',
    'next_attempt_at', 'parent_qb_id', 'last_run_id', 'modified_sort',
)  # fmt: skip

#: Links as a write may find them: sent for the first time, after a failure, once deleted, already named
#: as the answer names them, long synced.
STARTS = {
    'never synced': {'status': LinkStatus.IN_FLIGHT, 'status_before': LinkStatus.PENDING_EXPORT},
    'failed before': {
        'status': LinkStatus.IN_FLIGHT,
        'status_before': LinkStatus.PENDING_EXPORT,
        'attempts': 3,
        'next_attempt_at': EARLIER,
        'message': N_('A temporary QuickBooks error; trying again later. %(text)s', text='3175'),
    },
    'deleted before': {'status': LinkStatus.IN_FLIGHT, 'first_sync': FirstSync.DELETED},
    'named as answered': {
        'status': LinkStatus.IN_FLIGHT,
        'status_before': LinkStatus.PENDING_EXPORT,
        'name': 'Acme Widgets',
    },
    'synced before': {
        'status': LinkStatus.IN_FLIGHT,
        'status_before': LinkStatus.PENDING_UPDATE,
        'first_sync': FirstSync.IMPORTED,
        'qb_id': '80000001',
        'edit_sequence': '100',
        'crm_modified_at': EARLIER,
        'qb_modified_at': EARLIER,
        'parent_qb_id': '80000009-1',
        'last_run_id': 4,
    },
}
#: What QuickBooks' answers may confirm: with and without times, first sync, parent and note.
WRITES = {
    'add answered in full': {
        'qb_id': '80000002', 'edit_sequence': '200', 'qb_modified_at': CONFIRMED_AT,
        'crm_modified_at': CONFIRMED_AT, 'first_sync': FirstSync.EXPORTED, 'name': 'Acme Widgets',
        'parent_qb_id': None, 'message': '',
    },
    'mod of an inactive job without times': {
        'qb_id': '80000003', 'edit_sequence': '300', 'qb_modified_at': None, 'crm_modified_at': None,
        'first_sync': None, 'name': 'Acme Widgets:Job 7', 'parent_qb_id': '80000002-1',
        'message': N_('Inactive in QuickBooks.'),
    },
}  # fmt: skip


@pytest.fixture(params=DATABASES)
def crm(request: pytest.FixtureRequest, fresh_database: Callable, tmp_path: Path) -> Iterator[Flask]:
    url = None if request.param == 'sqlite' else fresh_database(request.param).render_as_string(hide_password=False)
    app = load_plugin(new_crm(tmp_path, url))
    try:
        yield app
    finally:
        with app.app_context():
            db.engine.dispose()


def _new_link(number: int, start: dict) -> SyncLink:
    link = SyncLink(server_id=1, crm_kind='account', crm_id=f'A{number}', qb_type='Customer', name=f'Old {number}')
    link.created_at = EARLIER
    for column, value in start.items():
        setattr(link, column, f'{value}-{number}' if column == 'qb_id' else value)
    return link


def _write(link: SyncLink, write: str) -> dict:
    """The answer's values for ``link``: ListIDs are unique in a company, so each link is given its own."""
    values = WRITES[write]
    return {**values, 'qb_id': f'{values["qb_id"]}-{link.crm_id}'}


def _columns(link_id: int) -> dict:
    columns = [getattr(SyncLink, column) for column in COMPARED]
    row = db.session.execute(sa.select(*columns).where(SyncLink.id == link_id)).one()
    return dict(zip(COMPARED, row, strict=True))


def test_synced_all_writes_what_synced_with_sets(crm: Flask) -> None:
    cases = [(start, write) for start in STARTS for write in WRITES]
    with crm.app_context():
        by_object = [_new_link(number, STARTS[start]) for number, (start, _) in enumerate(cases)]
        by_statement = [_new_link(number + len(cases), STARTS[start]) for number, (start, _) in enumerate(cases)]
        db.session.add_all([*by_object, *by_statement])
        db.session.commit()
        for link, (_, write) in zip(by_object, cases, strict=True):
            transitions.synced_with(link, SyncedWrite(**_write(link, write)), NOW)
        db.session.flush()
        writes = {
            link.id: SyncedWrite(**_write(link, write)) for link, (_, write) in zip(by_statement, cases, strict=True)
        }
        transitions.synced_all(db.session, writes, NOW)
        db.session.commit()

        for object_link, statement_link, (start, write) in zip(by_object, by_statement, cases, strict=True):
            assert _columns(statement_link.id) == _columns(object_link.id), (start, write)
            assert db.session.get(SyncLink, statement_link.id).qb_id == _write(statement_link, write)['qb_id']


def test_synced_all_leaves_no_stale_link_in_the_session(crm: Flask) -> None:
    with crm.app_context():
        link = _new_link(1, STARTS['never synced'])
        db.session.add(link)
        db.session.commit()
        assert link.status == LinkStatus.IN_FLIGHT
        write = SyncedWrite(**_write(link, 'mod of an inactive job without times'))

        transitions.synced_all(db.session, {link.id: write}, NOW)

        assert (link.status, link.qb_id, link.name_key) == (LinkStatus.ENABLED, '80000003-A1', 'acme widgets:job 7')
        assert Message.load(link.message_key, link.message_plural, link.message_args) == N_('Inactive in QuickBooks.')


def test_a_link_keeping_its_name_is_written_without_its_name_columns(crm: Flask) -> None:
    """Setting an indexed column rewrites its index entries even to the same value: only renamed links set it."""
    with crm.app_context():
        kept = _new_link(1, {**STARTS['never synced'], 'name': 'Acme Widgets'})
        renamed = _new_link(2, STARTS['never synced'])
        db.session.add_all([kept, renamed])
        db.session.commit()
        updates: list[str] = []

        def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
            if statement.lstrip().upper().startswith('UPDATE QB_LINKS'):
                updates.append(_set_clause(statement))

        writes = {link.id: SyncedWrite(**_write(link, 'add answered in full')) for link in (kept, renamed)}
        sa.event.listen(db.engine, 'before_cursor_execute', record)
        try:
            transitions.synced_all(db.session, writes, NOW)
        finally:
            sa.event.remove(db.engine, 'before_cursor_execute', record)
        db.session.commit()

        assert len(updates) == 2
        with_names = [clause for clause in updates if re.search(r'\bname\s*=', clause)]
        assert len(with_names) == 1
        assert re.search(r'\bname_key\s*=', with_names[0])
        without_names = next(clause for clause in updates if clause not in with_names)
        assert 'name_key' not in without_names
        assert re.search(r'\bqb_id\s*=', without_names)
        for link in (kept, renamed):
            assert (link.status, link.name, link.name_key) == (LinkStatus.ENABLED, 'Acme Widgets', 'acme widgets')
            assert link.qb_id == f'80000002-{link.crm_id}'


def _set_clause(statement: str) -> str:
    return statement.partition(' SET ')[2].partition(' WHERE ')[0]
