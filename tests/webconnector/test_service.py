"""The QBWC operations: sign-in, tickets, busy, identification, the run and its record."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from onecrm_finance_qb import request_log
from onecrm_finance_qb.models.requests import SentRequest
from onecrm_finance_qb.models.runs import SyncRun
from onecrm_finance_qb.models.servers import QBServer
from onecrm_finance_qb.models.sessions import WCSession
from onecrm_finance_qb.settings_store import set_setting
from onecrm_finance_qb.webconnector import tickets
from onecrm_finance_qb.webconnector.credentials import set_credential
from onecrm_finance_qb.webconnector.servers import accept
from onecrm_finance_qb.webconnector.service import INVALID_TICKET

from .conftest import PASSWORD, USERNAME
from .hcp_samples import COMPANY_QUERY_OK, hcp_response

COMPANY_FILE = 'C:\\Company Files\\rock castle.qbw'


def first_call(call, ticket, company_file=COMPANY_FILE, **hcp):
    return call('send_request_xml', ticket, hcp_response(**hcp), company_file, 'US', 13, 0)


def sign_in(call):
    ticket, *_ = call('authenticate', USERNAME, PASSWORD)
    assert len(ticket) >= 43
    return ticket


def pair(app, host, call):
    """First run records the server, the administrator accepts it."""
    ticket = sign_in(call)
    assert first_call(call, ticket) == ''
    call('close_connection', ticket)
    with app.app_context():
        server = host.db.session.scalars(sa.select(QBServer)).one()
        accept(host.db.session, server.id, server.first_seen)
        host.db.session.commit()
        return server.id


def runs(app, host):
    with app.app_context():
        return [
            (r.result, r.message, r.server_id) for r in host.db.session.scalars(sa.select(SyncRun).order_by(SyncRun.id))
        ]


def test_server_and_client_version(call):
    assert call('server_version').startswith('Finance (QB) ')
    assert call('client_version', '2.3.0.215') == ''
    assert call('client_version', '1.5.0.1').startswith('E:')


def test_authenticate_answers_four_elements(call):
    answer = call('authenticate', USERNAME, PASSWORD)
    assert len(answer) == 4
    assert answer[1:] == ['', '', '']


def test_wrong_password_is_nvu_and_logged_without_password(call, caplog):
    caplog.set_level(logging.WARNING)
    assert call('authenticate', USERNAME, 'wrong password!!') == ['', 'nvu', '', '']
    assert call('authenticate', 'someone-else', PASSWORD) == ['', 'nvu', '', '']
    assert 'wrong password!!' not in caplog.text
    assert PASSWORD not in caplog.text
    assert USERNAME in caplog.text


def test_no_credential_configured_is_nvu(app, host, call):
    with app.app_context():
        host.db.session.execute(sa.text('DELETE FROM qb_sync_credentials'))
        host.db.session.commit()
    assert call('authenticate', USERNAME, PASSWORD)[1] == 'nvu'


def test_lockout_grows_and_blocks_the_right_password(call, clock):
    for _ in range(3):
        assert call('authenticate', USERNAME, 'bad password')[1] == 'nvu'
    # Third failure: locked for the base 30 s, even with the right password.
    assert call('authenticate', USERNAME, PASSWORD)[1] == 'nvu'
    clock.advance(seconds=31)
    assert call('authenticate', USERNAME.upper(), 'bad password')[1] == 'nvu'
    # Fourth failure (the name is case-insensitive for the throttle): 60 s now.
    clock.advance(seconds=45)
    assert call('authenticate', USERNAME, PASSWORD)[1] == 'nvu'
    clock.advance(seconds=16)
    assert call('authenticate', USERNAME, PASSWORD)[1] == ''
    # Success resets the counter.
    assert call('authenticate', USERNAME, 'bad password')[1] == 'nvu'


def test_first_server_is_recorded_but_not_accepted(app, host, call):
    ticket = sign_in(call)
    assert first_call(call, ticket) == ''
    message = call('get_last_error', ticket)
    assert 'not accepted yet' in message
    assert COMPANY_FILE in message
    assert call('send_request_xml', ticket, '', COMPANY_FILE, 'US', 13, 0) == ''
    call('close_connection', ticket)
    with app.app_context():
        server = host.db.session.scalars(sa.select(QBServer)).one()
        assert not server.is_primary
        assert server.attempt_at is not None
        assert server.company_name == 'Rock Castle Construction'
        assert server.file_id == '{11111111-1111-1111-1111-111111111111}'
        assert server.ip_address == '10.0.0.5'
    assert runs(app, host)[-1][0] == 'aborted'


def test_accepted_primary_completes_a_run(app, host, call):
    server_id = pair(app, host, call)
    ticket = sign_in(call)
    request = first_call(call, ticket)
    assert '<?qbxml version="13.0"?>' in request
    assert '<CompanyQueryRq requestID="1">' in request
    assert call('receive_response_xml', ticket, COMPANY_QUERY_OK, '', '') == 100
    assert 'completed' in call('close_connection', ticket)
    result, _message, run_server = runs(app, host)[-1]
    assert (result, run_server) == ('success', server_id)
    with app.app_context():
        server = host.db.session.get(QBServer, server_id)
        assert server.qbxml_version == '13.0'
        assert server.attempt_at is None


def test_country_prefix_in_request(app, host, call):
    ticket = sign_in(call)
    call('send_request_xml', ticket, hcp_response(country='CA', versions=('CA3.0', '6.0', '13.0')), COMPANY_FILE,
         'CA', 13, 0)  # fmt: skip
    call('close_connection', ticket)
    with app.app_context():
        server = host.db.session.scalars(sa.select(QBServer)).one()
        accept(host.db.session, server.id, server.first_seen)
        host.db.session.commit()
    ticket = sign_in(call)
    request = call('send_request_xml', ticket, hcp_response(country='CA', versions=('CA3.0', '6.0', '13.0')),
                   COMPANY_FILE, 'CA', 13, 0)  # fmt: skip
    assert '<?qbxml version="CA13.0"?>' in request


def test_hresult_aborts_the_run(app, host, call):
    pair(app, host, call)
    ticket = sign_in(call)
    first_call(call, ticket)
    assert call('receive_response_xml', ticket, '', '0x80040400', 'QuickBooks found an error') == -1
    assert '0x80040400' in call('get_last_error', ticket)
    call('close_connection', ticket)
    assert runs(app, host)[-1][0] == 'aborted'


def test_close_before_the_end_is_partial(app, host, call):
    pair(app, host, call)
    ticket = sign_in(call)
    first_call(call, ticket)
    call('close_connection', ticket)
    assert runs(app, host)[-1][0] == 'partial'


TICKETED = [
    ('send_request_xml', ('', COMPANY_FILE, 'US', 13, 0), ''),
    ('receive_response_xml', (COMPANY_QUERY_OK, '', ''), -1),
    ('connection_error', ('0x80040408', 'Could not start QuickBooks'), 'done'),
    ('get_last_error', (), INVALID_TICKET),
    ('close_connection', (), INVALID_TICKET),
    ('interactive_done', (), INVALID_TICKET),
    ('interactive_rejected', ('no',), INVALID_TICKET),
    ('get_interactive_url', ('session',), ''),
]


@pytest.mark.parametrize(('operation', 'args', 'refusal'), TICKETED, ids=[t[0] for t in TICKETED])
def test_forged_ticket_refused(call, operation, args, refusal):
    sign_in(call)
    assert call(operation, 'forged-' + 'A' * 40, *args) == refusal


@pytest.mark.parametrize(('operation', 'args', 'refusal'), TICKETED, ids=[t[0] for t in TICKETED])
def test_expired_ticket_refused(app, host, call, clock, operation, args, refusal):
    pair(app, host, call)
    ticket = sign_in(call)
    clock.advance(minutes=31)
    assert call(operation, ticket, *args) == refusal


def test_activity_keeps_the_ticket_alive(app, host, call, clock):
    pair(app, host, call)
    ticket = sign_in(call)
    clock.advance(minutes=20)
    assert first_call(call, ticket) != ''
    clock.advance(minutes=20)
    assert call('receive_response_xml', ticket, COMPANY_QUERY_OK, '', '') == 100


def test_calls_a_moment_apart_leave_the_session_and_its_lock_unwritten(app, host, call, clock):
    """A run makes a few calls a second: their activity is written once per tenth of the idle time."""
    pair(app, host, call)
    ticket = sign_in(call)
    written = []
    with app.app_context():
        engine = host.db.engine

    def count(_conn, _cursor, statement, *_args):
        if statement.startswith('UPDATE') and ('qb_wc_sessions' in statement or 'qb_run_locks' in statement):
            written.append(statement)

    sa.event.listen(engine, 'before_cursor_execute', count)
    try:
        for _ in range(3):
            clock.advance(seconds=30)
            call('get_last_error', ticket)
        assert written == []
        clock.advance(minutes=2)
        call('get_last_error', ticket)
        assert any('last_seen_at' in statement for statement in written)
        assert any('qb_run_locks' in statement for statement in written)
    finally:
        sa.event.remove(engine, 'before_cursor_execute', count)


def test_steady_activity_keeps_ticket_and_lock_for_nine_tenths_of_the_idle_time_at_least(app, host, call, clock):
    pair(app, host, call)
    ticket = sign_in(call)
    for _ in range(24):
        clock.advance(minutes=2, seconds=30)
        assert call('get_last_error', ticket) != INVALID_TICKET
    clock.advance(minutes=27)
    assert call('get_last_error', ticket) != INVALID_TICKET
    assert call('authenticate', USERNAME, PASSWORD)[1] == 'busy'
    clock.advance(minutes=31)
    assert call('get_last_error', ticket) == INVALID_TICKET
    assert call('authenticate', USERNAME, PASSWORD)[1] == ''


def test_new_credential_invalidates_tickets(app, host, call):
    ticket = sign_in(call)
    with app.app_context():
        set_credential(host.db.session, USERNAME, 'another long password')
        host.db.session.commit()
    assert call('get_last_error', ticket) == INVALID_TICKET


def test_busy_while_another_run_holds_the_file(app, host, call, clock):
    pair(app, host, call)
    first = sign_in(call)
    assert call('authenticate', USERNAME, PASSWORD) == ['', 'busy', '60', '']
    call('close_connection', first)
    assert call('authenticate', USERNAME, PASSWORD)[1] == ''


def test_lock_move_lost_to_a_database_deadlock_answers_busy(app, host, call, monkeypatch):
    """InnoDB may abort a move of the run lock that races another session's: the run ends cleanly."""
    ticket = sign_in(call)

    def deadlock(*args, **kwargs):
        raise tickets.LockContendedError('Deadlock found when trying to get lock')

    monkeypatch.setattr(tickets, 'acquire_lock', deadlock)
    assert first_call(call, ticket) == ''
    assert 'in progress' in call('get_last_error', ticket)
    result, message, _server = runs(app, host)[-1]
    assert (result, message) == ('aborted', 'Another update of this company file is in progress; try again later.')
    monkeypatch.undo()
    assert call('authenticate', USERNAME, PASSWORD)[1] == ''


