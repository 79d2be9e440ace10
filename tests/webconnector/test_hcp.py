"""Reading the Host/Company/Preferences response of the first sendRequestXML."""

import pytest

from onecrm_finance_qb.webconnector.hcp import HCPError, HostCompanyInfo, parse_hcp

from .hcp_samples import OWNER_ID, hcp_response


def test_hand_written_us_sample():
    info = parse_hcp(hcp_response(), owner_id=OWNER_ID, max_bytes=1 << 20)
    assert info.product_name == 'QuickBooks Premier Edition 2014'
    assert info.version == '24.0'
    assert info.country == 'US'
    assert info.supported_qbxml_versions == ('1.0', '2.0', '12.0', '13.0')
    assert info.file_mode == 'SingleUser'
    assert info.company_name == 'Rock Castle Construction'
    assert info.legal_company_name == 'Rock Castle Construction Inc.'
    assert info.file_id == '{11111111-1111-1111-1111-111111111111}'
    assert info.file_id_owner == OWNER_ID
    prefs = info.preferences
    assert prefs.sales_tax is True
    assert prefs.estimates is True
    assert prefs.inventory is True
    assert prefs.multicurrency is True
    assert prefs.home_currency == 'US Dollar'
    assert prefs.auto_apply_payments is True
    assert prefs.automatic_discounts is True
    assert prefs.requiring_accounts is True
    assert prefs.personal_data_access is True


def test_owner_id_selects_our_file_id():
    info = parse_hcp(hcp_response(file_id=''), owner_id=OWNER_ID, max_bytes=1 << 20)
    assert info.file_id == ''


def test_owner_id_comparison_ignores_case_and_braces():
    info = parse_hcp(hcp_response(), owner_id=OWNER_ID.lower().strip('{}'), max_bytes=1 << 20)
    assert info.file_id == '{11111111-1111-1111-1111-111111111111}'


def test_disabled_features():
    info = parse_hcp(
        hcp_response(sales_tax=False, estimates=False, inventory=False), owner_id=OWNER_ID, max_bytes=1 << 20
    )
    assert (info.preferences.sales_tax, info.preferences.estimates, info.preferences.inventory) == (
        False,
        False,
        False,
    )


def test_round_trip_through_dict():
    info = parse_hcp(hcp_response(country='CA'), owner_id=OWNER_ID, max_bytes=1 << 20)
    assert HostCompanyInfo.from_dict(info.to_dict()) == info


@pytest.mark.parametrize('text', ['', '   ', '<QBXML><QBXMLMsgsRs/></QBXML>'])
def test_missing_or_empty(text):
    with pytest.raises(HCPError):
        parse_hcp(text, owner_id=OWNER_ID, max_bytes=1 << 20)


def test_script_in_company_name_is_kept_as_data():
    info = parse_hcp(hcp_response(company_name='&lt;script&gt;x&lt;/script&gt;'), owner_id=OWNER_ID, max_bytes=1 << 20)
    assert info.company_name == '<script>x</script>'
