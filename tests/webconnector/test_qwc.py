"""The .qwc builder: every element, escaping, HTTPS required except for localhost."""

import re

import pytest
from lxml import etree

from onecrm_finance_qb.webconnector.qwc import QwcError, QwcSpec, build_qwc, new_guid

GUID = re.compile(r'^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$')


def spec(**overrides):
    values = {
        'app_name': 'Finance (QB)',
        'app_url': 'https://crm.example.com/finance-qb/qbwc',
        'support_path': '/finance-qb/support',
        'user_name': 'qbsync',
        'owner_id': '{11111111-2222-3333-4444-555555555555}',
        'file_id': '{AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE}',
    }
    values.update(overrides)
    return QwcSpec(**values)


def elements(document: bytes) -> dict[str, str]:
    root = etree.fromstring(document)
    assert root.tag == 'QBWCXML'
    return {child.tag: child.text for child in root if len(child) == 0}


def test_every_element():
    values = elements(build_qwc(spec()))
    assert values == {
        'AppName': 'Finance (QB)',
        'AppID': 'onecrm-finance-qb',
        'AppURL': 'https://crm.example.com/finance-qb/qbwc',
        'AppDescription': values['AppDescription'],
        'AppSupport': 'https://crm.example.com/finance-qb/support',
        'UserName': 'qbsync',
        'OwnerID': '{11111111-2222-3333-4444-555555555555}',
        'FileID': '{AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE}',
        'QBType': 'QBFS',
        'IsReadOnly': 'false',
        'PersonalDataPref': 'pdpOptional',
        'UnattendedModePref': 'umpOptional',
        'AuthFlags': '0xF',
        'Style': 'Document',
    }
    assert 0 < len(values['AppDescription']) <= 80


def test_scheduler_off_by_default_and_configurable():
    assert b'Scheduler' not in build_qwc(spec())
    root = etree.fromstring(build_qwc(spec(scheduler_minutes=15)))
    assert root.findtext('Scheduler/RunEveryNMinutes') == '15'
    with pytest.raises(QwcError):
        build_qwc(spec(scheduler_minutes=0))


def test_values_are_escaped():
    nasty = 'a<b>&"c\'</UserName><x>'
    root = etree.fromstring(build_qwc(spec(user_name=nasty, app_name=nasty)))
    assert root.findtext('UserName') == nasty
    assert root.findtext('AppName') == nasty
    assert root.find('x') is None


@pytest.mark.parametrize(
    'url', ['http://crm.example.com/finance-qb/qbwc', 'ftp://crm.example.com/x', 'http://127.0.0.1/x', '/relative']
)
def test_non_https_refused(url):
    with pytest.raises(QwcError):
        build_qwc(spec(app_url=url))


def test_http_allowed_for_localhost():
    values = elements(build_qwc(spec(app_url='http://localhost:8080/finance-qb/qbwc')))
    assert values['AppSupport'] == 'http://localhost:8080/finance-qb/support'


def test_guids_are_fresh_and_well_formed():
    first, second = new_guid(), new_guid()
    assert GUID.match(first)
    assert first != second
