"""The Entity, Item and Estimate/Invoice Sync lists: filters, sorting, keyset paging, the buttons."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree

from hostcrm.extensions import db
from onecrm_finance_qb.models.links import FirstSync, LinkStatus, SyncLink

from .conftest import NOW, XSS, add_links, add_server, csrf_token, get_link


def _names(client: FlaskClient, url: str) -> list[str]:
    page = etree.HTML(client.get(url).get_data(as_text=True))
    return [cell.xpath('string()') for cell in page.xpath('//table[@id="fqb-links"]//td[@class="link-name"]')]


@pytest.fixture
def server_id(app: Flask) -> int:
    return add_server(app)


def test_lists_hold_their_own_types_of_the_primary_server_only(app: Flask, client: FlaskClient,
                                                                server_id: int) -> None:
    other = add_server(app, company_name='Old', primary=False)
    add_links(app, server_id, [{'name': 'Acme'}, {'name': 'Widget', 'crm_kind': 'product', 'qb_type': 'ItemInventory'},
                               {'name': 'INV-1', 'crm_kind': 'invoice', 'qb_type': 'Invoice'}])
    add_links(app, other, [{'name': 'Acme of the old server'}])
    assert _names(client, '/finance-qb/sync/entities') == ['Acme']
    assert _names(client, '/finance-qb/sync/items') == ['Widget']
    assert _names(client, '/finance-qb/sync/transactions') == ['INV-1']


def test_quickbooks_names_and_messages_are_escaped(app: Flask, client: FlaskClient, server_id: int) -> None:
    add_links(app, server_id, [{'name': XSS, 'status': LinkStatus.EXPORT_ERROR, 'message': XSS}])
    html = client.get('/finance-qb/sync/entities').get_data(as_text=True)
    assert XSS not in html
    page = etree.HTML(html)
    assert page.xpath('string(//td[@class="link-name"])') == XSS
    assert page.xpath('//td[contains(@class, "link-status")]/@title') == [XSS]


@pytest.mark.parametrize(
    ('query', 'expected'),
    [
        ('status=all_blocked', ['Blocked export', 'Blocked update']),
        ('status=all_errored', ['Errored']),
        ('status=all_pending', ['Pending']),
        ('status=enabled', ['Enabled']),
        ('status=export_blocked', ['Blocked export']),
        ('first_sync=imported', ['Errored']),
        ('name=BLOCK', ['Blocked export', 'Blocked update']),
        ('type=Vendor', ['Pending']),
        ('status=nonsense', ['Blocked export', 'Blocked update', 'Enabled', 'Errored', 'Pending']),
    ],
)
def test_filters(app: Flask, client: FlaskClient, server_id: int, query: str, expected: list[str]) -> None:
    add_links(app, server_id, [
        {'name': 'Enabled', 'status': LinkStatus.ENABLED, 'first_sync': FirstSync.EXPORTED},
        {'name': 'Pending', 'status': LinkStatus.PENDING_EXPORT, 'qb_type': 'Vendor'},
        {'name': 'Blocked export', 'status': LinkStatus.EXPORT_BLOCKED},
        {'name': 'Blocked update', 'status': LinkStatus.UPDATE_BLOCKED},
        {'name': 'Errored', 'status': LinkStatus.IMPORT_ERROR, 'first_sync': FirstSync.IMPORTED},
    ])
    assert _names(client, f'/finance-qb/sync/entities?{query}') == expected


def test_name_filter_is_a_parameter_not_sql(app: Flask, client: FlaskClient, server_id: int) -> None:
    add_links(app, server_id, [{'name': "O'Brien 100% _x"}, {'name': 'Other'}])
    assert _names(client, "/finance-qb/sync/entities?name=O'Brien") == ["O'Brien 100% _x"]
    assert _names(client, '/finance-qb/sync/entities?name=%25') == ["O'Brien 100% _x"]
    assert _names(client, '/finance-qb/sync/entities?name=_') == ["O'Brien 100% _x"]
    assert _names(client, "/finance-qb/sync/entities?name=' OR 1=1 --") == []


def test_name_search_ignores_case_beyond_ascii(app: Flask, client: FlaskClient, server_id: int) -> None:
    add_links(app, server_id, [{'name': 'École Normale'}, {'name': 'Ångström Optics'}, {'name': 'Ecole Primaire'}])
    other = add_server(app, company_name='Old', primary=False)
    add_links(app, other, [{'name': 'École of the old server'}])
    assert _names(client, '/finance-qb/sync/entities?name=%C3%89COLE') == ['École Normale']
    assert _names(client, '/finance-qb/sync/entities?name=%C3%A5ngstr%C3%B6m') == ['Ångström Optics']
    assert _names(client, '/finance-qb/sync/entities?name=ecole') == ['Ecole Primaire']


def test_sorting_both_ways(app: Flask, client: FlaskClient, server_id: int) -> None:
    add_links(app, server_id, [{'name': 'b', 'status': LinkStatus.ENABLED},
                               {'name': 'a', 'status': LinkStatus.PENDING_EXPORT},
                               {'name': 'c', 'status': LinkStatus.DISABLED}])
    assert _names(client, '/finance-qb/sync/entities') == ['a', 'b', 'c']
    assert _names(client, '/finance-qb/sync/entities?dir=desc') == ['c', 'b', 'a']
    assert _names(client, '/finance-qb/sync/entities?sort=status') == ['c', 'b', 'a']


@pytest.mark.parametrize('order', ['', '&dir=desc', '&sort=status', '&sort=modified&dir=desc'])
def test_keyset_paging_visits_every_row_once_both_ways(app: Flask, client: FlaskClient, server_id: int,
                                                        order: str) -> None:
    statuses = [LinkStatus.ENABLED, LinkStatus.PENDING_EXPORT, LinkStatus.DISABLED]
    add_links(app, server_id, [{'name': f'acct {n % 17:02d}', 'status': statuses[n % 3]} for n in range(60)])
    url = f'/finance-qb/sync/entities?size=25{order}'
    pages, ids = [], []
    while url:
        page = etree.HTML(client.get(url).get_data(as_text=True))
        pages.append(url)
        ids += page.xpath('//table[@id="fqb-links"]//tr/@data-link')
        following = page.xpath('//a[@rel="next"]/@href')
        url = following[0] if following else None
    assert len(pages) == 3
    assert len(ids) == len(set(ids)) == 60
    # Back from the last page gives the middle page again, in the same order.
    last = etree.HTML(client.get(pages[-1]).get_data(as_text=True))
    back = etree.HTML(client.get(last.xpath('//a[@rel="prev"]/@href')[0]).get_data(as_text=True))
    assert back.xpath('//table[@id="fqb-links"]//tr/@data-link') == ids[25:50]


def _token(value: str, link_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([value, link_id]).encode()).decode().rstrip('=')


@pytest.mark.parametrize(
    'query',
    [
        'after=bm90IGEgdG9rZW4',
        # A time without a zone: the column takes aware times only, so the token cannot be ours.
        f'sort=modified&after={_token("2026-11-26T10:00:00", 1)}',
    ],
)
def test_a_forged_page_token_shows_the_first_page(app: Flask, client: FlaskClient, server_id: int,
                                                  query: str) -> None:
    add_links(app, server_id, [{'name': 'a'}])
    assert _names(client, f'/finance-qb/sync/entities?{query}') == ['a']


def _page_link(client: FlaskClient, url: str, rel: str) -> str:
    page = etree.HTML(client.get(url).get_data(as_text=True))
    [href] = page.xpath(f'//a[@rel="{rel}"]/@href')
    return href


def _list_plans(app: Flask, client: FlaskClient, url: str) -> list[list[str]]:
    """The plans SQLite chooses for the SELECTs that read a page of links while ``url`` renders."""
    statements: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if 'FROM qb_links' in statement and 'ORDER BY' in statement:
            statements.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, 'before_cursor_execute', keep)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa.event.remove(engine, 'before_cursor_execute', keep)
    with engine.connect() as connection:
        return [[row[-1] for row in connection.exec_driver_sql(f'EXPLAIN QUERY PLAN {statement}', parameters)]
                for statement, parameters in statements]


@pytest.mark.parametrize('direction', ['', '&dir=desc'])
def test_modified_order_walks_its_index_from_the_page_token(app: Flask, client: FlaskClient, server_id: int,
                                                          direction: str) -> None:
    """Newest (or oldest) first sorts nothing: the index hands the rows over in order, from the token on."""
    add_links(app, server_id, [{'name': f'acct {n:02d}'} for n in range(30)])
    first = f'/finance-qb/sync/entities?size=25&sort=modified{direction}'
    following = _page_link(client, first, 'next')
    preceding = _page_link(client, following, 'prev')
    for url, bounded in ((first, False), (following, True), (preceding, True)):
        [plan] = _list_plans(app, client, url)
        [step] = plan
        assert step.startswith('SEARCH qb_links USING INDEX ix_qb_links_server_modified (server_id=?'), (url, plan)
        # A page far down the list (or the page before it) starts reading the index at the token.
        assert ('AND modified_sort' in step) == bounded, (url, plan)


def _newest_first(client: FlaskClient) -> list[str]:
    return _names(client, '/finance-qb/sync/entities?sort=modified&dir=desc')


def test_newest_first_follows_a_later_change_in_quickbooks(app: Flask, client: FlaskClient, server_id: int) -> None:
    """The sort value is the database's: it moves with ``qb_modified_at``, whether the ORM or a Core UPDATE sets it."""
    names = ('made first', 'made second', 'made third')
    [first, _second, _third] = add_links(app, server_id, [
        {'name': name, 'status': LinkStatus.ENABLED, 'qb_id': f'Q{n}', 'created_at': NOW + timedelta(minutes=n)}
        for n, name in enumerate(names)
    ])
    assert _newest_first(client) == ['made third', 'made second', 'made first']
    changed = NOW + timedelta(hours=1, microseconds=7)
    with app.app_context():
        db.session.get(SyncLink, first).qb_modified_at = changed
        db.session.commit()
    assert get_link(app, first).modified_sort == changed
    assert _newest_first(client) == ['made first', 'made third', 'made second']
    # Re-importing clears qb_modified_at in one UPDATE statement: the row falls back to its creation.
    _act(client, 'entities', 'force_reimport', [first])
    assert get_link(app, first).qb_modified_at is None
    assert _newest_first(client) == ['made third', 'made second', 'made first']


