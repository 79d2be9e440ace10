"""Checklist 14: HostRet lists exactly the versions the company accepts, never newer than its own."""

from __future__ import annotations

import pytest

from qbsim import Company, QBXMLParseError


def _advertised(send, company, version: str) -> list[str]:
    host = send('<HostQueryRq/>', target=company, version=version)[0][0]
    return [node.text for node in host.findall('SupportedQBXMLVersion')]


def test_us_company_advertises_up_to_its_own_version(make_company, send):
    company = make_company('us11.qbsim', qbxml_version='11.0')
    advertised = _advertised(send, company, '11.0')
    assert advertised[0] == '1.0'
    assert advertised[-1] == '11.0'
    assert '12.0' not in advertised
    assert '13.0' not in advertised
    assert advertised == company.supported_qbxml_versions


def test_us_company_refuses_a_newer_message(make_company, message):
    company = make_company('us11-refuse.qbsim', qbxml_version='11.0')
    with pytest.raises(QBXMLParseError, match=r'"12\.0"'):
        company.process(message('<HostQueryRq/>', version='12.0'))


def test_every_advertised_version_is_accepted(make_company, message):
    company = make_company('us7.qbsim', qbxml_version='7.0')
    for version in company.supported_qbxml_versions:
        assert 'statusCode="0"' in company.process(message('<HostQueryRq/>', version=version))


@pytest.mark.parametrize('edition', ['CA', 'UK', 'AU'])
def test_non_us_company_advertises_prefixed_versions_up_to_its_own(make_company, send, message, edition):
    company = make_company(f'{edition}11.qbsim', edition=edition, qbxml_version='11.0')
    advertised = _advertised(send, company, f'{edition}11.0')
    assert advertised[0] == f'{edition}2.0'
    assert advertised[-1] == f'{edition}11.0'
    assert all(version.startswith(edition) for version in advertised)
    assert f'{edition}12.0' not in advertised
    assert f'{edition}13.0' not in advertised
    with pytest.raises(QBXMLParseError, match=f'"{edition}13\\.0"'):
        company.process(message('<HostQueryRq/>', version=f'{edition}13.0'))


def test_full_version_company_lists_every_version(company, send):
    advertised = _advertised(send, company, '13.0')
    assert advertised[-1] == '13.0'
    assert len(advertised) == len(set(advertised)) == 16


def test_non_us_edition_without_any_version_is_refused(tmp_path):
    with pytest.raises(ValueError, match=r'no qbXML version up to 1\.1'):
        Company.create(tmp_path / 'ca-old.qbsim', edition='CA', qbxml_version='1.1')
    assert not (tmp_path / 'ca-old.qbsim').exists()
