"""Products, assemblies and discounts on one side; QuickBooks items on the other (inventory section 3.4).

Products go out as inventory items when their stock is tracked, else as non-inventory items, and
can never switch once in QuickBooks; assemblies go out as group items once their components are
there; discounts as discount items. Inventory, non-inventory and service items come back as
products (a service as an untracked product), groups as assemblies, discounts as discounts; the
other item types are only registered. A first import links a CRM record with the same part number
(or discount name) instead of creating a twin. Names are checked against the whole item namespace,
pending exports included, before anything is sent, so a duplicate blocks with a clear message
rather than failing in QuickBooks with 3100.
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from onecrm_finance_qb.host import (
    AssemblyComponent,
    AssemblyData,
    AssemblyRecord,
    DiscountData,
    DiscountKind,
    DiscountRecord,
    ProductData,
    ProductRecord,
    Repository,
)
from onecrm_finance_qb.models.links import FirstSync, LinkStatus, SyncLink
from onecrm_finance_qb.models.mappings import ListKind, ListMapping
from onecrm_finance_qb.models.requests import SentRequest
from onecrm_finance_qb.qbxml import Record, Response
from onecrm_finance_qb.stored_messages import N_, Message
from onecrm_finance_qb.sync import mappings, state
from onecrm_finance_qb.sync.context import SyncContext
from onecrm_finance_qb.sync.handlers.item_rules import (
    ITEM_TYPES,
    account_ref,
    check_item_name,
    duplicate_item_message,
    home_currency,
    money,
    to_home,
)
from onecrm_finance_qb.sync.handlers.paging import PagedQuery, identity_of
from onecrm_finance_qb.sync.handlers.records import BlockedError, NotReadyError, RecordFamily, lookup_each
from onecrm_finance_qb.sync.handlers.standard_items import standard_names
from onecrm_finance_qb.sync.outbox import context_of
from onecrm_finance_qb.sync.planned import Planned

#: Item types only registered: they have no CRM counterpart, transactions refer to them.
REGISTERED_TYPES = (
    'ItemOtherCharge',
    'ItemSubtotal',
    'ItemFixedAsset',
    'ItemInventoryAssembly',
    'ItemPayment',
    'ItemSalesTaxGroup',
)
#: Cursor of the non-inventory and service items QuickBooks holds in the SalesOrPurchase form.
SALES_OR_PURCHASE_KEY = 'items:sales_or_purchase'


class ItemFamily(RecordFamily):
    """What every family of items shares: settings, the namespace, one import query per item type."""

    namespace = ITEM_TYPES
    import_key = 'import.products'
    export_key = 'export.products'
    delete_key = 'delete.products'
    conflict_key = 'conflict.products'
    import_batch_key = 'batch.products_import'
    export_batch_key = 'batch.products_export'

    def _queries(self) -> dict[str, PagedQuery]:
        queries = (
            PagedQuery(
                qb_type,
                f'{qb_type}Query',
                self.name,
                iterable=True,
                fields={'ActiveStatus': 'All'},
                identity=identity_of(qb_type),
            )
            for qb_type in self.qb_types()
        )
        return {query.key: query for query in queries}

    def _plan_import(self, ctx: SyncContext, limit: int) -> list[Planned]:
        if not ctx.setting(self.import_key):
            return []
        size = int(ctx.setting(self.import_batch_key))
        return [planned for query in self._queries().values() for planned in query.plan(ctx, size)]

    def _on_import(self, ctx: SyncContext, sent: SentRequest, response: Response) -> None:
        context = context_of(sent)
        self._import_answer(ctx, self._queries()[context['query']], context, response)

    def _import_records(self, ctx: SyncContext, records: list[Record]) -> None:
        """The standard items belong to their own family, whatever their type."""
        standard = standard_names(ctx)
        super()._import_records(
            ctx, [record for record in records if self.ret_name(record.data).casefold() not in standard]
        )

    def _names_taken(self, ctx: SyncContext, links: list[SyncLink]) -> dict[str, int]:
        """Linked and pending items, plus QuickBooks sales tax items (the CRM's tax rates)."""
        taken = super()._names_taken(ctx, links)
        names = {link.name.lower() for link in links}
        if names:
            query = sa.select(ListMapping.name).where(
                ListMapping.server_id == ctx.server.id,
                ListMapping.kind == ListKind.SALES_TAX_ITEM,
                ListMapping.deleted.is_(False),
                sa.func.lower(ListMapping.name).in_(names),
            )
            for name in ctx.db.scalars(query):
                taken[name.casefold()] = 0
        return taken

    def duplicate_message(self, name: str) -> Message:
        return duplicate_item_message(name)

    def _tax_code(self, ctx: SyncContext, tax_code_id: str | None) -> dict[str, str] | None:
        return mappings.qb_ref(ctx, ListKind.TAX_CODE, tax_code_id)

    def _product_links(self, ctx: SyncContext, column: Any, values: list[str]) -> list[SyncLink]:
        """Links of products whose ``column`` (crm_id or qb_id) is one of ``values``, in one query."""
        if not values:
            return []
        query = sa.select(SyncLink).where(
            SyncLink.server_id == ctx.server.id, SyncLink.crm_kind == 'product', column.in_(values)
        )
        return list(ctx.db.scalars(query))


def _import_placement(ctx: SyncContext) -> dict[str, str | None]:
    """The wizard's category, type and warehouse for products created from QuickBooks, read once per call."""
    placement = ctx.cache.get('items:placement')
    if placement is None:
        placement = {
            'category_id': ctx.setting('items.import_category') or None,
            'type_id': ctx.setting('items.import_type') or None,
            'warehouse_id': ctx.setting('items.inventory_warehouse') or None,
        }
        ctx.cache['items:placement'] = placement
    return placement


class ProductFamily(ItemFamily):
    """CRM products and QuickBooks inventory, non-inventory and (imported) service items."""

    name = 'products'
    crm_kind = 'product'
    qb_type = 'ItemInventory'

    def repository(self, ctx: SyncContext) -> Repository:
        return ctx.host.products

    def qb_types(self) -> tuple[str, ...]:
        return ('ItemInventory', 'ItemNonInventory', 'ItemService')

    def qb_type_for(self, record: ProductRecord) -> str:
        return 'ItemInventory' if record.track_inventory else 'ItemNonInventory'

    def qb_name(self, record: ProductRecord) -> str:
        return record.part_number

    def find_namesakes(self, ctx: SyncContext, keys: Collection[str]) -> dict[str, tuple[ProductRecord, ...]]:
        return lookup_each(ctx.host.products, 'find_by_part_number', keys)

    def match_existing(self, ctx: SyncContext, data: dict) -> str | None:
        found = self.namesakes(ctx, self.ret_name(data))
        return found[0].id if found else None

    def add_fields(self, ctx: SyncContext, record: ProductRecord, link: SyncLink) -> dict[str, Any]:
        link.qb_type = self.qb_type_for(record)
        check_item_name(ctx, link.qb_type, record.part_number, part_number=True)
        fields = self._sales_fields(ctx, record, link, add=True)
        if link.qb_type == 'ItemInventory':
            fields['QuantityOnHand'] = record.quantity_in_stock
        return fields

    def mod_fields(self, ctx: SyncContext, record: ProductRecord, link: SyncLink) -> dict[str, Any]:
        if record.track_inventory != (link.qb_type == 'ItemInventory'):
            raise BlockedError(
                N_(
                    'Inventory tracking changed after the product was synced, and QuickBooks cannot turn an '
                    'inventory item into a non-inventory one or back: change the tracking back.'
                )
            )
        check_item_name(ctx, link.qb_type, record.part_number, part_number=True)
        return self._sales_fields(ctx, record, link, add=False)

    def _sales_fields(self, ctx: SyncContext, record: ProductRecord, link: SyncLink, *, add: bool) -> dict[str, Any]:
        price = to_home(ctx, record.list_price, record.currency)
        cost = to_home(ctx, record.cost, record.currency)
        purchase_desc = record.purchase_name or record.name
        fields: dict[str, Any] = {
            'Name': record.part_number,
            'IsActive': record.is_active,
            'SalesTaxCodeRef': self._tax_code(ctx, record.tax_code_id),
        }
        if link.qb_type == 'ItemInventory':
            fields.update(
                {'SalesDesc': record.name, 'SalesPrice': price, 'PurchaseDesc': purchase_desc, 'PurchaseCost': cost}
            )
            if add:
                fields.update(
                    {
                        'IncomeAccountRef': account_ref(ctx, 'items.income_account'),
                        'COGSAccountRef': account_ref(ctx, 'items.cost_goods_account'),
                        'AssetAccountRef': account_ref(ctx, 'items.asset_account'),
                    }
                )
            return fields
        if add:
            fields['SalesAndPurchase'] = {
                'SalesDesc': record.name,
                'SalesPrice': price,
                'IncomeAccountRef': account_ref(ctx, 'items.income_account'),
                'PurchaseDesc': purchase_desc,
                'PurchaseCost': cost,
                'ExpenseAccountRef': account_ref(ctx, 'items.expense_account'),
            }
        elif link.qb_id in _sales_or_purchase(ctx):
            fields['SalesOrPurchaseMod'] = {'Desc': record.name, 'Price': price}
        else:
            fields['SalesAndPurchaseMod'] = {
                'SalesDesc': record.name,
                'SalesPrice': price,
                'PurchaseDesc': purchase_desc,
                'PurchaseCost': cost,
            }
        return fields

    def to_crm(self, ctx: SyncContext, data: dict) -> ProductData:
        name = self.ret_name(data)
        currency = home_currency(ctx)
        common = {
            'part_number': name,
            'currency': currency,
            'is_active': data.get('IsActive') is not False,
            'tax_code_id': mappings.crm_value(ctx, ListKind.TAX_CODE, data.get('SalesTaxCodeRef')),
            **_import_placement(ctx),
        }
        if 'SalesDesc' in data or 'QuantityOnHand' in data or 'COGSAccountRef' in data:
            return ProductData(
                name=data.get('SalesDesc') or name,
                purchase_name=data.get('PurchaseDesc', ''),
                track_inventory=True,
                list_price=money(data.get('SalesPrice')),
                purchase_price=money(data.get('PurchaseCost')),
                cost=money(data.get('PurchaseCost')),
                quantity_in_stock=money(data.get('QuantityOnHand')),
                **common,
            )
        both = data.get('SalesAndPurchase')
        if both:
            return ProductData(
                name=both.get('SalesDesc') or name,
                purchase_name=both.get('PurchaseDesc', ''),
                list_price=money(both.get('SalesPrice')),
                purchase_price=money(both.get('PurchaseCost')),
                cost=money(both.get('PurchaseCost')),
                **common,
            )
        one = data.get('SalesOrPurchase') or {}
        _remember_sales_or_purchase(ctx, data['ListID'])
        price = money(one.get('Price'))
        if price is None:
            raise ValueError(N_('The QuickBooks item has no fixed price (a percentage price cannot be a product).'))
        return ProductData(name=one.get('Desc') or name, list_price=price, purchase_price=price, cost=price, **common)


def _sales_or_purchase(ctx: SyncContext) -> set[str]:
    if SALES_OR_PURCHASE_KEY not in ctx.cache:
        ctx.cache[SALES_OR_PURCHASE_KEY] = set(state.load(ctx.db, ctx.server.id, SALES_OR_PURCHASE_KEY).get('ids', []))
    return ctx.cache[SALES_OR_PURCHASE_KEY]


def _remember_sales_or_purchase(ctx: SyncContext, list_id: str) -> None:
    """QuickBooks cannot switch an item between the two forms on Mod: remember which ones use this one."""
    ids = _sales_or_purchase(ctx)
    if list_id not in ids:
        ids.add(list_id)
        state.save(ctx.db, ctx.server.id, SALES_OR_PURCHASE_KEY, {'ids': sorted(ids)})


class DiscountFamily(ItemFamily):
    """CRM discounts and QuickBooks discount items."""

    name = 'discounts'
    crm_kind = 'discount'
    qb_type = 'ItemDiscount'

    def repository(self, ctx: SyncContext) -> Repository:
        return ctx.host.discounts

    def find_namesakes(self, ctx: SyncContext, keys: Collection[str]) -> dict[str, tuple[DiscountRecord, ...]]:
        return lookup_each(ctx.host.discounts, 'find_by_name', keys)

    def match_existing(self, ctx: SyncContext, data: dict) -> str | None:
        found = self.namesakes(ctx, self.ret_name(data))
        return found[0].id if found else None

    def _fields(self, ctx: SyncContext, record: DiscountRecord) -> dict[str, Any]:
        check_item_name(ctx, self.qb_type, record.name, part_number=False)
        fields: dict[str, Any] = {
            'Name': record.name,
            'IsActive': record.is_active,
            'ItemDesc': record.description or record.name,
        }
        if record.kind is DiscountKind.PERCENTAGE:
            fields['DiscountRatePercent'] = record.value
        else:
            fields['DiscountRate'] = to_home(ctx, record.value, record.currency)
        return fields

    def add_fields(self, ctx: SyncContext, record: DiscountRecord, link: SyncLink) -> dict[str, Any]:
        return {**self._fields(ctx, record), 'AccountRef': account_ref(ctx, 'items.discount_account')}

    def mod_fields(self, ctx: SyncContext, record: DiscountRecord, link: SyncLink) -> dict[str, Any]:
        return self._fields(ctx, record)

    def to_crm(self, ctx: SyncContext, data: dict) -> DiscountData:
        common = {
            'name': self.ret_name(data),
            'description': data.get('ItemDesc', ''),
            'is_active': data.get('IsActive') is not False,
        }
        if data.get('DiscountRatePercent') is not None:
            return DiscountData(kind=DiscountKind.PERCENTAGE, value=money(data['DiscountRatePercent']), **common)
        return DiscountData(
            kind=DiscountKind.FIXED,
            value=money(data.get('DiscountRate')) or Decimal(0),
            currency=home_currency(ctx),
            **common,
        )


class AssemblyFamily(ItemFamily):
    """CRM assemblies and QuickBooks group items; an assembly goes once its components are in QuickBooks."""

    name = 'assemblies'
    crm_kind = 'assembly'
    qb_type = 'ItemGroup'

    def repository(self, ctx: SyncContext) -> Repository:
        return ctx.host.assemblies

    def qb_name(self, record: AssemblyRecord) -> str:
        return record.part_number

    def find_namesakes(self, ctx: SyncContext, keys: Collection[str]) -> dict[str, tuple[AssemblyRecord, ...]]:
        return lookup_each(ctx.host.assemblies, 'find_by_part_number', keys)

    def match_existing(self, ctx: SyncContext, data: dict) -> str | None:
        found = self.namesakes(ctx, self.ret_name(data))
        return found[0].id if found else None

    def _lines(self, ctx: SyncContext, record: AssemblyRecord) -> list[dict[str, Any]]:
        links = {
            link.crm_id: link
            for link in self._product_links(
                ctx, SyncLink.crm_id, [component.product_id for component in record.components]
            )
        }
        waiting = [
            component.product_id
            for component in record.components
            if component.product_id not in links
            or links[component.product_id].qb_id is None
            or links[component.product_id].status == LinkStatus.DISABLED
        ]
        if waiting:
            raise NotReadyError(
                N_(
                    'Waiting for its component products to be in QuickBooks first (%(count)s not yet).',
                    count=len(waiting),
                )
            )
        return [
            {'ItemRef': {'ListID': links[component.product_id].qb_id}, 'Quantity': component.quantity}
            for component in record.components
        ]

    def add_fields(self, ctx: SyncContext, record: AssemblyRecord, link: SyncLink) -> dict[str, Any]:
        check_item_name(ctx, self.qb_type, record.part_number, part_number=True)
        return {
            'Name': record.part_number,
            'IsActive': record.is_active,
            'ItemDesc': record.name,
            'IsPrintItemsInGroup': True,
            'ItemGroupLine': self._lines(ctx, record) or None,
        }

    def mod_fields(self, ctx: SyncContext, record: AssemblyRecord, link: SyncLink) -> dict[str, Any]:
        check_item_name(ctx, self.qb_type, record.part_number, part_number=True)
        lines = self._lines(ctx, record)
        return {
            'Name': record.part_number,
            'IsActive': record.is_active,
            'ItemDesc': record.name,
            'ItemGroupLine': lines or None,
            'ClearItemsInGroup': None if lines else True,
        }

    def to_crm(self, ctx: SyncContext, data: dict) -> AssemblyData:
        lines = data.get('ItemGroupLine') or []
        lines = lines if isinstance(lines, list) else [lines]
        ids = [(line.get('ItemRef') or {}).get('ListID') for line in lines]
        products = {link.qb_id: link for link in self._product_links(ctx, SyncLink.qb_id, [i for i in ids if i])}
        components = []
        for line, list_id in zip(lines, ids, strict=True):
            link = products.get(list_id)
            if link is None or link.crm_id is None:
                raise NotReadyError(
                    N_(
                        'Component product %(name)s is not imported yet.',
                        name=(line.get('ItemRef') or {}).get('FullName', ''),
                    )
                )
            components.append(AssemblyComponent(link.crm_id, money(line.get('Quantity')) or 1))
        name = self.ret_name(data)
        return AssemblyData(
            name=data.get('ItemDesc') or name,
            part_number=name,
            description=data.get('ItemDesc', ''),
            components=tuple(components),
            is_active=data.get('IsActive') is not False,
        )


class RegisteredItemsFamily(ItemFamily):
    """Item types the CRM has no record for: registered so transactions and name checks know them."""

    name = 'registered_items'
    crm_kind = 'item'
    qb_type = 'ItemOtherCharge'
    stages = ('import', 'delete')

    def qb_types(self) -> tuple[str, ...]:
        return REGISTERED_TYPES

    def _import_records(self, ctx: SyncContext, records: list[Record]) -> None:
        standard = standard_names(ctx)
        records = [
            record
            for record in records
            if self.accepts(record) and self.ret_name(record.data).casefold() not in standard
        ]
        if not records:
            return
        ids = [record.data['ListID'] for record in records]
        links = {
            link.qb_id: link
            for link in ctx.db.scalars(
                sa.select(SyncLink).where(SyncLink.server_id == ctx.server.id, SyncLink.qb_id.in_(ids))
            )
        }
        for record in records:
            data = record.data
            link = links.get(data['ListID'])
            if link is None:
                link = SyncLink(
                    server_id=ctx.server.id,
                    crm_kind=self.crm_kind,
                    qb_type=record.tag.removesuffix('Ret'),
                    qb_id=data['ListID'],
                    first_sync=FirstSync.IMPORTED,
                )
                ctx.db.add(link)
                ctx.count(f'{self.name}.registered')
            elif link.crm_kind != self.crm_kind:
                continue
            link.status, link.message = LinkStatus.REGISTERED_ONLY, ''
            link.name = self.ret_name(data)[:255]
            link.edit_sequence = data.get('EditSequence')
            link.qb_modified_at = data.get('TimeModified')
            link.last_sync_at = ctx.now
        ctx.db.flush()
