"""The sync on PostgreSQL and MariaDB: a first sync both ways, a message split, and the in-flight bookkeeping."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from hostcrm.extensions import db
from onecrm_finance_qb.models.links import FirstSync, LinkStatus, SyncLink
from onecrm_finance_qb.sync import transitions
from tests.crm import load_plugin, new_crm
from tests.serving import served

from . import qb
from .conftest import SyncBench, make_bench

pytestmark = pytest.mark.slow

DATABASES = [pytest.param('postgresql', marks=pytest.mark.postgres), pytest.param('mariadb', marks=pytest.mark.mariadb)]


@pytest.fixture(params=DATABASES)
def database_bench(request: pytest.FixtureRequest, fresh_database: Callable, tmp_path: Path) -> Iterator[SyncBench]:
    url = fresh_database(request.param).render_as_string(hide_password=False)
    app = load_plugin(new_crm(tmp_path, url))
    try:
        with served(app) as base_url:
            yield make_bench((app, f'{base_url}/finance-qb/qbwc'), tmp_path, 'US')
    finally:
        with app.app_context():
            db.engine.dispose()


def test_first_sync_both_ways_with_a_split_message(database_bench: SyncBench, poison: Callable[[str], None]) -> None:
    bench = database_bench
    qb.add(bench, 'Customer', '<Name>Acme Widgets</Name><Phone>555-0100</Phone>')
    names = [f'Customer {number:02d}' for number in range(5)]
    for name in names:
        bench.add_account(name)
    bench.add_account('Poison Pill')
    poison('Poison Pill')

    result = bench.update()

    assert result.completed, (result.outcome, result.last_error_text)
    assert len(result.hresults) >= 2
    assert set(names) <= set(bench.qb('CustomerRet'))
    links = bench.links('Customer')
    assert links['Acme Widgets'].first_sync == FirstSync.IMPORTED
    assert len(bench.accounts_named('Acme Widgets')) == 1
    assert links['Poison Pill'].status == LinkStatus.EXPORT_ERROR
    for name in [*names, 'Acme Widgets']:
        assert (links[name].status, links[name].status_before) == (LinkStatus.ENABLED, None), name
    again = bench.update()
    assert again.completed
    assert not {kind for kind in again.requests_by_type if kind.endswith(('Add', 'Mod'))}


def test_sending_keeps_the_status_each_link_returns_to(database_bench: SyncBench) -> None:
    """MySQL and MariaDB apply an UPDATE's assignments in order: the old status must be copied before it changes."""
    bench = database_bench
    with bench.app.app_context():
        links = [
            SyncLink(
                server_id=bench.server_id,
                crm_kind='account',
                crm_id=f'A{number}',
                qb_type='Customer',
                name=f'Customer {number}',
                status=status,
            )
            for number, status in enumerate([LinkStatus.PENDING_EXPORT, LinkStatus.PENDING_UPDATE])
        ]
        db.session.add_all(links)
        db.session.commit()
        ids = [link.id for link in links]
        transitions.send_all(db.session, ids, run_id=7)
        db.session.commit()
        rows = db.session.execute(
            sa.select(SyncLink.status, SyncLink.status_before, SyncLink.last_run_id)
            .where(SyncLink.id.in_(ids))
            .order_by(SyncLink.id)
        ).all()
        assert [tuple(row) for row in rows] == [
            (LinkStatus.IN_FLIGHT, LinkStatus.PENDING_EXPORT, 7),
            (LinkStatus.IN_FLIGHT, LinkStatus.PENDING_UPDATE, 7),
        ]
        first = db.session.get(SyncLink, ids[0])
        transitions.not_sent(first)
        db.session.commit()
        assert (first.status, first.status_before) == (LinkStatus.PENDING_EXPORT, None)
