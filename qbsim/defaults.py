"""What a new company file holds before anyone adds to it, per edition and feature switch.

A small chart of accounts, the usual terms, payment and ship methods, the tax codes of the
edition (US "Tax"/"Non" plus the "Out of State" sales tax item QuickBooks creates; GST/HST/PST
codes for Canada, VAT codes for the UK, GST codes for Australia) and, with multi-currency on, a few
currencies. It is written as seed data, so it goes through the same Add requests as anything else.
"""

from __future__ import annotations

HOME_CURRENCIES = {'US': ('US Dollar', 'USD'), 'CA': ('Canadian Dollar', 'CAD'),
                   'UK': ('British Pound Sterling', 'GBP'), 'AU': ('Australian Dollar', 'AUD')}
TAX_LIABILITY = {'US': 'Sales Tax Payable', 'CA': 'GST/HST Payable', 'UK': 'VAT Liability', 'AU': 'GST Payable'}

NON_US_TAX_CODES = {
    'CA': [{'Name': 'G', 'Desc': 'GST', 'Tax1Rate': '5.0'},
           {'Name': 'H', 'Desc': 'HST', 'Tax1Rate': '13.0'},
           {'Name': 'S', 'Desc': 'GST and PST', 'Tax1Rate': '5.0', 'Tax2Rate': '7.0'},
           {'Name': 'Z', 'Desc': 'Zero-rated', 'Tax1Rate': '0.0'},
           {'Name': 'E', 'Desc': 'Exempt', 'IsTax1Exempt': 'true', 'IsTax2Exempt': 'true'}],
    'UK': [{'Name': 'S', 'Desc': 'Standard', 'Tax1Rate': '20.0'},
           {'Name': 'R', 'Desc': 'Reduced', 'Tax1Rate': '5.0'},
           {'Name': 'Z', 'Desc': 'Zero-rated', 'Tax1Rate': '0.0'},
           {'Name': 'E', 'Desc': 'Exempt', 'IsTax1Exempt': 'true'}],
    'AU': [{'Name': 'GST', 'Desc': 'Goods and services tax', 'Tax1Rate': '10.0'},
           {'Name': 'FRE', 'Desc': 'GST free', 'Tax1Rate': '0.0'},
           {'Name': 'INP', 'Desc': 'Input taxed', 'IsTax1Exempt': 'true'}],
}


def _account(name: str, account_type: str) -> dict:
    return {'Name': name, 'AccountType': account_type}


def default_seed(edition: str, *, sales_tax: bool, inventory: bool, multicurrency: bool) -> dict:
    accounts = [_account('Checking', 'Bank'), _account('Accounts Receivable', 'AccountsReceivable'),
                _account('Undeposited Funds', 'OtherCurrentAsset'),
                _account('Furniture and Equipment', 'FixedAsset'), _account('Accounts Payable', 'AccountsPayable'),
                _account('Opening Balance Equity', 'Equity'), _account('Sales', 'Income'),
                _account('Services', 'Income'), _account('Cost of Goods Sold', 'CostOfGoodsSold'),
                _account('Office Supplies', 'Expense'), _account('Shipping Expense', 'Expense')]
    if inventory:
        accounts.append(_account('Inventory Asset', 'OtherCurrentAsset'))
    if sales_tax or edition != 'US':
        accounts.append(_account(TAX_LIABILITY[edition], 'OtherCurrentLiability'))
    seed: dict = {
        'Account': accounts,
        'StandardTerms': [{'Name': 'Due on receipt', 'StdDueDays': 0}, {'Name': 'Net 15', 'StdDueDays': 15},
                          {'Name': 'Net 30', 'StdDueDays': 30},
                          {'Name': '1% 10 Net 30', 'StdDueDays': 30, 'StdDiscountDays': 10, 'DiscountPct': '1.0'}],
        'DateDrivenTerms': [{'Name': 'Due 15th', 'DayOfMonthDue': 15, 'DueNextMonthDays': 5}],
        'PaymentMethod': [{'Name': 'Cash', 'PaymentMethodType': 'Cash'},
                          {'Name': 'Check', 'PaymentMethodType': 'Check'},
                          {'Name': 'Visa', 'PaymentMethodType': 'Visa'},
                          {'Name': 'MasterCard', 'PaymentMethodType': 'MasterCard'},
                          {'Name': 'American Express', 'PaymentMethodType': 'AmericanExpress'}],
        'ShipMethod': [{'Name': 'UPS'}, {'Name': 'FedEx'}, {'Name': 'Post'}],
    }
    if edition == 'US' and sales_tax:
        seed['SalesTaxCode'] = [{'Name': 'Tax', 'IsTaxable': True, 'Desc': 'Taxable Sales'},
                                {'Name': 'Non', 'IsTaxable': False, 'Desc': 'Non-Taxable Sales'}]
        seed['ItemSalesTax'] = [{'Name': 'Out of State', 'ItemDesc': 'Out-of-state sale, exempt from sales tax',
                                 'TaxRate': '0.0'}]
    elif edition != 'US':
        seed['TaxCode'] = NON_US_TAX_CODES[edition]
    if multicurrency:
        codes = [HOME_CURRENCIES[edition]] + [pair for key, pair in HOME_CURRENCIES.items() if key != edition]
        seed['Currency'] = [{'Name': name, 'CurrencyCode': code} for name, code in [*codes, ('Euro', 'EUR')]]
    return seed
