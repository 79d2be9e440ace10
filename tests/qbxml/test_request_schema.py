"""Every request type the engine sends, built from realistic fields, validates against Intuit's XSD."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from onecrm_finance_qb.qbxml import FieldPairs, build_request, ref
from onecrm_finance_qb.qbxml.facts import request_types

LIST_ID = '80000001-1232328070'
TXN_ID = '7-1232328243'
EDIT_SEQUENCE = '1232328070'
OWNER_ID = '{6fcbb18b-68cf-4adb-bf40-164ac0bb4ec0}'
SINCE = datetime(2024, 3, 1, 8, 30, tzinfo=timezone(timedelta(hours=-5)))
ADDRESS = {
    'Country': 'USA', 'PostalCode': '94043', 'State': 'CA', 'City': 'Mountain View',
    'Addr2': 'Suite 5', 'Addr1': '2700 Coast Avenue',
}
LIST_QUERY = {'ActiveStatus': 'All', 'FromModifiedDate': SINCE, 'MaxReturned': 20, 'OwnerID': [OWNER_ID]}
ITEM_QUERY = {**LIST_QUERY, 'NameRangeFilter': {'FromName': 'A'}}
PAYMENT_QUERY = {
    'IncludeLineItems': True, 'ModifiedDateRangeFilter': {'FromModifiedDate': SINCE}, 'MaxReturned': 20,
    'OwnerID': OWNER_ID,
}
TXN_QUERY = {**PAYMENT_QUERY, 'IncludeLinkedTxns': True}
MOD = {'EditSequence': EDIT_SEQUENCE, 'ListID': LIST_ID}
TXN_MOD = {'EditSequence': EDIT_SEQUENCE, 'TxnID': TXN_ID}
SALES_OR_PURCHASE = {'Price': Decimal('19.99'), 'Desc': 'Consulting hour', 'AccountRef': ref(full_name='Sales')}
SALES_LINE = {
    'Amount': Decimal('59.97'), 'Quantity': Decimal(3), 'ItemRef': ref(LIST_ID), 'Desc': 'Widget, blue',
    'Rate': Decimal('19.99'), 'SalesTaxCodeRef': ref(full_name='Tax'),
}
SALES_TXN = {
    'Memo': 'From the CRM', 'CustomerRef': ref(LIST_ID), 'TxnDate': date(2024, 3, 4), 'RefNumber': 'INV-1001',
    'BillAddress': ADDRESS, 'TermsRef': ref(full_name='Net 30'), 'ItemSalesTaxRef': ref(full_name='CA Tax'),
}

SAMPLES: dict[str, dict] = {
    'HostQuery': {},
    'CompanyQuery': {'OwnerID': OWNER_ID},
    'PreferencesQuery': {'IncludeRetElement': ['SalesTaxPreferences', 'MultiCurrencyPreferences']},
    'AccountQuery': {'ActiveStatus': 'All', 'FromModifiedDate': SINCE},
    'AccountAdd': {'AccountType': 'Income', 'Name': 'Consulting Income', 'Desc': 'Services', 'AccountNumber': '4010'},
    'AccountMod': {**MOD, 'Desc': 'Services sold'},
    'CurrencyQuery': {'ActiveStatus': 'All'},
    'CurrencyAdd': {'CurrencyCode': 'CHF', 'Name': 'Swiss Franc'},
    'TermsQuery': {'FromModifiedDate': SINCE},
    'StandardTermsQuery': {'ActiveStatus': 'All'},
    'StandardTermsAdd': {'StdDueDays': 30, 'Name': 'Net 30', 'DiscountPct': Decimal('2'), 'StdDiscountDays': 10},
    'DateDrivenTermsQuery': {'ActiveStatus': 'All'},
    'DateDrivenTermsAdd': {'DayOfMonthDue': 15, 'Name': '15th of month', 'DueNextMonthDays': 5},
    'PaymentMethodQuery': {'ActiveStatus': 'All'},
    'PaymentMethodAdd': {'PaymentMethodType': 'Check', 'Name': 'Check'},
    'ShipMethodQuery': {'ActiveStatus': 'All'},
    'ShipMethodAdd': {'Name': 'UPS Ground', 'IsActive': True},
    'CustomerTypeQuery': {'ActiveStatus': 'All'},
    'CustomerTypeAdd': {'ParentRef': ref(full_name='Retail'), 'Name': 'Online'},
    'SalesTaxCodeQuery': {'ActiveStatus': 'All'},
    'SalesTaxCodeAdd': {'IsTaxable': True, 'Name': 'Tax', 'Desc': 'Taxable sales'},
    'SalesTaxCodeMod': {**MOD, 'Desc': 'Taxable'},
    'ItemSalesTaxQuery': ITEM_QUERY,
    'ItemSalesTaxAdd': {'TaxRate': Decimal('7.25'), 'Name': 'CA Tax', 'TaxVendorRef': ref(full_name='State Board')},
    'ItemSalesTaxMod': {**MOD, 'TaxRate': Decimal('7.5')},
    'ItemSalesTaxGroupQuery': ITEM_QUERY,
    'ItemSalesTaxGroupAdd': {'ItemSalesTaxRef': [ref(full_name='CA Tax'), ref(LIST_ID)], 'Name': 'CA Combined'},
    'ItemSalesTaxGroupMod': {**MOD, 'ItemSalesTaxRef': [ref(full_name='CA Tax')]},
    'ItemInventoryQuery': ITEM_QUERY,
    'ItemInventoryAdd': {
        'QuantityOnHand': Decimal('12'), 'AssetAccountRef': ref(full_name='Inventory Asset'),
        'COGSAccountRef': ref(full_name='Cost of Goods Sold'), 'IncomeAccountRef': ref(full_name='Sales'),
        'SalesPrice': Decimal('19.99'), 'SalesDesc': 'Widget, blue', 'Name': 'WID-BLUE',
        'SalesTaxCodeRef': ref(full_name='Tax'), 'PurchaseCost': Decimal('7.5'), 'PurchaseDesc': 'Widget',
    },
    'ItemInventoryMod': {**MOD, 'SalesPrice': Decimal('21'), 'Name': 'WID-BLUE'},
    'ItemNonInventoryQuery': ITEM_QUERY,
    'ItemNonInventoryAdd': {
        'SalesAndPurchase': {
            'ExpenseAccountRef': ref(full_name='Purchases'), 'SalesPrice': Decimal('5'),
            'IncomeAccountRef': ref(full_name='Sales'), 'SalesDesc': 'Cable', 'PurchaseCost': Decimal('2.1'),
        },
        'Name': 'CABLE', 'SalesTaxCodeRef': ref(full_name='Tax'),
    },
    'ItemNonInventoryMod': {**MOD, 'SalesOrPurchaseMod': {'Price': Decimal('6'), 'Desc': 'Cable'}},
    'ItemServiceQuery': ITEM_QUERY,
    'ItemServiceAdd': {'SalesOrPurchase': SALES_OR_PURCHASE, 'Name': 'Consulting'},
    'ItemServiceMod': {**MOD, 'SalesOrPurchaseMod': {'Price': Decimal('25')}},
    'ItemOtherChargeQuery': ITEM_QUERY,
    'ItemOtherChargeAdd': {'SalesOrPurchase': {**SALES_OR_PURCHASE, 'Desc': 'Shipping'}, 'Name': 'Shipping'},
    'ItemOtherChargeMod': {**MOD, 'SalesOrPurchaseMod': {'Price': Decimal('9.5')}},
    'ItemDiscountQuery': ITEM_QUERY,
    'ItemDiscountAdd': {
        'AccountRef': ref(full_name='Discounts'), 'DiscountRatePercent': Decimal('10'), 'ItemDesc': 'Loyalty',
        'Name': 'Loyalty 10%', 'SalesTaxCodeRef': ref(full_name='Non'),
    },
    'ItemDiscountMod': {**MOD, 'DiscountRate': Decimal('5')},
    'ItemSubtotalQuery': ITEM_QUERY,
    'ItemSubtotalAdd': {'ItemDesc': 'Subtotal', 'Name': 'Subtotal'},
    'ItemSubtotalMod': {**MOD, 'ItemDesc': 'Sub-total'},
    'ItemGroupQuery': ITEM_QUERY,
    'ItemGroupAdd': {
        'ItemGroupLine': [{'Quantity': Decimal(2), 'ItemRef': ref(LIST_ID)}, {'ItemRef': ref(full_name='CABLE')}],
        'IsPrintItemsInGroup': True, 'Name': 'KIT-1', 'ItemDesc': 'Starter kit',
    },
    'ItemGroupMod': {**MOD, 'ItemGroupLine': [{'ItemRef': ref(LIST_ID), 'Quantity': Decimal(3)}]},
    'ItemInventoryAssemblyQuery': ITEM_QUERY,
    'ItemInventoryAssemblyAdd': {
        'ItemInventoryAssemblyLine': [{'Quantity': Decimal(2), 'ItemInventoryRef': ref(LIST_ID)}],
        'AssetAccountRef': ref(full_name='Inventory Asset'), 'COGSAccountRef': ref(full_name='Cost of Goods Sold'),
        'IncomeAccountRef': ref(full_name='Sales'), 'Name': 'ASM-1',
    },
    'ItemInventoryAssemblyMod': {**MOD, 'SalesPrice': Decimal('99.95')},
    'ItemPaymentQuery': ITEM_QUERY,
    'ItemPaymentAdd': {'ItemDesc': 'Deposit', 'Name': 'Deposit', 'DepositToAccountRef': ref(full_name='Checking')},
    'ItemPaymentMod': {**MOD, 'ItemDesc': 'Down payment'},
    'ItemFixedAssetQuery': ITEM_QUERY,
    'ItemQuery': {'ActiveStatus': 'InactiveOnly', 'MaxReturned': 50},
    'CustomerQuery': {**LIST_QUERY, 'NameFilter': {'Name': 'Acme', 'MatchCriterion': 'StartsWith'}},
    'CustomerAdd': {
        'Notes': 'Key account', 'CreditLimit': Decimal('5000'), 'TermsRef': ref(full_name='Net 30'),
        'CustomerTypeRef': ref(full_name='Online'), 'Email': 'ap@acme.example', 'Phone': '+1 555 0100',
        'ShipAddress': ADDRESS, 'BillAddress': ADDRESS, 'LastName': 'Doe', 'FirstName': 'Jane',
        'Salutation': 'Ms.', 'CompanyName': 'Acme Corp', 'Name': 'Acme Corp', 'Contact': 'Jane Doe',
        'Fax': '+1 555 0101', 'AltPhone': '+1 555 0102', 'CurrencyRef': ref(full_name='US Dollar'),
    },
    'CustomerMod': {**MOD, 'Phone': '+1 555 0199', 'BillAddress': {'City': 'Palo Alto'}, 'Name': 'Acme Corp'},
    'VendorQuery': LIST_QUERY,
    'VendorAdd': {
        'VendorAddress': ADDRESS, 'TermsRef': ref(full_name='Net 30'), 'Email': 'sales@supplier.example',
        'Name': 'Supplier Inc', 'CompanyName': 'Supplier Inc', 'Phone': '+1 555 0200',
        'CreditLimit': Decimal('1000'), 'Notes': 'Ships weekly',
    },
    'VendorMod': {**MOD, 'Phone': '+1 555 0299'},
    'ListDel': {'ListID': LIST_ID, 'ListDelType': 'Customer'},
    'ListDeletedQuery': {
        'DeletedDateRangeFilter': {'FromDeletedDate': SINCE}, 'ListDelType': ['Customer', 'Vendor', 'ItemService'],
    },
    'DataExtDefQuery': {'OwnerID': [OWNER_ID]},
    'DataExtDefAdd': {
        'AssignToObject': ['Customer', 'Invoice'], 'DataExtType': 'STR255TYPE', 'DataExtName': 'CRM id',
        'OwnerID': OWNER_ID,
    },
    'DataExtDefMod': {'DataExtNewName': 'CRM record', 'DataExtName': 'CRM id', 'OwnerID': OWNER_ID},
    'DataExtAdd': {
        'DataExtValue': 'a1b2', 'ListObjRef': ref(LIST_ID), 'ListDataExtType': 'Customer', 'DataExtName': 'CRM id',
        'OwnerID': OWNER_ID,
    },
    'DataExtMod': {
        'DataExtValue': 'a1b3', 'TxnID': TXN_ID, 'TxnDataExtType': 'Invoice', 'DataExtName': 'CRM id',
        'OwnerID': OWNER_ID,
    },
    'DataExtDel': {'OtherDataExtType': 'Company', 'DataExtName': 'FileID', 'OwnerID': OWNER_ID},
    'EstimateQuery': TXN_QUERY,
    'EstimateAdd': {**SALES_TXN, 'EstimateLineAdd': [SALES_LINE, {**SALES_LINE, 'Desc': 'Second'}]},
    'EstimateMod': {**TXN_MOD, 'Memo': 'Revised', 'EstimateLineMod': [{**SALES_LINE, 'TxnLineID': '-1'}]},
    'InvoiceQuery': {**TXN_QUERY, 'PaidStatus': 'All', 'EntityFilter': {'ListID': [LIST_ID]}},
    'InvoiceAdd': {
        **SALES_TXN, 'DueDate': date(2024, 4, 3), 'PONumber': 'PO-77', 'IsToBePrinted': False,
        'InvoiceLineAdd': [SALES_LINE, {'ItemRef': ref(full_name='Shipping'), 'Amount': Decimal('9.50')}],
    },
    'InvoiceMod': {
        **TXN_MOD, 'Memo': 'Updated', 'InvoiceLineMod': [{'TxnLineID': '9-1232328243', 'Quantity': Decimal(4)}],
    },
    'CreditMemoQuery': TXN_QUERY,
    'CreditMemoAdd': {**SALES_TXN, 'CreditMemoLineAdd': [SALES_LINE]},
    'CreditMemoMod': {**TXN_MOD, 'CreditMemoLineMod': [{**SALES_LINE, 'TxnLineID': '-1'}]},
    'SalesReceiptQuery': PAYMENT_QUERY,
    'SalesReceiptAdd': {
        **{k: v for k, v in SALES_TXN.items() if k != 'TermsRef'},
        'PaymentMethodRef': ref(full_name='Cash'), 'SalesReceiptLineAdd': [SALES_LINE],
        'DepositToAccountRef': ref(full_name='Undeposited Funds'),
    },
    'SalesReceiptMod': {**TXN_MOD, 'Memo': 'Cash sale'},
    'ReceivePaymentQuery': PAYMENT_QUERY,
    'ReceivePaymentAdd': {
        'AppliedToTxnAdd': [{'PaymentAmount': Decimal('59.97'), 'TxnID': TXN_ID}],
        'TotalAmount': Decimal('59.97'), 'RefNumber': 'CHK-5521', 'CustomerRef': ref(LIST_ID),
        'TxnDate': date(2024, 3, 10), 'PaymentMethodRef': ref(full_name='Check'),
    },
    'ReceivePaymentMod': {**TXN_MOD, 'Memo': 'Cleared'},
    'BillQuery': TXN_QUERY,
    'BillAdd': {
        'ItemLineAdd': [{'Cost': Decimal('7.5'), 'ItemRef': ref(LIST_ID), 'Quantity': Decimal(10)}],
        'ExpenseLineAdd': [{'Amount': Decimal('120'), 'AccountRef': ref(full_name='Rent'), 'Memo': 'March'}],
        'VendorRef': ref(LIST_ID), 'RefNumber': 'SUP-2024-0042', 'TxnDate': date(2024, 3, 1),
        'DueDate': date(2024, 3, 31),
    },
    'BillMod': {**TXN_MOD, 'Memo': 'Checked'},
    'BillPaymentCheckQuery': PAYMENT_QUERY,
    'BillPaymentCheckAdd': {
        'AppliedToTxnAdd': [{'PaymentAmount': Decimal('195'), 'TxnID': TXN_ID}], 'IsToBePrinted': True,
        'BankAccountRef': ref(full_name='Checking'), 'PayeeEntityRef': ref(LIST_ID), 'TxnDate': date(2024, 3, 15),
    },
    'BillPaymentCheckMod': {**TXN_MOD, 'Memo': 'Sent'},
    'BillPaymentCreditCardQuery': PAYMENT_QUERY,
    'BillPaymentCreditCardAdd': {
        'AppliedToTxnAdd': [{'PaymentAmount': Decimal('195'), 'TxnID': TXN_ID}],
        'CreditCardAccountRef': ref(full_name='Visa'), 'PayeeEntityRef': ref(LIST_ID),
    },
    'CheckQuery': TXN_QUERY,
    'CheckAdd': {
        'ExpenseLineAdd': [{'Amount': Decimal('45.10'), 'AccountRef': ref(full_name='Office Supplies')}],
        'PayeeEntityRef': ref(LIST_ID), 'AccountRef': ref(full_name='Checking'), 'IsToBePrinted': False,
        'RefNumber': '1042', 'TxnDate': date(2024, 3, 20),
    },
    'CheckMod': {**TXN_MOD, 'Memo': 'Refund'},
    'ARRefundCreditCardQuery': PAYMENT_QUERY,
    'ARRefundCreditCardAdd': {
        'RefundAppliedToTxnAdd': [{'RefundAmount': Decimal('20'), 'TxnID': TXN_ID}],
        'PaymentMethodRef': ref(full_name='Visa'), 'CustomerRef': ref(LIST_ID),
        'RefundFromAccountRef': ref(full_name='Checking'), 'TxnDate': date(2024, 3, 21),
    },
    'TxnDel': {'TxnID': TXN_ID, 'TxnDelType': 'Invoice'},
    'TxnVoid': {'TxnID': TXN_ID, 'TxnVoidType': 'Invoice'},
    'TxnDeletedQuery': {
        'DeletedDateRangeFilter': {'FromDeletedDate': datetime(2024, 3, 1, tzinfo=UTC)},
        'TxnDelType': ['Invoice', 'Bill'],
    },
}


def test_every_covered_request_type_has_a_sample() -> None:
    assert sorted(SAMPLES) == sorted(request_types())


@pytest.mark.parametrize('request_type', sorted(SAMPLES))
def test_request_validates_against_intuit_schema(request_type, assert_valid) -> None:
    request = build_request(request_type, SAMPLES[request_type], 1)
    root = assert_valid(request)
    assert root.find(f'QBXMLMsgsRq/{request_type}Rq').get('requestID') == '1'


@pytest.mark.parametrize('request_type', sorted(t for t in SAMPLES if SAMPLES[t]))
def test_fields_given_in_reverse_come_out_identical(request_type) -> None:
    fields = SAMPLES[request_type]
    reverse = FieldPairs(reversed(list(fields.items())))
    assert build_request(request_type, reverse, 1).xml == build_request(request_type, fields, 1).xml


def test_all_requests_together_validate_as_one_message(assert_valid) -> None:
    requests = [build_request(name, fields, index) for index, (name, fields) in enumerate(SAMPLES.items())]
    root = assert_valid(*requests)
    assert [rq.get('requestID') for rq in root.find('QBXMLMsgsRq')] == [str(i) for i in range(len(SAMPLES))]