def _act(client: FlaskClient, list_key: str, action: str, ids: list[int] | None = None, **fields: Any) -> str:
    endpoint = {'entities': 'entities', 'items': 'items', 'transactions': 'transactions'}[list_key]
    token = csrf_token(client.get(f'/finance-qb/sync/{endpoint}').get_data(as_text=True))
    data = {'csrf_token': token, 'action': action, 'ids': [str(i) for i in ids or []], **fields}
    response = client.post(f'/finance-qb/sync/{list_key}/action', data=data, follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ('action', 'before', 'qb_id', 'after'),
    [
        ('force_update', LinkStatus.ENABLED, 'QB1', LinkStatus.PENDING_UPDATE),
        ('force_update', LinkStatus.EXPORT_ERROR, None, LinkStatus.PENDING_EXPORT),
        ('enable', LinkStatus.IMPORT_ERROR, 'QB1', LinkStatus.PENDING_IMPORT),
        ('enable', LinkStatus.EXPORT_ERROR, None, LinkStatus.PENDING_EXPORT),
        ('enable', LinkStatus.UPDATE_ERROR, 'QB1', LinkStatus.PENDING_UPDATE),
        ('enable', LinkStatus.DISABLED, 'QB1', LinkStatus.ENABLED),
        ('enable', LinkStatus.DISABLED, None, LinkStatus.PENDING_EXPORT),
        ('disable', LinkStatus.PENDING_UPDATE, 'QB1', LinkStatus.DISABLED),
        ('force_reimport', LinkStatus.ENABLED, 'QB1', LinkStatus.PENDING_IMPORT),
        ('force_reimport', LinkStatus.PENDING_EXPORT, None, LinkStatus.PENDING_EXPORT),
        ('disable', LinkStatus.IN_FLIGHT, 'QB1', LinkStatus.IN_FLIGHT),
    ],
)
def test_buttons_change_the_ticked_rows(app: Flask, client: FlaskClient, server_id: int, action: str,
                                        before: LinkStatus, qb_id: str | None, after: LinkStatus) -> None:
    [ticked, untouched] = add_links(app, server_id, [
        {'name': 'ticked', 'status': before, 'qb_id': qb_id, 'edit_sequence': '77', 'message': 'old', 'attempts': 3},
        {'name': 'untouched', 'status': before, 'qb_id': 'QB2'},
    ])
    _act(client, 'entities', action, [ticked])
    link = get_link(app, ticked)
    assert link.status == after
    if after != before:
        assert link.message == ''
    if action == 'force_reimport' and qb_id:
        assert link.edit_sequence is None
    assert get_link(app, untouched).status == before


