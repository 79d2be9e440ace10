"""qbXML versions per edition and the version that introduced each request, element or attribute.

The XSD 13.0 carries no per-element version, so this is a small hand-written table taken from
qbxml-semantics.md section 6.5 (Intuit's annotated 7.0 sample and consolibyte's
``_sinceVersionPaths``). Multi-currency elements are gated at 8.0, the version the reference
believes introduced them.
"""

from __future__ import annotations

US_VERSIONS = ('1.0', '1.1', '2.0', '2.1', '3.0', '4.0', '4.1', '5.0', '6.0', '7.0', '8.0', '9.0', '10.0', '11.0',
               '12.0', '13.0')
NON_US_EDITIONS = ('CA', 'UK', 'AU')

REQUEST_SINCE = {
    'PreferencesQuery': '1.1', 'ReceivePaymentAdd': '1.1', 'ReceivePaymentQuery': '1.1', 'ListDel': '1.1',
    'TxnDel': '1.1',
    'DataExtAdd': '2.0', 'DataExtMod': '2.0', 'DataExtDefAdd': '2.0', 'DataExtDefQuery': '2.0',
    'ItemInventoryAssemblyAdd': '2.0', 'ItemInventoryAssemblyQuery': '2.0', 'BillPaymentCheckAdd': '2.0',
    'BillPaymentCheckQuery': '2.0', 'ListDeletedQuery': '2.0', 'TxnDeletedQuery': '2.0',
    'InvoiceMod': '2.1',
    'EstimateMod': '3.0', 'CreditMemoMod': '3.0', 'BillMod': '3.0', 'ItemOtherChargeMod': '3.0',
    'ItemDiscountMod': '3.0', 'ItemSalesTaxMod': '3.0', 'ItemSalesTaxGroupMod': '3.0', 'ItemGroupMod': '3.0',
    'ItemInventoryAssemblyMod': '3.0', 'ItemFixedAssetAdd': '3.0', 'ItemFixedAssetMod': '3.0',
    'ItemFixedAssetQuery': '3.0',
    'ARRefundCreditCardAdd': '5.0', 'ARRefundCreditCardQuery': '5.0', 'SalesReceiptMod': '5.0',
    'AccountMod': '6.0', 'ReceivePaymentMod': '6.0', 'BillPaymentCheckMod': '6.0', 'CheckMod': '6.0',
    'CurrencyAdd': '8.0', 'CurrencyQuery': '8.0',
}

ELEMENT_SINCE = {
    'OwnerID': '2.0', 'Addr4': '2.0', 'PreferredPaymentMethodRef': '3.0', 'IncludeRetElement': '4.0',
    'RefNumberCaseSensitive': '4.0', 'Addr5': '6.0', 'IsTaxIncluded': '6.0', 'PaymentMethodType': '7.0',
    'ManufacturerPartNumber': '7.0', 'CurrencyRef': '8.0', 'ExchangeRate': '8.0', 'CurrencyFilter': '8.0',
}

ATTRIBUTE_SINCE = {'metaData': '4.0', 'iterator': '5.0', 'iteratorID': '5.0'}


def version_key(version: str) -> tuple[int, int]:
    """'13.0' -> (13, 0), for comparisons."""
    major, _, minor = version.partition('.')
    return int(major), int(minor or 0)


def supported_versions(edition: str) -> list[str]:
    """SupportedQBXMLVersion values a company of this edition reports, oldest first.

    Non-US editions report and expect the Web Connector's country prefix ('CA13.0'), the form
    both 1CRM and consolibyte send (qbxml-semantics.md section 1.2); they start at 2.0 here.
    """
    if edition == 'US':
        return list(US_VERSIONS)
    return [f'{edition}{version}' for version in US_VERSIONS if version_key(version) >= (2, 0)]


def supported_up_to(edition: str, highest: str) -> list[str]:
    """What a company whose QuickBooks speaks at most ``highest`` (plain, e.g. '11.0') supports, oldest first.

    HostRet's SupportedQBXMLVersion list and the parser's accepted versions both come from here, so a
    company never advertises a version it then refuses.
    """
    return [version for version in supported_versions(edition)
            if version_key(version.removeprefix(edition if edition != 'US' else '')) <= version_key(highest)]


def numeric_version(edition: str, declared: str) -> str | None:
    """The numeric part of a declared version when this edition supports it, else None.

    Strict both ways: a US company refuses 'CA13.0' and a Canadian company refuses a bare '13.0',
    so a sender that forgets the edition prefix finds out here rather than on a real file.
    """
    if declared not in supported_versions(edition):
        return None
    return declared if edition == 'US' else declared[len(edition):]


def introduced_after(since: str | None, version: str) -> bool:
    return since is not None and version_key(since) > version_key(version)
