"""The demo's simulated QuickBooks company: a US file with its own customers, vendors and items.

Some of them carry the names of CRM records (given by the caller), so the first sync links those
pairs instead of duplicating them; the rest are QuickBooks' own and get imported into the CRM.
The file also has the terms and accounts the wizard's mappings choose (:mod:`hostcrm.demo.wizard`).
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from hostcrm.demo import wizard
from qbsim import Company

COMPANY_NAME = 'Demo Landscaping & Supply'
QB_CUSTOMERS = ('Rock Castle Construction', 'Cool Cars', 'Kristy Abercrombie', 'Ecker Designs',
                'Jacobsen Holdings', 'Melton Johnny', 'Pretell Real Estate', 'Teschner Anton')
QB_VENDORS = ('Bayshore Water', 'Cal Gas & Electric', 'Hamlin Metal', 'Perry Windows & Doors')
#: (item type, name, description, price)
QB_ITEMS = (
    ('ItemService', 'Design', 'Landscape design, per hour', '75.00'),
    ('ItemService', 'Installation', 'Installation labour, per hour', '45.00'),
    ('ItemService', 'Pruning', 'Tree and shrub pruning', '55.00'),
    ('ItemNonInventory', 'Mulch', 'Bark mulch, per cubic yard', '32.00'),
    ('ItemNonInventory', 'Topsoil', 'Screened topsoil, per cubic yard', '28.00'),
    ('ItemInventory', 'Pavers', 'Concrete pavers, per pallet', '420.00'),
    ('ItemInventory', 'Sprinkler Head', 'Pop-up sprinkler head', '6.50'),
)


def create_company(path: Path, overlap: dict[str, list[str]]) -> Company:
    """Create the company file with its own records and the overlapping CRM names."""
    return Company.create(path, edition='US', multicurrency=True, company_name=COMPANY_NAME,
                          seed=company_seed(overlap))


def company_seed(overlap: dict[str, list[str]]) -> dict:
    """qbsim seed data (QuickBooks field names) for the demo company."""
    customers = [_customer(name) for name in (*QB_CUSTOMERS, *overlap.get('customers', ()))]
    customers.append({'Name': 'Kitchen remodel', 'ParentRef': {'FullName': QB_CUSTOMERS[0]}})
    seed: dict = {
        'Account': wizard.COMPANY_ACCOUNTS,
        'StandardTerms': wizard.COMPANY_TERMS,
        'Customer': customers,
        'Vendor': [{'Name': name, 'CompanyName': name} for name in (*QB_VENDORS, *overlap.get('suppliers', ()))],
        'ItemService': [], 'ItemNonInventory': [], 'ItemInventory': [],
    }
    for kind, name, description, price in QB_ITEMS:
        seed[kind].append(_item(kind, name, description, price))
    seed['ItemNonInventory'] += [_item('ItemNonInventory', part_number, f'{part_number} (from QuickBooks)', '10.00')
                                 for part_number in overlap.get('products', ())]
    return seed


def _customer(name: str) -> dict:
    return {'Name': name, 'CompanyName': name, 'BillAddress': {'Addr1': '1 Main Street', 'City': 'Bayshore',
                                                               'State': 'CA', 'PostalCode': '94326'}}


def _item(kind: str, name: str, description: str, price: str) -> dict:
    if kind == 'ItemInventory':
        return {'Name': name, 'SalesDesc': description, 'SalesPrice': price,
                'IncomeAccountRef': {'FullName': 'Sales'}, 'COGSAccountRef': {'FullName': 'Cost of Goods Sold'},
                'AssetAccountRef': {'FullName': 'Inventory Asset'}}
    account = 'Services' if kind == 'ItemService' else 'Sales'
    return {'Name': name, 'SalesOrPurchase': {'Desc': description, 'Price': price,
                                              'AccountRef': {'FullName': account}}}


def edit_customers(path: Path, count: int, phone: str) -> int:
    """Change the phone number of ``count`` customers QuickBooks has of its own, as a QuickBooks user would.

    The edit goes through CustomerMod, so the company's EditSequence and modified time move as they
    do in QuickBooks. Returns how many customers were changed.
    """
    company = Company.open(path)
    try:
        customers = [doc for doc in company.query_objects('CustomerRet') if 'ParentRef' not in doc][-count:]
        mods = ''.join(
            f'<CustomerModRq requestID="{number}"><CustomerMod><ListID>{escape(doc["ListID"])}</ListID>'
            f'<EditSequence>{escape(doc["EditSequence"])}</EditSequence><Phone>{escape(phone)}</Phone>'
            '</CustomerMod></CustomerModRq>'
            for number, doc in enumerate(customers, start=1))
        if mods:
            company.process(f'<?xml version="1.0"?><?qbxml version="{company.supported_qbxml_versions[-1]}"?><QBXML>'
                            f'<QBXMLMsgsRq onError="stopOnError">{mods}</QBXMLMsgsRq></QBXML>')
    finally:
        company.close()
    return len(customers)
