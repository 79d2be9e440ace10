"""The service on PostgreSQL and MariaDB: a whole run, and the run lock under real concurrency."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from onecrm_finance_qb import request_log
from onecrm_finance_qb.models.base import utc_now
from onecrm_finance_qb.models.requests import SentRequest
from onecrm_finance_qb.models.runs import SyncRun
from onecrm_finance_qb.settings_store import set_setting
from onecrm_finance_qb.webconnector.credentials import set_credential
from onecrm_finance_qb.webconnector.driver import IdentificationDriver
from onecrm_finance_qb.webconnector.servers import accept, last_attempt
from onecrm_finance_qb.webconnector.service import WebConnectorService

from .conftest import PASSWORD, USERNAME, build_app
from .hcp_samples import COMPANY_QUERY_OK, OWNER_ID, hcp_response

DATABASES = [pytest.param('postgresql', marks=pytest.mark.postgres), pytest.param('mariadb', marks=pytest.mark.mariadb)]


@pytest.fixture(params=DATABASES)
def database_app(request, tmp_path, fresh_database):
    app, host = build_app(tmp_path, database_url=fresh_database(request.param).render_as_string(hide_password=False))
    with app.app_context():
        set_credential(host.db.session, USERNAME, PASSWORD)
        set_setting(host.db.session, 'webconnector.owner_id', OWNER_ID)
        host.db.session.commit()
    yield app, host
    with app.app_context():
        host.db.engine.dispose()


def operation(app, host, name, *args):
    with app.app_context():
        service = WebConnectorService(host.db.session, IdentificationDriver(), max_bytes=1 << 20)
        try:
            return getattr(service, name)(*args)
        finally:
            host.db.session.commit()


def test_whole_run(database_app):
    app, host = database_app
    ticket = operation(app, host, 'authenticate', USERNAME, PASSWORD)[0]
    assert operation(app, host, 'send_request_xml', ticket, hcp_response(), 'C:\\a.qbw', 'US', 13, 0) == ''
    operation(app, host, 'close_connection', ticket)
    with app.app_context():
        server = last_attempt(host.db.session)
        accept(host.db.session, server.id, server.first_seen)
        host.db.session.commit()
    ticket = operation(app, host, 'authenticate', USERNAME, PASSWORD)[0]
    assert operation(app, host, 'authenticate', USERNAME, PASSWORD)[1] == 'busy'
    assert operation(app, host, 'send_request_xml', ticket, hcp_response(), 'C:\\a.qbw', 'US', 13, 0)
    assert operation(app, host, 'receive_response_xml', ticket, COMPANY_QUERY_OK, '', '') == 100
    operation(app, host, 'close_connection', ticket)
    with app.app_context():
        results = host.db.session.scalars(sa.select(SyncRun.result).order_by(SyncRun.id)).all()
    assert results == ['aborted', 'success']


@pytest.mark.parametrize('lock_row_exists', [False, True], ids=['new-lock-row', 'released-lock-row'])
def test_concurrent_sign_ins_one_run_wins(database_app, lock_row_exists):
    app, host = database_app
    if lock_row_exists:
        ticket = operation(app, host, 'authenticate', USERNAME, PASSWORD)[0]
        operation(app, host, 'close_connection', ticket)
    barrier = threading.Barrier(4)
    answers: list[str] = []

    def sign_in() -> None:
        barrier.wait()
        answers.append(operation(app, host, 'authenticate', USERNAME, PASSWORD)[1])

    threads = [threading.Thread(target=sign_in) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == ['', 'busy', 'busy', 'busy']


def test_closing_a_run_folds_month_old_requests(database_app):
    """The request log's pruning statements (DISTINCT with LIMIT, DELETE by run) on each database."""
    app, host = database_app
    with app.app_context():
        db = host.db.session
        old = SyncRun(session_id=1, server_id=1, started_at=utc_now() - request_log.RETENTION - timedelta(days=1))
        recent = SyncRun(session_id=1, server_id=1, started_at=utc_now())
        db.add_all([old, recent])
        db.flush()
        db.add_all(
            [SentRequest(server_id=1, run_id=run.id, request_type='CustomerQuery', family='customers',
                         action='import', state='answered', status_code=0) for run in (old, old, recent)]
        )
        db.commit()
        old_id, recent_id = old.id, recent.id
    ticket = operation(app, host, 'authenticate', USERNAME, PASSWORD)[0]
    operation(app, host, 'close_connection', ticket)
    with app.app_context():
        db = host.db.session
        assert db.scalars(sa.select(SentRequest.run_id)).all() == [recent_id]
        groups = request_log.request_groups(db, db.get(SyncRun, old_id))
        assert [(group.request_type, group.count) for group in groups] == [('CustomerQuery', 2)]