def test_select_all_applies_to_the_filter_on_this_server_only(app: Flask, client: FlaskClient,
                                                             server_id: int) -> None:
    other = add_server(app, company_name='Old', primary=False)
    errored = add_links(app, server_id, [{'name': f'e{n}', 'status': LinkStatus.EXPORT_ERROR} for n in range(30)])
    [fine] = add_links(app, server_id, [{'name': 'fine', 'status': LinkStatus.ENABLED, 'qb_id': 'Q'}])
    [elsewhere] = add_links(app, other, [{'name': 'e-old', 'status': LinkStatus.EXPORT_ERROR}])
    html = _act(client, 'entities', 'disable', scope='all', status='all_errored')
    assert '30 records changed' in html
    assert {get_link(app, link_id).status for link_id in errored} == {LinkStatus.DISABLED}
    assert get_link(app, fine).status == LinkStatus.ENABLED
    assert get_link(app, elsewhere).status == LinkStatus.EXPORT_ERROR


def test_ticked_ids_of_another_server_or_list_are_ignored(app: Flask, client: FlaskClient, server_id: int) -> None:
    other = add_server(app, company_name='Old', primary=False)
    [foreign] = add_links(app, other, [{'name': 'x', 'status': LinkStatus.ENABLED, 'qb_id': 'Q'}])
    [item] = add_links(app, server_id, [{'name': 'i', 'qb_type': 'ItemInventory', 'status': LinkStatus.ENABLED,
                                         'qb_id': 'Q2'}])
    _act(client, 'entities', 'disable', [foreign, item])
    assert get_link(app, foreign).status == LinkStatus.ENABLED
    assert get_link(app, item).status == LinkStatus.ENABLED