def test_abandoned_run_frees_the_file_after_idle_time(app, host, call, clock):
    pair(app, host, call)
    sign_in(call)
    assert call('authenticate', USERNAME, PASSWORD)[1] == 'busy'
    clock.advance(minutes=31)
    assert call('authenticate', USERNAME, PASSWORD)[1] == ''


def test_always_request_company_file(app, host, call):
    pair(app, host, call)
    with app.app_context():
        set_setting(host.db.session, 'server.limit_filename', True)
        set_setting(host.db.session, 'sync.allowed', True, 1)
        host.db.session.commit()
    ticket, company_file, *_ = call('authenticate', USERNAME, PASSWORD)
    assert company_file == COMPANY_FILE
    # Another file opened than the one the ticket is for: refused.
    assert first_call(call, ticket, company_file='C:\\other.qbw') == ''
    assert 'not' in call('get_last_error', ticket)


def test_connection_error_retries_configured_file_once(app, host, call):
    pair(app, host, call)
    with app.app_context():
        set_setting(host.db.session, 'server.limit_filename', True)
        set_setting(host.db.session, 'sync.allowed', True, 1)
        host.db.session.commit()
    ticket = sign_in(call)
    assert call('connection_error', ticket, '0x80040408', 'Could not start QuickBooks') == COMPANY_FILE
    assert call('connection_error', ticket, '0x80040408', 'Could not start QuickBooks') == 'done'
    assert 'Could not start QuickBooks' in call('get_last_error', ticket)
    assert runs(app, host)[-1][0] == 'aborted'


