"""Reading the Host/Company/Preferences (HCP) response QBWC sends with the first sendRequestXML.

It tells us which QuickBooks this is (product, version, edition, supported qbXML versions, file
mode), which company file (name and the FileID DataExt QBWC wrote under our OwnerID), and the
preferences that decide what can be synchronised. QuickBooks is an outside party, so the text
is parsed with the hardened parser and every field is optional.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from lxml import etree

from onecrm_finance_qb.xmlsafe import parse_untrusted

#: The DataExt QBWC creates from the .qwc FileID on first connection.
FILE_ID_DATAEXT = 'FileID'


class HCPError(ValueError):
    """The HCP response is missing or unreadable."""


@dataclass(frozen=True)
class Preferences:
    """The company preferences the sync cares about; None where QuickBooks did not say."""

    sales_tax: bool | None = None
    estimates: bool | None = None
    inventory: bool | None = None
    multicurrency: bool | None = None
    home_currency: str | None = None
    auto_apply_payments: bool | None = None
    automatic_discounts: bool | None = None
    account_numbers: bool | None = None
    requiring_accounts: bool | None = None
    units_of_measure: bool | None = None
    foreign_prices_on_items: bool | None = None
    personal_data_access: bool | None = None
    first_day_of_week: str | None = None


@dataclass(frozen=True)
class HostCompanyInfo:
    """Everything the first call told us about QuickBooks and its company file."""

    product_name: str = ''
    major_version: str = ''
    minor_version: str = ''
    country: str = ''
    supported_qbxml_versions: tuple[str, ...] = ()
    file_mode: str = ''
    automatic_login: bool | None = None
    company_name: str = ''
    legal_company_name: str = ''
    file_id: str = ''
    file_id_owner: str = ''
    preferences: Preferences = field(default_factory=Preferences)

    @property
    def version(self) -> str:
        return '.'.join(part for part in (self.major_version, self.minor_version) if part)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, for keeping the details on the server record."""
        data = asdict(self)
        data['supported_qbxml_versions'] = list(self.supported_qbxml_versions)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HostCompanyInfo:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known['supported_qbxml_versions'] = tuple(known.get('supported_qbxml_versions') or ())
        prefs = known.get('preferences') or {}
        known['preferences'] = Preferences(**{k: v for k, v in prefs.items() if k in Preferences.__dataclass_fields__})
        return cls(**known)


def parse_hcp(text: str, *, owner_id: str, max_bytes: int) -> HostCompanyInfo:
    """Decode an HCP response; ``owner_id`` selects our FileID DataExt among any others."""
    if not (text or '').strip():
        raise HCPError('no Host/Company/Preferences response was sent')
    root = parse_untrusted(text, max_bytes=max_bytes)
    host = _first(root, 'HostRet')
    company = _first(root, 'CompanyRet')
    if host is None and company is None:
        raise HCPError('the response holds neither HostRet nor CompanyRet')
    file_id, file_id_owner = _file_id(company, owner_id)
    return HostCompanyInfo(
        product_name=_text(host, 'ProductName'),
        major_version=_text(host, 'MajorVersion'),
        minor_version=_text(host, 'MinorVersion'),
        country=_text(host, 'Country'),
        supported_qbxml_versions=tuple(_texts(host, 'SupportedQBXMLVersion')),
        file_mode=_text(host, 'QBFileMode'),
        automatic_login=_bool(host, 'IsAutomaticLogin'),
        company_name=_text(company, 'CompanyName'),
        legal_company_name=_text(company, 'LegalCompanyName'),
        file_id=file_id,
        file_id_owner=file_id_owner,
        preferences=_preferences(_first(root, 'PreferencesRet')),
    )


def _first(root: etree._Element, tag: str) -> etree._Element | None:
    return next(root.iter(tag), None)


def _text(parent: etree._Element | None, path: str) -> str:
    if parent is None:
        return ''
    found = parent.find(path)
    return (found.text or '').strip() if found is not None else ''


def _texts(parent: etree._Element | None, tag: str) -> list[str]:
    return [] if parent is None else [(e.text or '').strip() for e in parent.findall(tag) if (e.text or '').strip()]


def _bool(parent: etree._Element | None, path: str) -> bool | None:
    value = _text(parent, path).lower()
    return {'true': True, 'false': False}.get(value)


def _file_id(company: etree._Element | None, owner_id: str) -> tuple[str, str]:
    """Our FileID DataExt: the one named FileID under our OwnerID (another application's is not ours)."""
    if company is None:
        return '', ''
    ours = owner_id.strip('{}').lower()
    for ext in company.findall('DataExtRet'):
        owner = _text(ext, 'OwnerID')
        if _text(ext, 'DataExtName') == FILE_ID_DATAEXT and owner.strip('{}').lower() in (ours, ''):
            return _text(ext, 'DataExtValue'), owner or owner_id
    return '', ''


def _preferences(prefs: etree._Element | None) -> Preferences:
    if prefs is None:
        return Preferences()
    multicurrency = _bool(prefs, 'AccountingPreferences/IsUsingMulticurrency')
    if multicurrency is None:
        multicurrency = _bool(prefs, 'MultiCurrencyPreferences/IsMultiCurrencyOn')
    home_currency = _text(prefs, 'AccountingPreferences/HomeCurrencyRef/FullName') or _text(
        prefs, 'MultiCurrencyPreferences/HomeCurrencyRef/FullName'
    )
    tax_block = prefs.find('SalesTaxPreferences')
    if tax_block is None:
        tax_block = prefs.find('TaxPreferences')
    return Preferences(
        sales_tax=tax_block is not None,
        estimates=_bool(prefs, 'JobsAndEstimatesPreferences/IsUsingEstimates'),
        inventory=_bool(prefs, 'PurchasesAndVendorsPreferences/IsUsingInventory'),
        multicurrency=multicurrency,
        home_currency=home_currency or None,
        auto_apply_payments=_bool(prefs, 'SalesAndCustomersPreferences/IsAutoApplyingPayments'),
        automatic_discounts=_bool(prefs, 'PurchasesAndVendorsPreferences/IsAutomaticallyUsingDiscounts'),
        account_numbers=_bool(prefs, 'AccountingPreferences/IsUsingAccountNumbers'),
        requiring_accounts=_bool(prefs, 'AccountingPreferences/IsRequiringAccounts'),
        units_of_measure=_bool(prefs, 'PurchasesAndVendorsPreferences/IsUsingUnitsOfMeasure'),
        foreign_prices_on_items=_bool(prefs, 'AccountingPreferences/IsUsingForeignPricesOnItems'),
        personal_data_access=_bool(prefs, 'CurrentAppAccessRights/IsPersonalDataAccessAllowed'),
        first_day_of_week=_text(prefs, 'TimeTrackingPreferences/FirstDayOfWeek') or None,
    )
