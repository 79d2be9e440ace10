"""``flask finance-qb credentials|qwc|servers``."""

from __future__ import annotations

from lxml import etree

from .conftest import PASSWORD, USERNAME
from .hcp_samples import hcp_response


def invoke(app, *args, input=None):
    return app.test_cli_runner().invoke(args=['finance-qb', *args], input=input)


def test_credentials_set_reads_stdin(app, call):
    password = 'a brand new password'
    result = invoke(app, 'credentials', 'set', '--username', 'robot', '--password-stdin', input=password + '\n')
    assert result.exit_code == 0, result.output
    assert 'a brand new password' not in result.output
    assert call('authenticate', 'robot', 'a brand new password')[1] == ''
    assert call('authenticate', USERNAME, PASSWORD)[1] == 'nvu'


def test_credentials_set_refuses_a_short_password(app):
    result = invoke(app, 'credentials', 'set', '--username', 'robot', '--password-stdin', input='short\n')
    assert result.exit_code != 0
    assert 'at least 12 characters' in result.output


def test_qwc(app, tmp_path):
    out = tmp_path / 'a.qwc'
    result = invoke(app, 'qwc', '--out', str(out), '--url', 'https://crm.example.com/finance-qb/qbwc')
    assert result.exit_code == 0, result.output
    first = etree.parse(str(out)).getroot()
    assert first.find('Scheduler') is None
    url = 'https://crm.example.com/finance-qb/qbwc'
    invoke(app, 'qwc', '--out', str(out), '--url', url, '--run-every-minutes', '15')
    second = etree.parse(str(out)).getroot()
    assert second.findtext('Scheduler/RunEveryNMinutes') == '15'
    assert second.findtext('FileID') == first.findtext('FileID')
    invoke(app, 'qwc', '--out', str(out), '--url', 'https://crm.example.com/finance-qb/qbwc', '--new-pairing')
    assert etree.parse(str(out)).getroot().findtext('FileID') != first.findtext('FileID')


def test_qwc_refuses_plain_http(app, tmp_path):
    result = invoke(app, 'qwc', '--out', str(tmp_path / 'a.qwc'), '--url', 'http://crm.example.com/finance-qb/qbwc')
    assert result.exit_code != 0
    assert 'HTTPS' in result.output
    assert not (tmp_path / 'a.qwc').exists()


def test_qwc_needs_an_address(app, tmp_path):
    result = invoke(app, 'qwc', '--out', str(tmp_path / 'a.qwc'))
    assert result.exit_code != 0
    assert 'server address' in result.output


def test_servers_list_accept_resolve(app, call):
    assert invoke(app, 'servers', 'accept').exit_code != 0
    for company_file, file_id in (('C:\\a.qbw', '{A}'), ('C:\\b.qbw', '{B}')):
        ticket = call('authenticate', USERNAME, PASSWORD)[0]
        call('send_request_xml', ticket, hcp_response(file_id=file_id), company_file, 'US', 13, 0)
        call('close_connection', ticket)
    listing = invoke(app, 'servers', 'list').output
    assert 'C:\\a.qbw' in listing
    assert 'C:\\b.qbw\t{B}' in listing
    # The last attempt (b) is accepted by default.
    assert 'C:\\b.qbw' in invoke(app, 'servers', 'accept').output
    assert invoke(app, 'servers', 'accept').exit_code != 0
    assert invoke(app, 'servers', 'resolve', '--action', 'replace').exit_code != 0  # no attempt left
    ticket = call('authenticate', USERNAME, PASSWORD)[0]
    call('send_request_xml', ticket, hcp_response(file_id='{A}'), 'C:\\a.qbw', 'US', 13, 0)
    call('close_connection', ticket)
    result = invoke(app, 'servers', 'resolve', '--action', 'replace')
    assert 'C:\\a.qbw' in result.output
    assert invoke(app, 'servers', 'resolve', '--action', 'bogus').exit_code != 0