def test_connection_error_without_option_ends(app, host, call):
    ticket = sign_in(call)
    assert call('connection_error', ticket, '0x80040401', 'Could not access QuickBooks') == 'done'


def test_none_only_when_provably_nothing_to_do(app, host, call, clock):
    pair(app, host, call)
    # Option off: the file QBWC opens is unknown, so the run goes ahead.
    ticket = sign_in(call)
    call('close_connection', ticket)
    with app.app_context():
        set_setting(host.db.session, 'server.limit_filename', True)
        host.db.session.commit()
    # Option on, sync not enabled, identified a moment ago: nothing to do.
    assert call('authenticate', USERNAME, PASSWORD)[1] == 'none'
    # After the recheck interval, the run identifies the file again.
    clock.advance(hours=25)
    assert call('authenticate', USERNAME, PASSWORD)[1] == COMPANY_FILE


def test_unreadable_hcp_ends_the_run(app, host, call):
    ticket = sign_in(call)
    assert call('send_request_xml', ticket, '<QBXML><oops>', COMPANY_FILE, 'US', 13, 0) == ''
    assert 'Could not read' in call('get_last_error', ticket)


def test_interactive_operations(call):
    ticket = sign_in(call)
    assert call('get_interactive_url', ticket, 'session') == ''
    assert call('interactive_done', ticket) == 'Done'
    assert 'interactive' in call('interactive_rejected', ticket, 'user said no')


