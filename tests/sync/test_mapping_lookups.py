"""``mappings.qb_ref``: the QuickBooks reference of a CRM value, read from the rows loaded once per call."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import Flask

from hostcrm.extensions import db
from onecrm_finance_qb.models.mappings import ListKind, ListMapping
from onecrm_finance_qb.sync import mappings
from tests.crm import load_plugin, new_crm

SERVER_ID = 7


@pytest.fixture
def crm(tmp_path: Path) -> Iterator[Flask]:
    app = load_plugin(new_crm(tmp_path))
    with app.app_context():
        yield app


def _call() -> SimpleNamespace:
    """What the lookups use of one SOAP call's ``SyncContext``: its session, its server and its cache."""
    return SimpleNamespace(db=db.session, server=SimpleNamespace(id=SERVER_ID), cache={})


def _mapping(crm_value: str | None, qb_id: str | None, **columns: object) -> ListMapping:
    row = ListMapping(server_id=SERVER_ID, kind=ListKind.TERMS, crm_value=crm_value, qb_id=qb_id, **columns)
    db.session.add(row)
    db.session.flush()
    return row


def test_the_first_active_mapping_with_a_list_id_answers(crm: Flask) -> None:
    _mapping('Net 30', None, name='Net 30, not in QuickBooks yet')
    _mapping('Net 30', 'T-1', is_active=False)
    _mapping('Net 30', 'T-2')
    _mapping('Net 30', 'T-3')
    _mapping('Net 60', 'T-4')
    _mapping('Net 30', 'T-5', deleted=True)
    call = _call()

    assert mappings.qb_ref(call, ListKind.TERMS, 'Net 30') == {'ListID': 'T-2'}
    assert mappings.qb_ref(call, ListKind.TERMS, 'Net 60') == {'ListID': 'T-4'}
    assert mappings.qb_ref(call, ListKind.TERMS, 'Net 90') is None
    assert mappings.qb_ref(call, ListKind.TERMS, None) is None
    assert mappings.qb_ref(call, ListKind.CURRENCY, 'Net 30') is None


def test_a_mapping_changed_during_the_call_answers_as_it_is_now(crm: Flask) -> None:
    """A list refresh in the same call deactivates or renumbers rows, and forgets them after mapping new values."""
    first = _mapping('Net 30', 'T-1')
    _mapping('Net 30', 'T-2')
    call = _call()
    assert mappings.qb_ref(call, ListKind.TERMS, 'Net 30') == {'ListID': 'T-1'}

    first.is_active = False
    assert mappings.qb_ref(call, ListKind.TERMS, 'Net 30') == {'ListID': 'T-2'}
    first.is_active, first.qb_id = True, 'T-9'
    assert mappings.qb_ref(call, ListKind.TERMS, 'Net 30') == {'ListID': 'T-9'}

    first.crm_value = 'Net 45'
    _mapping('Due on receipt', 'T-3')
    mappings.forget(call, ListKind.TERMS)
    assert mappings.qb_ref(call, ListKind.TERMS, 'Net 45') == {'ListID': 'T-9'}
    assert mappings.qb_ref(call, ListKind.TERMS, 'Net 30') == {'ListID': 'T-2'}
    assert mappings.qb_ref(call, ListKind.TERMS, 'Due on receipt') == {'ListID': 'T-3'}
