"""The change cursor and name lookups of hostcrm's contract implementation on PostgreSQL and MariaDB,
where timestamps, collations and case rules differ from SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from hostcrm.extensions import db
from hostcrm.models import Account, Currency, utc_now
from onecrm_finance_qb import host as contract
from onecrm_finance_qb import migrating
from onecrm_finance_qb.state import get_host

from .conftest import build_app, load_plugin


@pytest.fixture(
    params=[pytest.param('postgresql', marks=pytest.mark.postgres), pytest.param('mariadb', marks=pytest.mark.mariadb)]
)
def server_app(request: pytest.FixtureRequest, fresh_database, tmp_path: Path) -> Iterator[Flask]:
    app = build_app(tmp_path, fresh_database(request.param).render_as_string(hide_password=False))
    load_plugin(app)
    with app.app_context():
        with db.engine.begin() as connection:
            migrating.upgrade(connection)
        db.session.add(Currency(iso4217='USD', name='US Dollar', is_base=True))
        db.session.commit()
        yield app
        db.session.remove()
        db.engine.dispose()


def test_cursor_and_lookups(server_app: Flask) -> None:
    host = get_host(server_app)
    ids = [host.accounts.create_from_qb(contract.AccountData(name=f'Customer {n}')) for n in range(5)]
    db.session.execute(sa.update(Account).values(date_modified=utc_now()))
    db.session.commit()

    seen, cursor = [], None
    while True:
        page = host.accounts.changed_since(cursor, 2)
        seen.extend(record.id for record in page.records)
        cursor = page.cursor
        if not page.has_more:
            break
    assert seen == sorted(ids)
    assert host.accounts.changed_since(cursor, 2).records == ()

    host.accounts.update_from_qb(ids[0], contract.AccountData(name='Customer Zero'))
    db.session.commit()
    assert [record.name for record in host.accounts.changed_since(cursor, 10).records] == ['Customer Zero']
    assert [record.id for record in host.accounts.find_by_name('CUSTOMER ZERO')] == [ids[0]]