def test_closing_a_run_forgets_sessions_idle_beyond_the_retention(app, host, call, clock):
    """Old sessions are purged when a run lets go of its file, not while sign-ins race for it."""
    pair(app, host, call)
    abandoned = sign_in(call)
    first_call(call, abandoned)
    clock.advance(days=40)
    current = sign_in(call)
    with app.app_context():
        assert host.db.session.scalar(sa.select(sa.func.count()).select_from(WCSession)) == 3
    call('close_connection', current)
    with app.app_context():
        # The pairing run's session and the abandoned one are gone; the run just closed stays.
        assert host.db.session.scalar(sa.select(sa.func.count()).select_from(WCSession)) == 1
    assert call('get_last_error', abandoned) == INVALID_TICKET


def test_closing_a_run_folds_the_requests_of_runs_past_the_retention(app, host, call, clock):
    """The request rows of a month-old run give way to its summary; the run history reads the same figures."""
    pair(app, host, call)
    first_call(call, sign_in(call))
    with app.app_context():
        old_run = host.db.session.scalar(sa.select(sa.func.max(SyncRun.id)))
        host.db.session.add_all(
            [_request(old_run, 'CustomerAdd', 'add', 'answered', 0) for _ in range(2)]
            + [_request(old_run, 'CustomerAdd', 'add', 'answered', 3100), _request(old_run, 'CustomerQuery', 'verify')]
        )
        host.db.session.commit()
    clock.advance(days=31)
    current = sign_in(call)
    with app.app_context():
        current_run = host.db.session.scalar(sa.select(sa.func.max(SyncRun.id)))
        host.db.session.add(_request(current_run, 'CustomerQuery', 'import', 'answered', 0))
        host.db.session.commit()
    call('close_connection', current)
    with app.app_context():
        db = host.db.session
        assert db.scalars(sa.select(SentRequest.run_id)).all() == [current_run]
        old = db.get(SyncRun, old_run)
        groups = request_log.request_groups(db, old)
        assert {(group.request_type, group.state, group.status_code, group.count) for group in groups} == {
            ('CustomerAdd', 'answered', 0, 2),
            ('CustomerAdd', 'answered', 3100, 1),
            ('CustomerQuery', 'queued', None, 1),
        }
        # The request still queued never went: the run sent three.
        assert request_log.request_counts(db, [old, db.get(SyncRun, current_run)]) == {old_run: 3, current_run: 1}
        assert request_log.prune(db, clock.now) == 0


def _request(run_id: int, request_type: str, action: str, state: str = 'queued', status_code: int | None = None):
    return SentRequest(server_id=1, run_id=run_id, request_type=request_type, family='customers', action=action,
                       state=state, status_code=status_code)
