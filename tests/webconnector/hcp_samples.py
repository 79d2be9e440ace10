"""Hand-written Host/Company/Preferences responses, shaped like those QBWC sends."""

from __future__ import annotations

OWNER_ID = '{57F3B9B1-86F1-4FCC-B1EE-566DE1813D20}'


def hcp_response(
    *,
    file_id: str = '{11111111-1111-1111-1111-111111111111}',
    owner_id: str = OWNER_ID,
    company_name: str = 'Rock Castle Construction',
    country: str = 'US',
    versions: tuple[str, ...] = ('1.0', '2.0', '12.0', '13.0'),
    sales_tax: bool = True,
    estimates: bool = True,
    inventory: bool = True,
) -> str:
    supported = ''.join(f'<SupportedQBXMLVersion>{v}</SupportedQBXMLVersion>' for v in versions)
    file_ext = (
        f'<DataExtRet><OwnerID>{owner_id}</OwnerID><DataExtName>FileID</DataExtName>'
        f'<DataExtType>STR255TYPE</DataExtType><DataExtValue>{file_id}</DataExtValue></DataExtRet>'
        if file_id
        else ''
    )
    sales_tax_block = (
        '<SalesTaxPreferences><DefaultItemSalesTaxRef><FullName>San Tomas</FullName></DefaultItemSalesTaxRef>'
        '<PaySalesTax>Monthly</PaySalesTax></SalesTaxPreferences>'
        if sales_tax
        else ''
    )
    return f"""<?xml version="1.0" ?>
<QBXML>
<QBXMLMsgsRs>
<HostQueryRs requestID="0" statusCode="0" statusSeverity="Info" statusMessage="Status OK">
<HostRet>
<ProductName>QuickBooks Premier Edition 2014</ProductName>
<MajorVersion>24</MajorVersion>
<MinorVersion>0</MinorVersion>
<Country>{country}</Country>
{supported}
<IsAutomaticLogin>false</IsAutomaticLogin>
<QBFileMode>SingleUser</QBFileMode>
</HostRet>
</HostQueryRs>
<CompanyQueryRs requestID="1" statusCode="0" statusSeverity="Info" statusMessage="Status OK">
<CompanyRet>
<IsSampleCompany>false</IsSampleCompany>
<CompanyName>{company_name}</CompanyName>
<LegalCompanyName>{company_name} Inc.</LegalCompanyName>
{file_ext}
<DataExtRet><OwnerID>{{00000000-AAAA-BBBB-CCCC-000000000000}}</OwnerID><DataExtName>FileID</DataExtName>
<DataExtType>STR255TYPE</DataExtType><DataExtValue>{{OTHER-APPLICATION}}</DataExtValue></DataExtRet>
</CompanyRet>
</CompanyQueryRs>
<PreferencesQueryRs requestID="2" statusCode="0" statusSeverity="Info" statusMessage="Status OK">
<PreferencesRet>
<AccountingPreferences><IsUsingAccountNumbers>false</IsUsingAccountNumbers>
<IsRequiringAccounts>true</IsRequiringAccounts></AccountingPreferences>
<JobsAndEstimatesPreferences><IsUsingEstimates>{str(estimates).lower()}</IsUsingEstimates></JobsAndEstimatesPreferences>
<MultiCurrencyPreferences><IsMultiCurrencyOn>true</IsMultiCurrencyOn>
<HomeCurrencyRef><FullName>US Dollar</FullName></HomeCurrencyRef></MultiCurrencyPreferences>
<PurchasesAndVendorsPreferences><IsUsingInventory>{str(inventory).lower()}</IsUsingInventory>
<DaysBillsAreDue>10</DaysBillsAreDue><IsAutomaticallyUsingDiscounts>true</IsAutomaticallyUsingDiscounts>
</PurchasesAndVendorsPreferences>
<SalesAndCustomersPreferences><IsAutoApplyingPayments>true</IsAutoApplyingPayments></SalesAndCustomersPreferences>
{sales_tax_block}
<CurrentAppAccessRights><IsAutomaticLoginAllowed>false</IsAutomaticLoginAllowed>
<IsPersonalDataAccessAllowed>true</IsPersonalDataAccessAllowed></CurrentAppAccessRights>
</PreferencesRet>
</PreferencesQueryRs>
</QBXMLMsgsRs>
</QBXML>"""


COMPANY_QUERY_OK = """<?xml version="1.0" ?>
<QBXML><QBXMLMsgsRs>
<CompanyQueryRs requestID="1" statusCode="0" statusSeverity="Info" statusMessage="Status OK">
<CompanyRet><CompanyName>Rock Castle Construction</CompanyName></CompanyRet>
</CompanyQueryRs></QBXMLMsgsRs></QBXML>"""
