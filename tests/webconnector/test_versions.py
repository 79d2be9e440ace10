"""qbXML version negotiation, the country prefix and the QBWC version gate."""

import pytest

from onecrm_finance_qb.webconnector.versions import (
    NoCommonVersionError,
    QbxmlVersion,
    client_version_answer,
    negotiate,
)


def test_highest_common_version_us():
    version = negotiate(['1.0', '2.0', '12.0', '13.0', '14.0'], 'US')
    assert version == QbxmlVersion(13, 0, 'US')
    assert version.prolog_version == '13.0'


def test_country_prefix_for_non_us():
    version = negotiate(['CA2.0', 'CA3.0', '6.0'], 'ca')
    assert version.prolog_version == 'CA6.0'


def test_reported_maximum_used_when_no_list():
    assert negotiate([], 'UK', reported_max=(8, 0)).prolog_version == 'UK8.0'


def test_empty_country_means_us():
    assert negotiate(['13.0'], '').country == 'US'


def test_no_common_version():
    with pytest.raises(NoCommonVersionError):
        negotiate(['1.0', '1.1'], 'US')


@pytest.mark.parametrize(
    ('qbwc', 'accepted'),
    [('2.3.0.215', True), ('2.0.0.1', True), ('1.5.0.1', False), ('1.0', False), ('garbage', True)],
)
def test_client_version_gate(qbwc, accepted):
    answer = client_version_answer(qbwc)
    if accepted:
        assert answer == ''
    else:
        assert answer.startswith('E:')
        assert qbwc in answer


@pytest.mark.parametrize('text', ['13.0', 'CA13.0', 'UK6.0'])
def test_prolog_round_trip(text):
    assert QbxmlVersion.from_prolog(text).prolog_version == text


def test_prolog_rejects_garbage():
    with pytest.raises(ValueError, match='not a qbXML version'):
        QbxmlVersion.from_prolog('thirteen')
