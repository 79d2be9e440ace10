"""Setup lists: currencies, tax codes, US sales tax items, accounts, customer types, terms, payment
methods and ship methods, downloaded into ``qb_list_mappings`` and mapped to CRM values.

The first run downloads each list whole; later runs ask only for elements modified since the
newest one seen (minus the overlap), and ListDeletedQuery reports deletions, so the lists are
never re-downloaded in full (inventory 10.1). A new element gets the original's speculative
mapping (same ISO code, same code, same label, same rate); the administrator's choice is never
overwritten. Standard and date-driven terms are both kept (the original lost some of the latter).
CRM account types QuickBooks lacks are exported as customer types.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from onecrm_finance_qb.host import DropdownList
from onecrm_finance_qb.i18n import _
from onecrm_finance_qb.models.mappings import ListKind, ListMapping
from onecrm_finance_qb.models.requests import SentRequest
from onecrm_finance_qb.qbxml import Record, Response
from onecrm_finance_qb.stored_messages import N_
from onecrm_finance_qb.sync import mappings, state
from onecrm_finance_qb.sync.context import SyncContext
from onecrm_finance_qb.sync.handlers.paging import Page, PagedQuery
from onecrm_finance_qb.sync.planned import Planned
from onecrm_finance_qb.webconnector.servers import server_info

FAMILY = 'lists'
#: Host records read per call when a whole host list is needed for automatic mapping.
HOST_LIST_PAGE = 1000
_RATE_PLACES = Decimal('0.00001')


@dataclass(frozen=True)
class SetupList:
    """One QuickBooks list: its kind, its query, the ListDelType values of its elements, when it applies."""

    kind: ListKind
    query: str
    delete_types: tuple[str, ...]
    applies: Callable[[SyncContext], bool] = lambda ctx: True


def _sales_tax(ctx: SyncContext) -> bool:
    return ctx.is_us and server_info(ctx.server).preferences.sales_tax is not False


SETUP_LISTS = (
    SetupList(ListKind.CURRENCY, 'CurrencyQuery', ('Currency',), lambda ctx: ctx.multicurrency),
    SetupList(ListKind.TAX_CODE, 'SalesTaxCodeQuery', ('SalesTaxCode',), lambda ctx: not ctx.is_us or _sales_tax(ctx)),
    SetupList(ListKind.SALES_TAX_ITEM, 'ItemSalesTaxQuery', ('ItemSalesTax',), _sales_tax),
    SetupList(ListKind.ACCOUNT, 'AccountQuery', ('Account',)),
    SetupList(ListKind.CUSTOMER_TYPE, 'CustomerTypeQuery', ('CustomerType',)),
    SetupList(ListKind.TERMS, 'TermsQuery', ('StandardTerms', 'DateDrivenTerms')),
    SetupList(ListKind.PAYMENT_METHOD, 'PaymentMethodQuery', ('PaymentMethod',)),
    SetupList(ListKind.SHIP_METHOD, 'ShipMethodQuery', ('ShipMethod',)),
)
_BY_KIND = {setup.kind: setup for setup in SETUP_LISTS}


def _query(setup: SetupList) -> PagedQuery:
    return PagedQuery(
        f'list:{setup.kind}', setup.query, FAMILY, iterable=False, paged=False, fields={'ActiveStatus': 'All'}
    )


def _details(kind: ListKind, data: dict) -> dict[str, Any]:
    """What a mapping page and the automatic mapping need beyond the name."""
    keys = {
        ListKind.CURRENCY: ('CurrencyCode', 'ExchangeRate'),
        ListKind.TAX_CODE: (
            'Desc',
            'IsTaxable',
            'Tax1Rate',
            'Tax2Rate',
            'IsTax1Exempt',
            'IsTax2Exempt',
            'IsPiggybackRate',
            'IsECVatCode',
        ),
        ListKind.SALES_TAX_ITEM: ('TaxRate', 'ItemDesc'),
        ListKind.ACCOUNT: ('AccountType', 'AccountNumber', 'Desc', 'Sublevel'),
        ListKind.PAYMENT_METHOD: ('PaymentMethodType',),
        ListKind.TERMS: ('StdDueDays', 'StdDiscountDays', 'DayOfMonthDue', 'DueNextMonthDays', 'DiscountPct'),
    }.get(kind, ())
    return {key: str(data[key]) for key in keys if data.get(key) is not None}


class ListsFamily:
    """The Setup phase."""

    name = FAMILY
    stages = ('import', 'export')

    def plan(self, ctx: SyncContext, stage: str, limit: int) -> list[Planned]:
        return getattr(self, f'_plan_{stage}')(ctx, limit)

    def _plan_import(self, ctx: SyncContext, limit: int) -> list[Planned]:
        planned = []
        for setup in SETUP_LISTS:
            if setup.applies(ctx):
                for query in _query(setup).plan(ctx, limit):
                    query.context['kind'] = setup.kind
                    planned.append(query)
        planned = planned[:limit]
        if len(planned) < limit:
            planned.extend(self._plan_deleted(ctx))
        return planned

    def _plan_export(self, ctx: SyncContext, limit: int) -> list[Planned]:
        """CRM account types missing from QuickBooks' customer types, once per run."""
        key = 'export:customer_types'
        if not ctx.setting('export.customers') or ctx.same_run(state.load(ctx.db, ctx.server.id, key).get('run')):
            return []
        state.save(ctx.db, ctx.server.id, key, {'run': ctx.run.id})
        rows = self._rows(ctx, ListKind.CUSTOMER_TYPE)
        mapped = {row.crm_value for row in rows if row.crm_value}
        names = {row.name.casefold() for row in rows}
        planned = []
        for option in ctx.host.dropdowns.options(DropdownList.ACCOUNT_TYPES):
            name = option.label[:31].replace(':', '-').strip()
            if option.key in mapped or name.casefold() in names or not name:
                continue
            row = ListMapping(
                server_id=ctx.server.id,
                kind=ListKind.CUSTOMER_TYPE,
                qb_type='CustomerType',
                name=name,
                crm_value=option.key,
                auto_mapped=True,
            )
            ctx.db.add(row)
            ctx.db.flush()
            names.add(name.casefold())
            planned.append(Planned('CustomerTypeAdd', {'Name': name}, FAMILY, 'add', context={'mapping': row.id}))
        return planned[:limit]

    def _plan_deleted(self, ctx: SyncContext) -> list[Planned]:
        """ListDeletedQuery once a run, with the list pages: deletions since the last check (none on the first run)."""
        key = 'deleted:lists'
        seen = state.load(ctx.db, ctx.server.id, key)
        if ctx.same_run(seen.get('run')) or not seen.get('checked'):
            state.save(
                ctx.db, ctx.server.id, key, {'run': ctx.run.id, 'checked': seen.get('checked') or ctx.now.isoformat()}
            )
            return []
        types = [
            name
            for setup in SETUP_LISTS
            if setup.applies(ctx)
            for name in setup.delete_types
            if ctx.is_us or name != 'SalesTaxCode'
        ]
        state.save(ctx.db, ctx.server.id, key, {'run': ctx.run.id, 'checked': seen['checked']})
        overlap = timedelta(minutes=int(ctx.setting('sync.modified_overlap_minutes')))
        since = datetime.fromisoformat(seen['checked']) - overlap
        return [
            Planned(
                'ListDeletedQuery',
                {'ListDelType': types, 'DeletedDateRangeFilter': {'FromDeletedDate': since}},
                FAMILY,
                'deleted',
                context={'started': ctx.now.isoformat()},
            )
        ]

    # -- answers -----------------------------------------------------------------------------

    def synced_in_bulk(self, ctx: SyncContext, sent: SentRequest, response: Response) -> None:
        """Its answers are read one at a time, by ``on_response``."""
        return None

    def on_response(self, ctx: SyncContext, sent: SentRequest, response: Response) -> None:
        context = json.loads(sent.context or '{}')
        if sent.action == 'import':
            setup = _BY_KIND[ListKind(context['kind'])]
            page = Page(0)
            records = list(response.records)
            for record in records:
                page.add(record.data.get('FullName') or record.data.get('Name', ''), record.data.get('TimeModified'))
            self._store(ctx, setup.kind, records)
            _query(setup).answered(ctx, response, page)
        elif sent.action == 'add':
            row = ctx.db.get(ListMapping, context['mapping'])
            records = list(response.records)
            if records:
                self._update_row(row, records[0])
            else:
                row.message = _(
                    'QuickBooks status %(code)s: %(detail)s',
                    code=response.status_code,
                    detail=response.status_message,
                )
        elif sent.action == 'deleted':
            self._deleted(ctx, list(response.records), response, context)
        mappings.forget(ctx, ListKind.CUSTOMER_TYPE)

    def on_poisoned(self, ctx: SyncContext, sent: SentRequest, message: str) -> None:
        ctx.run.message = N_('QuickBooks could not read a setup list request: %(detail)s', detail=message)

    def _rows(self, ctx: SyncContext, kind: ListKind) -> list[ListMapping]:
        query = sa.select(ListMapping).where(ListMapping.server_id == ctx.server.id, ListMapping.kind == kind)
        return list(ctx.db.scalars(query))

    def _store(self, ctx: SyncContext, kind: ListKind, records: list[Record]) -> None:
        existing = {row.qb_id: row for row in self._rows(ctx, kind)}
        by_name = {row.name.casefold(): row for row in existing.values() if row.qb_id is None}
        for record in records:
            data = record.data
            row = existing.get(data['ListID']) or by_name.get((data.get('FullName') or data.get('Name', '')).casefold())
            if row is None:
                row = ListMapping(server_id=ctx.server.id, kind=kind)
                ctx.db.add(row)
            self._update_row(row, record)
            if row.crm_value is None:
                row.crm_value = self._guess(ctx, kind, row, data)
                row.auto_mapped = row.crm_value is not None
            ctx.count(f'lists.{kind}')
        ctx.db.flush()
        mappings.forget(ctx, kind)

    @staticmethod
    def _update_row(row: ListMapping, record: Record) -> None:
        data = record.data
        row.qb_type = record.tag.removesuffix('Ret')
        row.qb_id = data['ListID']
        row.edit_sequence = data.get('EditSequence')
        row.name = (data.get('FullName') or data.get('Name', ''))[:255]
        row.details = json.dumps(_details(ListKind(row.kind), data), sort_keys=True)
        row.is_active = data.get('IsActive') is not False
        row.deleted = False
        row.qb_modified_at = data.get('TimeModified')
        row.message = ''

    def _deleted(self, ctx: SyncContext, records: list[Record], response: Response, context: dict) -> None:
        ids = [record.data['ListID'] for record in records]
        if ids:
            rows = ctx.db.scalars(
                sa.select(ListMapping).where(
                    ListMapping.server_id == ctx.server.id,
                    ListMapping.qb_id.in_(ids),
                    ListMapping.deleted.is_(False),
                )
            )
            for row in rows:
                row.deleted, row.is_active = True, False
                ctx.count('lists.deleted_in_qb')
        if response.status_code < 1000:
            state.save(ctx.db, ctx.server.id, 'deleted:lists', {'run': ctx.run.id, 'checked': context['started']})

    # -- the original's speculative mapping ---------------------------------------------------------

    def _guess(self, ctx: SyncContext, kind: ListKind, row: ListMapping, data: dict) -> str | None:
        name = row.name.casefold()
        if kind is ListKind.CURRENCY:
            code = data.get('CurrencyCode', '')
            return code if code and ctx.host.currencies.find_by_name(code) else None
        if kind is ListKind.TAX_CODE:
            return self._guess_tax_code(ctx, data)
        if kind is ListKind.SALES_TAX_ITEM:
            rate = data.get('TaxRate')
            for record in _host_list(ctx, 'tax_rates'):
                same_rate = rate is not None and record.rate.quantize(_RATE_PLACES) == Decimal(rate).quantize(
                    _RATE_PLACES
                )
                if not record.deleted and (record.name.casefold() == name or same_rate):
                    return record.id
            return None
        if kind is ListKind.SHIP_METHOD:
            found = ctx.host.shipping_providers.find_by_name(row.name)
            return found[0].id if found else None
        dropdown = {
            ListKind.CUSTOMER_TYPE: DropdownList.ACCOUNT_TYPES,
            ListKind.TERMS: DropdownList.TERMS,
            ListKind.PAYMENT_METHOD: DropdownList.PAYMENT_TYPES,
        }.get(kind)
        if dropdown is None:
            return None
        return next(
            (
                option.key
                for option in ctx.host.dropdowns.options(dropdown)
                if option.label.casefold() == name or option.key.casefold() == name
            ),
            None,
        )

    def _guess_tax_code(self, ctx: SyncContext, data: dict) -> str | None:
        """Same code; else QuickBooks' non-taxable or exempt code to the CRM's exempt code."""
        found = ctx.host.tax_codes.find_by_name(data.get('Name', ''))
        if found:
            return found[0].id
        exempt = data.get('IsTaxable') is False or data.get('IsTax1Exempt') is True
        if exempt:
            return next(
                (record.id for record in _host_list(ctx, 'tax_codes') if record.exempt and not record.deleted), None
            )
        return None


def _host_list(ctx: SyncContext, repository: str) -> list[Any]:
    """A whole (small) host list, read once per call through its change feed."""
    key = f'host:{repository}'
    if key not in ctx.cache:
        records: list[Any] = []
        cursor = None
        while True:
            page = getattr(ctx.host, repository).changed_since(cursor, HOST_LIST_PAGE)
            records.extend(page.records)
            cursor = page.cursor
            if not page.has_more:
                break
        ctx.cache[key] = records
    return ctx.cache[key]
