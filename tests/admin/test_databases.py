"""The sync lists' filters, sorting, keyset paging and bulk buttons on PostgreSQL and MariaDB."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree

from hostcrm.extensions import db
from onecrm_finance_qb.models.links import LinkStatus, SyncLink

from .conftest import ADMIN_ID, NOW, add_links, add_server, build_app, csrf_token, get_link, log_in


@pytest.fixture(params=[pytest.param('postgresql', marks=pytest.mark.postgres),
                        pytest.param('mariadb', marks=pytest.mark.mariadb)])
def server_app(request: pytest.FixtureRequest, fresh_database: Callable, tmp_path: Path) -> Iterator[Flask]:
    app = build_app(tmp_path, fresh_database(request.param).render_as_string(hide_password=False))
    yield app
    with app.app_context():
        db.engine.dispose()


def test_lists_and_buttons(server_app: Flask) -> None:
    server_id = add_server(server_app)
    statuses = [LinkStatus.ENABLED, LinkStatus.EXPORT_BLOCKED, LinkStatus.IMPORT_ERROR]
    ids = add_links(server_app, server_id, [{'name': f"O'Name {n % 7} 100%", 'status': statuses[n % 3],
                                             'qb_id': f'Q{n}'} for n in range(30)])
    client = server_app.test_client()
    log_in(client, ADMIN_ID)
    seen = _walk(client, '/finance-qb/sync/entities?size=25&sort=modified&dir=desc')
    assert sorted(seen) == sorted(ids)
    page = etree.HTML(client.get("/finance-qb/sync/entities?name=O'name 3 100%25&status=all_blocked")
                      .get_data(as_text=True))
    assert page.xpath('string(//p[@class="fqb-count"]/@data-total)') == '1'
    token = csrf_token(client.get('/finance-qb/sync/entities').get_data(as_text=True))
    client.post('/finance-qb/sync/entities/action',
                data={'csrf_token': token, 'action': 'enable', 'scope': 'all', 'status': 'all_errored'})
    assert {get_link(server_app, link_id).status for link_id in ids[2::3]} == {LinkStatus.PENDING_IMPORT}
    assert get_link(server_app, ids[1]).status == LinkStatus.EXPORT_BLOCKED
    client.post('/finance-qb/sync/entities/action',
                data={'csrf_token': token, 'action': 'disable', 'scope': 'all', 'name': "o'NAME 3"})
    named = [n for n in range(30) if n % 7 == 3]
    assert {get_link(server_app, ids[n]).status for n in named} == {LinkStatus.DISABLED}
    assert LinkStatus.DISABLED not in {get_link(server_app, ids[n]).status for n in range(30) if n not in named}


def _walk(client: FlaskClient, url: str | None) -> list[int]:
    """The link ids of every page, following the next-page links from ``url``."""
    seen: list[int] = []
    while url:
        page = etree.HTML(client.get(url).get_data(as_text=True))
        seen += map(int, page.xpath('//table[@id="fqb-links"]//tr/@data-link'))
        following = page.xpath('//a[@rel="next"]/@href')
        url = following[0] if following else None
    return seen


def test_newest_first_follows_quickbooks_changes_across_pages(server_app: Flask) -> None:
    """The database computes the sort value; page tokens compare with it to the microsecond."""
    server_id = add_server(server_app)
    ids = add_links(server_app, server_id, [{'name': f'acct {n:02d}', 'created_at': NOW + timedelta(seconds=n)}
                                            for n in range(60)])
    changed = ids[::2]
    with server_app.app_context():
        db.session.execute(sa.update(SyncLink).where(SyncLink.id.in_(changed))
                           .values(qb_modified_at=NOW + timedelta(hours=1, microseconds=7)))
        db.session.commit()
    client = server_app.test_client()
    log_in(client, ADMIN_ID)
    # The first page ends among the 30 rows changed at the same moment: the next one starts at a tie.
    newest_first = sorted(changed, reverse=True) + sorted(set(ids) - set(changed), reverse=True)
    assert _walk(client, '/finance-qb/sync/entities?size=25&sort=modified&dir=desc') == newest_first
    assert _walk(client, '/finance-qb/sync/entities?size=25&sort=modified') == newest_first[::-1]
