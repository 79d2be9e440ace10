"""Register Local Changes, Re-Register and the conflicts page, against real CRM records."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree

from hostcrm.extensions import db
from onecrm_finance_qb.host import AccountData
from onecrm_finance_qb.models.base import utc_now
from onecrm_finance_qb.models.links import ConflictPolicy, LinkStatus, SyncConflict
from onecrm_finance_qb.state import get_host

from .conftest import XSS, add_links, add_server, csrf_token, get_link


def _account(app: Flask, name: str) -> str:
    with app.app_context():
        account_id = get_host(app).accounts.create_from_qb(AccountData(name=name))
        db.session.commit()
        return account_id


def _rename(app: Flask, account_id: str, name: str) -> None:
    with app.app_context():
        get_host(app).accounts.update_from_qb(account_id, AccountData(name=name))
        db.session.commit()


def _post(client: FlaskClient, url: str, page: str, **data: object) -> str:
    token = csrf_token(client.get(page).get_data(as_text=True))
    response = client.post(url, data={'csrf_token': token, **data}, follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def server_id(app: Flask) -> int:
    return add_server(app)


def test_register_local_changes_registers_new_crm_accounts(app: Flask, client: FlaskClient, server_id: int) -> None:
    _account(app, 'Fresh Customer')
    html = _post(client, '/finance-qb/sync/entities/action', '/finance-qb/sync/entities', action='register')
    assert 'Local changes registered: 1 new' in html
    page = etree.HTML(html)
    rows = page.xpath('//table[@id="fqb-links"]//tr[@data-link]')
    assert [row.xpath('string(td[@class="link-name"])') for row in rows] == ['Fresh Customer']
    assert rows[0].get('data-status') == LinkStatus.PENDING_EXPORT


def test_re_register_takes_a_fixed_record_out_of_blocked(app: Flask, client: FlaskClient, server_id: int) -> None:
    account_id = _account(app, 'A name far too long for QuickBooks entity names, really')
    [link_id] = add_links(app, server_id, [{'crm_id': account_id, 'name': 'A name far too long',
                                            'status': LinkStatus.EXPORT_BLOCKED, 'message': 'Name is too long'}])
    _rename(app, account_id, 'Short name')
    _post(client, '/finance-qb/sync/entities/action', '/finance-qb/sync/entities', action='re_register',
          ids=[str(link_id)])
    link = get_link(app, link_id)
    assert (link.status, link.name, link.message) == (LinkStatus.PENDING_EXPORT, 'Short name', '')


def test_re_register_disables_a_link_whose_record_is_gone(app: Flask, client: FlaskClient, server_id: int) -> None:
    [link_id] = add_links(app, server_id, [{'crm_id': 'no-such-account', 'name': 'Ghost',
                                            'status': LinkStatus.ENABLED, 'qb_id': 'Q'}])
    _post(client, '/finance-qb/sync/entities/action', '/finance-qb/sync/entities', action='re_register',
          ids=[str(link_id)])
    link = get_link(app, link_id)
    assert link.status == LinkStatus.DISABLED
    assert link.message == 'Related object could not be found.'


def _held(app: Flask, server_id: int, account_id: str) -> tuple[int, int]:
    [link_id] = add_links(app, server_id, [{'crm_id': account_id, 'name': XSS, 'status': LinkStatus.HELD,
                                            'qb_id': 'Q1', 'edit_sequence': '5'}])
    with app.app_context():
        conflict = SyncConflict(server_id=server_id, link_id=link_id, qb_type='Customer', name=XSS,
                                policy=ConflictPolicy.HOLD, crm_modified_at=utc_now(), qb_modified_at=utc_now())
        db.session.add(conflict)
        db.session.commit()
        return link_id, conflict.id


@pytest.mark.parametrize(('keep', 'status'), [('crm', LinkStatus.PENDING_UPDATE), ('qb', LinkStatus.PENDING_IMPORT)])
def test_conflicts_side_by_side_and_settled(app: Flask, client: FlaskClient, server_id: int, keep: str,
                                            status: LinkStatus) -> None:
    account_id = _account(app, 'Acme (CRM side)')
    link_id, conflict_id = _held(app, server_id, account_id)
    html = client.get('/finance-qb/conflicts').get_data(as_text=True)
    assert XSS not in html
    article = etree.HTML(html).xpath(f'//article[@data-conflict="{conflict_id}"]')[0]
    assert 'Acme (CRM side)' in article.xpath('string(.)')
    html = _post(client, f'/finance-qb/conflicts/{conflict_id}', '/finance-qb/conflicts', keep=keep)
    assert 'No conflict is waiting for review.' in html
    assert get_link(app, link_id).status == status


def test_a_conflict_of_another_server_is_not_found(app: Flask, client: FlaskClient, server_id: int) -> None:
    other = add_server(app, company_name='Old', primary=False)
    _link_id, conflict_id = _held(app, other, 'x')
    token = csrf_token(client.get('/finance-qb/conflicts').get_data(as_text=True))
    assert client.post(f'/finance-qb/conflicts/{conflict_id}', data={'csrf_token': token, 'keep': 'crm'}).status_code \
        == 404
