"""The wizard's mapping steps as an administrator finishes them for hostcrm's sample data.

A record whose terms are not mapped, or an item without its accounts, waits instead of being
exported. The terms and accounts a new QuickBooks company lacks for the sample data are given to
its seed here; once a live run has downloaded QuickBooks' lists, ``finish_mappings`` maps every
CRM terms value and chooses the Item Accounts, through the plugin's ``config set`` as the wizard
does. The demo and the benchmarks share them, so both sync what an administrator who finished the
wizard would.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask import Flask

from hostcrm.extensions import db
from onecrm_finance_qb.models.mappings import ListKind, ListMapping

#: The data types the wizard's Go Live step switches on: both directions of all three.
SYNC_OPTIONS = ('import.customers', 'import.vendors', 'import.products',
                'export.customers', 'export.vendors', 'export.products')
#: Terms hostcrm's sample accounts use that a new QuickBooks company does not have (its own include
#: Due on receipt, Net 15 and Net 30).
COMPANY_TERMS = [{'Name': 'COD', 'StdDueDays': 0}, {'Name': 'Net 7', 'StdDueDays': 7},
                 {'Name': 'Net 45', 'StdDueDays': 45}, {'Name': 'Net 60', 'StdDueDays': 60}]
#: The administrator's terms mapping: QuickBooks terms name -> CRM terms key (hostcrm's defaults).
TERMS_MAPPING = {'Due on receipt': 'Due on Receipt', 'COD': 'COD', 'Net 7': 'Net 7 Days', 'Net 15': 'Net 15 Days',
                 'Net 30': 'Net 30 Days', 'Net 45': 'Net 45 Days', 'Net 60': 'Net 60 Days'}
#: The income and expense accounts the Item Accounts step picks besides QuickBooks' defaults.
COMPANY_ACCOUNTS = [{'Name': 'Shipping Income', 'AccountType': 'Income'},
                    {'Name': 'Discounts Given', 'AccountType': 'Expense'}]
#: The wizard's Item Accounts step: setting -> QuickBooks account name.
ITEM_ACCOUNTS = {'items.income_account': 'Sales', 'items.cost_goods_account': 'Cost of Goods Sold',
                 'items.asset_account': 'Inventory Asset', 'items.expense_account': 'Office Supplies',
                 'items.shipping_account': 'Shipping Income', 'items.discount_account': 'Discounts Given'}

#: Runs one ``flask --app hostcrm`` command, given the app and then the command's arguments.
Command = Callable[..., object]


def switch_data_types(app: Flask, command: Command, *, on: bool) -> None:
    """Switch every data type of ``SYNC_OPTIONS`` on or off, as the wizard's Go Live step does."""
    for key in SYNC_OPTIONS:
        command(app, 'finance-qb', 'config', 'set', key, '1' if on else '0')


def finish_mappings(app: Flask, command: Command) -> None:
    """Map every CRM terms value and choose the Item Accounts; QuickBooks' lists must have been downloaded."""
    for qb_name, crm_key in TERMS_MAPPING.items():
        command(app, 'finance-qb', 'config', 'set', f'mapping.{ListKind.TERMS}.{qb_name}', crm_key)
    accounts = account_ids(app)
    for key, name in ITEM_ACCOUNTS.items():
        command(app, 'finance-qb', 'config', 'set', key, accounts[name])


def account_ids(app: Flask) -> dict[str, str]:
    """QuickBooks account name -> ListID, as downloaded by a live run (the wizard's account pickers)."""
    with app.app_context():
        rows = db.session.execute(sa.select(ListMapping.name, ListMapping.qb_id)
                                  .where(ListMapping.kind == ListKind.ACCOUNT, ListMapping.qb_id.is_not(None)))
        return {row.name: row.qb_id for row in rows}
