"""The five standard items transactions need (custom product, custom assembly, booked hours, shipping,
subtotal): found in QuickBooks by their configured names, created when missing.

Each is a link of CRM kind ``standard_item`` whose ``crm_id`` is the item's key, so its ListID is
where every other link's is, and its name takes part in the item namespace checks. Once per run
each one not linked under its current name is looked up by name across all item types (a
"Shipping" service item the user already has is used as it is), and added when QuickBooks has
none. An item whose account is not set waits with a message naming the setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from onecrm_finance_qb.i18n import _
from onecrm_finance_qb.models.links import FirstSync, LinkStatus, SyncLink
from onecrm_finance_qb.models.requests import SentRequest
from onecrm_finance_qb.qbxml import Response
from onecrm_finance_qb.stored_messages import N_
from onecrm_finance_qb.sync import state, transitions
from onecrm_finance_qb.sync.context import SyncContext
from onecrm_finance_qb.sync.handlers.item_rules import account_ref
from onecrm_finance_qb.sync.handlers.records import NotReadyError
from onecrm_finance_qb.sync.outbox import context_of
from onecrm_finance_qb.sync.planned import Planned

CRM_KIND = 'standard_item'
FAMILY = 'standard_items'


@dataclass(frozen=True)
class StandardItem:
    """One standard item: its key, the setting naming it, its QuickBooks type, its account setting."""

    key: str
    name_setting: str
    qb_type: str
    account_setting: str | None = None


STANDARD_ITEMS = (
    StandardItem('custom_product', 'items.custom_product_partno', 'ItemNonInventory', 'items.income_account'),
    StandardItem('custom_assembly', 'items.custom_assembly_partno', 'ItemGroup'),
    StandardItem('booked_hours', 'items.standard_booked_hours_partno', 'ItemOtherCharge', 'items.income_account'),
    StandardItem('shipping', 'items.standard_shipping_item_partno', 'ItemOtherCharge', 'items.shipping_account'),
    StandardItem('subtotal', 'items.standard_subtotal_item_partno', 'ItemSubtotal'),
)
_BY_KEY = {item.key: item for item in STANDARD_ITEMS}


def standard_names(ctx: SyncContext) -> set[str]:
    """The configured standard item names, case-folded: the item families leave these to this one."""
    if 'items:standard' not in ctx.cache:
        ctx.cache['items:standard'] = {str(ctx.setting(item.name_setting)).casefold() for item in STANDARD_ITEMS}
    return ctx.cache['items:standard']


def _add_fields(ctx: SyncContext, item: StandardItem, name: str) -> dict[str, Any]:
    """Raises NotReadyError while the item's account is not set."""
    description = _standard_description(item.key)
    if item.account_setting is None:
        return {'Name': name, 'ItemDesc': description}
    return {
        'Name': name,
        'SalesOrPurchase': {
            'Desc': description,
            'Price': Decimal(0),
            'AccountRef': account_ref(ctx, item.account_setting),
        },
    }


def _standard_description(key: str) -> str:
    descriptions = {
        'custom_product': _('Ad-hoc product'),
        'custom_assembly': _('Ad-hoc assembly'),
        'booked_hours': _('Booked hours'),
        'shipping': _('Shipping'),
        'subtotal': _('Subtotal'),
    }
    return descriptions[key]


class StandardItemsFamily:
    """Looks the standard items up once per run and adds the missing ones."""

    name = FAMILY
    stages = ('standard',)

    def plan(self, ctx: SyncContext, stage: str, limit: int) -> list[Planned]:
        key = f'{FAMILY}:run'
        if ctx.same_run(state.load(ctx.db, ctx.server.id, key).get('run')):
            return []
        state.save(ctx.db, ctx.server.id, key, {'run': ctx.run.id})
        links = self._links(ctx)
        planned = []
        for item in STANDARD_ITEMS:
            name = str(ctx.setting(item.name_setting)).strip()
            link = links.get(item.key)
            if not name or (
                link is not None
                and link.status == LinkStatus.ENABLED
                and link.qb_id
                and link.name.casefold() == name.casefold()
            ):
                continue
            if link is None:
                link = SyncLink(
                    server_id=ctx.server.id,
                    crm_kind=CRM_KIND,
                    crm_id=item.key,
                    qb_type=item.qb_type,
                    status=LinkStatus.PENDING_EXPORT,
                )
                ctx.db.add(link)
            elif link.status == LinkStatus.IN_FLIGHT:
                transitions.not_sent(link)
            link.name = name[:255]
            ctx.db.flush()
            planned.append(
                Planned('ItemQuery', {'FullName': [name]}, FAMILY, 'find', link_id=link.id, context={'key': item.key})
            )
        return planned

    def _links(self, ctx: SyncContext) -> dict[str, SyncLink]:
        query = sa.select(SyncLink).where(SyncLink.server_id == ctx.server.id, SyncLink.crm_kind == CRM_KIND)
        return {link.crm_id: link for link in ctx.db.scalars(query)}

    def synced_in_bulk(self, ctx: SyncContext, sent: SentRequest, response: Response) -> None:
        """Its answers are read one at a time, by ``on_response``."""
        return None

    def on_response(self, ctx: SyncContext, sent: SentRequest, response: Response) -> None:
        link = ctx.db.get(SyncLink, sent.link_id)
        records = list(response.records)
        if records and response.status_code < 1000:
            data = records[0].data
            link.qb_type = records[0].tag.removesuffix('Ret')
            transitions.synced(
                link,
                qb_id=data['ListID'],
                edit_sequence=data.get('EditSequence'),
                qb_modified_at=data.get('TimeModified'),
                crm_modified_at=None,
                first_sync=FirstSync.EXPORTED if sent.action == 'add' else FirstSync.IMPORTED,
                now=ctx.now,
            )
            link.name = (data.get('FullName') or data.get('Name', link.name))[:255]
            return
        if sent.action == 'find' and response.status_code in (0, 1, 500):
            self._add(ctx, link, _BY_KEY[context_of(sent)['key']])
            return
        transitions.fail(
            link,
            sent.action,
            N_('QuickBooks status %(code)s: %(detail)s', code=response.status_code, detail=response.status_message),
            tally=ctx,
            family=FAMILY,
        )

    def _add(self, ctx: SyncContext, link: SyncLink, item: StandardItem) -> None:
        if not ctx.setting('export.products'):
            link.status, link.message = LinkStatus.PENDING_EXPORT, N_('Not in QuickBooks, and product export is off.')
            return
        link.qb_type = item.qb_type
        try:
            fields = _add_fields(ctx, item, link.name)
        except NotReadyError as exc:
            link.status, link.message = LinkStatus.PENDING_EXPORT, exc.message
            return
        ctx.followups.append(
            Planned(f'{item.qb_type}Add', fields, FAMILY, 'add', link_id=link.id, context={'key': item.key})
        )

    def on_poisoned(self, ctx: SyncContext, sent: SentRequest, message: str) -> None:
        link = ctx.db.get(SyncLink, sent.link_id) if sent.link_id else None
        if link is not None:
            unread = N_('QuickBooks could not read the request: %(detail)s', detail=message)
            transitions.fail(link, sent.action, unread, tally=ctx, family=FAMILY)
