"""The .qwc files QBWC refuses, refused with QBWC's codes."""

from __future__ import annotations

import pytest

from qbsim.webconnector import QBWCError, QwcUnsupportedError, load_qwc, parse_qwc, run_update
from qbsim.webconnector.qwc import REQUIRED_ELEMENTS
from tests.qbsim.webconnector.conftest import FILE_ID, OWNER_ID, qwc_text

URL = 'https://sync.example.com/qbwc'


def test_a_complete_qwc_is_read(tmp_path):
    path = tmp_path / 'a.qwc'
    path.write_text(qwc_text(URL, extra='<IsReadOnly>true</IsReadOnly><Style>Document</Style>'))

    qwc = load_qwc(path)

    assert (qwc.app_url, qwc.user_name, qwc.owner_id, qwc.file_id, qwc.qb_type) == (
        URL, 'qbwc-user', OWNER_ID, FILE_ID, 'QBFS')
    assert qwc.is_read_only
    assert qwc.is_https


@pytest.mark.parametrize('element', REQUIRED_ELEMENTS)
def test_a_missing_required_element_is_qbwc1039(element):
    with pytest.raises(QBWCError) as caught:
        parse_qwc(qwc_text(URL, drop=element))

    assert caught.value.code == 'QBWC1039'
    assert element in caught.value.message


def test_app_id_may_be_empty_but_not_missing():
    assert parse_qwc(qwc_text(URL)).app_id == ''


@pytest.mark.parametrize(('url', 'support', 'code'), [
    ('http://sync.example.com/qbwc', None, 'QBWC1051'),
    ('https://203.0.113.7/qbwc', None, 'QBWC1001'),
    (URL, 'https://203.0.113.7/help', 'QBWC1002'),
    (URL, 'https://support.other.org/help', 'QBWC1000'),
    ('ftp://sync.example.com/qbwc', None, 'QBWC1039'),
])
def test_urls_qbwc_refuses(url, support, code):
    with pytest.raises(QBWCError) as caught:
        parse_qwc(qwc_text(url, support=support))

    assert caught.value.code == code


@pytest.mark.parametrize('url', ['http://localhost:8000/qbwc', 'http://127.0.0.1:8000/qbwc'])
def test_http_is_accepted_for_localhost(url):
    assert not parse_qwc(qwc_text(url)).is_https


def test_support_on_another_host_of_the_same_domain_is_accepted():
    assert parse_qwc(qwc_text(URL, support='https://www.example.com/help')).app_support


def test_owner_id_must_be_a_guid():
    with pytest.raises(QBWCError, match='OwnerID is not a GUID'):
        parse_qwc(qwc_text(URL).replace(OWNER_ID, 'my-app'))


@pytest.mark.parametrize('text', [
    '<?xml version="1.0"?><!DOCTYPE QBWCXML [<!ENTITY x "y">]><QBWCXML><AppName>&x;</AppName></QBWCXML>',
    '<QBWCXML><AppName>unclosed</QBWCXML>',
    '<NotQBWC/>',
])
def test_unsafe_or_broken_xml_is_refused(text):
    with pytest.raises(QBWCError) as caught:
        parse_qwc(text)

    assert caught.value.code == 'QBWC1039'


@pytest.mark.parametrize('extra', ['<Style>RPC</Style>', '<Style>DocWrapped</Style>'])
def test_styles_other_than_document_are_not_simulated(extra):
    with pytest.raises(QwcUnsupportedError):
        parse_qwc(qwc_text(URL, extra=extra))


def test_point_of_sale_is_not_simulated():
    with pytest.raises(QwcUnsupportedError):
        parse_qwc(qwc_text(URL).replace('<QBType>QBFS</QBType>', '<QBType>QBPOS</QBType>'))


def test_run_update_refuses_before_any_call(tmp_path, company_path):
    path = tmp_path / 'remote-http.qwc'
    path.write_text(qwc_text('http://sync.example.com/qbwc'))

    with pytest.raises(QBWCError, match='QBWC1051'):
        run_update(path, 'pw', company_path)
