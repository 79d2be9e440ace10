"""The small fixed lists sample data refers to: currencies, taxes, categories, warehouses..."""

from __future__ import annotations

from decimal import Decimal

#: (ISO code, name, symbol, units per base unit) of the extra currencies.
CURRENCIES = (
    ('USD', 'US Dollar', '$', Decimal('1.000000')),
    ('CAD', 'Canadian Dollar', 'CA$', Decimal('1.362500')),
    ('EUR', 'Euro', '€', Decimal('0.921800')),
    ('GBP', 'British Pound', '£', Decimal('0.789400')),
)
#: (name, percentage, compound).
TAX_RATES = (
    ('GST', Decimal('5'), False),
    ('PST', Decimal('7'), False),
    ('QST', Decimal('9.975'), True),
    ('HST', Decimal('13'), False),
    ('Sales Tax', Decimal('8.25'), False),
)
#: (code, name, names of the rates applied in order).
TAX_CODES = (
    ('S', 'Standard (GST + PST)', ('GST', 'PST')),
    ('G', 'GST only', ('GST',)),
    ('Q', 'GST + QST', ('GST', 'QST')),
    ('H', 'HST', ('HST',)),
    ('T', 'State sales tax', ('Sales Tax',)),
)
#: Category name, part-number prefix, and its product types.
CATEGORIES = (
    ('Hardware', 'HW', ('Fasteners', 'Fixtures')),
    ('Electronics', 'EL', ('Components', 'Devices')),
    ('Office', 'OF', ('Furniture', 'Supplies')),
    ('Tools', 'TL', ('Hand Tools', 'Power Tools')),
    ('Services', 'SV', ('Labour', 'Subscriptions')),
)
WAREHOUSES = (('Main Warehouse', True), ('East Depot', False))
SHIPPING_PROVIDERS = ('UPS', 'FedEx', 'DHL', 'USPS', 'Canada Post', 'Purolator', 'Pickup')
#: (name, booking class).
EXPENSE_CATEGORIES = (
    ('Travel', 'expenses'),
    ('Meals and Entertainment', 'expenses'),
    ('Office Supplies', 'expenses'),
    ('Rent', 'expenses'),
    ('Utilities', 'expenses'),
    ('Consulting', 'services'),
    ('Installation', 'services'),
)
#: (name, type, rate or fixed amount).
DISCOUNTS = (
    ('Volume 10%', 'percentage', Decimal('10')),
    ('Loyalty 5%', 'percentage', Decimal('5')),
    ('Seasonal $50', 'fixed', Decimal('50')),
)