def test_no_selection_says_so(app: Flask, client: FlaskClient, server_id: int) -> None:
    add_links(app, server_id, [{'name': 'a'}])
    assert 'Tick the records' in _act(client, 'entities', 'disable')


def test_without_a_server_the_lists_say_so(client: FlaskClient) -> None:
    html = client.get('/finance-qb/sync/items').get_data(as_text=True)
    assert 'No QuickBooks server has been accepted' in html


def _linkage_cells(client: FlaskClient, url: str) -> list[etree._Element]:
    page = etree.HTML(client.get(url).get_data(as_text=True))
    return page.xpath('//table[@id="fqb-links"]//tr[@data-link]/td[3]')


def test_linkages_open_the_crm_record_where_the_host_has_a_page_for_it(app: Flask, client: FlaskClient,
                                                                       server_id: int) -> None:
    add_links(app, server_id, [{'name': 'Acme', 'crm_id': 'a1'}, {'name': 'Only in QuickBooks', 'crm_id': None},
                               {'name': 'Widget', 'crm_kind': 'product', 'crm_id': 'p1', 'qb_type': 'ItemInventory'},
                               {'name': 'INV-1', 'crm_kind': 'invoice', 'crm_id': 'i1', 'qb_type': 'Invoice'}])
    acme, registered = _linkage_cells(client, '/finance-qb/sync/entities')
    assert acme.xpath('a/@href') == ['/admin/account/edit/?id=a1']
    assert acme.xpath('string(a)') == 'Account'
    assert not registered.xpath('a')
    [widget] = _linkage_cells(client, '/finance-qb/sync/items')
    assert widget.xpath('a/@href') == ['/admin/product/edit/?id=p1']
    # The host has no page for this kind: the linkage stays plain text.
    [invoice] = _linkage_cells(client, '/finance-qb/sync/transactions')
    assert not invoice.xpath('a')
    assert 'Invoice' in invoice.xpath('string()')


def test_linkages_cost_no_query_per_row(app: Flask, client: FlaskClient, server_id: int) -> None:
    def queries(url: str) -> int:
        statements: list[str] = []

        def count(*args: Any) -> None:
            statements.append(args[2])

        with app.app_context():
            engine = db.engine
        sa.event.listen(engine, 'before_cursor_execute', count)
        try:
            client.get(url)
        finally:
            sa.event.remove(engine, 'before_cursor_execute', count)
        return len(statements)

    add_links(app, server_id, [{'name': 'first', 'crm_id': 'a0'}])
    one_row = queries('/finance-qb/sync/entities')
    add_links(app, server_id, [{'name': f'acct {n:02d}', 'crm_id': f'a{n + 1}'} for n in range(49)])
    assert len(_linkage_cells(client, '/finance-qb/sync/entities?size=50')) == 50
    assert queries('/finance-qb/sync/entities?size=50') == one_row
