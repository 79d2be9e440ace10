"""HostQuery, CompanyQuery and PreferencesQuery: what the Web Connector's first call reports.

PreferencesRet mirrors the feature switches a client detects (qbxml-semantics.md section 7.3):
``SalesTaxPreferences`` is present only with sales tax on (US), estimates, inventory and
multi-currency each have their flag.
"""

from __future__ import annotations

from lxml import etree

from qbsim.kinds import ESTIMATES, INVENTORY, MULTICURRENCY, SALES_TAX
from qbsim.requests.context import Context
from qbsim.requests.list_queries import data_ext_rets, query_params
from qbsim.requests.response import Response
from qbsim.schema.versions import supported_up_to
from qbsim.store import COMPANY_OBJECT_ID
from qbsim.xmlio import doc_to_element

PRODUCT_YEAR = 2014
PRODUCT_NAMES = {'US': 'QuickBooks Pro {year}', 'CA': 'QuickBooks Pro {year} Canadian Edition',
                 'UK': 'QuickBooks Pro {year} UK Edition', 'AU': 'QuickBooks Pro {year} Australian Edition'}


def product_name(edition: str) -> str:
    return PRODUCT_NAMES[edition].format(year=PRODUCT_YEAR)


def _ret(ctx: Context, tag: str, doc: dict, params: dict) -> etree._Element:
    include = frozenset(params['IncludeRetElement']) if 'IncludeRetElement' in params else None
    return doc_to_element(tag, doc, ctx.tables.rets[tag], ctx.tables, include)


def _flag(value: bool) -> str:
    return 'true' if value else 'false'


def host_query(ctx: Context, node: etree._Element) -> Response:
    """The versions listed are the company's own, never newer than the version it was created with."""
    params = query_params(ctx, node, 'HostQuery')
    versions = supported_up_to(ctx.edition, ctx.settings['qbxml_version'])
    doc = {'ProductName': product_name(ctx.edition), 'MajorVersion': str(PRODUCT_YEAR - 1990), 'MinorVersion': '0',
           'Country': ctx.edition, 'SupportedQBXMLVersion': versions, 'IsAutomaticLogin': 'false',
           'QBFileMode': 'SingleUser'}
    return Response(elements=[_ret(ctx, 'HostRet', doc, params)])


def company_query(ctx: Context, node: etree._Element) -> Response:
    params = query_params(ctx, node, 'CompanyQuery')
    settings = ctx.settings
    doc = {'IsSampleCompany': 'false', 'CompanyName': settings['company_name'],
           'LegalCompanyName': settings['company_name'], 'FirstMonthFiscalYear': 'January',
           'FirstMonthIncomeTaxYear': 'January'}
    if params.get('OwnerID'):
        doc['DataExtRet'] = data_ext_rets(ctx, COMPANY_OBJECT_ID, params['OwnerID'])
    return Response(elements=[_ret(ctx, 'CompanyRet', doc, params)])


def preferences_query(ctx: Context, node: etree._Element) -> Response:
    params = query_params(ctx, node, 'PreferencesQuery')
    doc = {
        'AccountingPreferences': {'IsUsingAccountNumbers': 'false', 'IsRequiringAccounts': 'true',
                                  'IsUsingClassTracking': 'false', 'IsUsingAuditTrail': 'true',
                                  'IsAssigningJournalEntryNumbers': 'true'},
        'FinanceChargePreferences': {'GracePeriod': '0', 'IsAssessingForOverdueCharges': 'false',
                                     'CalculateChargesFrom': 'DueDate', 'IsMarkedToBePrinted': 'false'},
        'JobsAndEstimatesPreferences': {'IsUsingEstimates': _flag(ctx.feature_on(ESTIMATES)),
                                        'IsUsingProgressInvoicing': 'false',
                                        'IsPrintingItemsWithZeroAmounts': 'false'},
        'MultiCurrencyPreferences': {'IsMultiCurrencyOn': _flag(ctx.feature_on(MULTICURRENCY))},
        'PurchasesAndVendorsPreferences': {'IsUsingInventory': _flag(ctx.feature_on(INVENTORY)),
                                           'DaysBillsAreDue': '10', 'IsAutomaticallyUsingDiscounts': 'false'},
        'ReportsPreferences': {'AgingReportBasis': 'AgeFromDueDate', 'SummaryReportBasis': 'Accrual'},
        'SalesAndCustomersPreferences': {'IsTrackingReimbursedExpensesAsIncome': 'false',
                                         'IsAutoApplyingPayments': 'true',
                                         'PriceLevels': {'IsUsingPriceLevels': 'false'}},
        'TimeTrackingPreferences': {'FirstDayOfWeek': 'Sunday'},
        'CurrentAppAccessRights': {'IsAutomaticLoginAllowed': 'true', 'IsPersonalDataAccessAllowed': 'true'},
    }
    home = ctx.store.get_meta('home_currency')
    if ctx.feature_on(MULTICURRENCY) and home:
        doc['MultiCurrencyPreferences']['HomeCurrencyRef'] = home
    sales_tax = ctx.store.get_meta('sales_tax_preferences')
    if ctx.edition == 'US' and ctx.feature_on(SALES_TAX) and sales_tax:
        doc['SalesTaxPreferences'] = sales_tax
    return Response(elements=[_ret(ctx, 'PreferencesRet', doc, params)])
