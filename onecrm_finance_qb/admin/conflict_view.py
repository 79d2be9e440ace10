"""The conflicts page's content: each record held for review with its CRM and QuickBooks values per field.

Both versions are the same CRM fields (``sync.conflict_versions``): QuickBooks' as kept when the
record was held, the CRM's as it is now, read for the whole page with one ``get_many`` per kind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from babel.support import LazyProxy

from onecrm_finance_qb.host import Host
from onecrm_finance_qb.i18n import lazy_gettext
from onecrm_finance_qb.models.links import SyncConflict, SyncLink
from onecrm_finance_qb.sync import conflict_versions
from onecrm_finance_qb.sync.conflict_versions import Value

#: The host repository holding each CRM kind that can be held for review.
REPOSITORIES = {
    'account': 'accounts',
    'product': 'products',
    'assembly': 'assemblies',
    'discount': 'discounts',
    'tax_rate': 'tax_rates',
}

#: The label of every field a version can show, in the CRM's words.
FIELD_LABELS: dict[str, LazyProxy] = {
    'name': lazy_gettext('Name'),
    'is_supplier': lazy_gettext('Supplier'),
    'account_type': lazy_gettext('Account type'),
    'currency': lazy_gettext('Currency'),
    'credit_limit': lazy_gettext('Credit limit'),
    'terms': lazy_gettext('Payment terms'),
    'purchase_credit_limit': lazy_gettext('Purchase credit limit'),
    'purchase_terms': lazy_gettext('Purchase payment terms'),
    'email': lazy_gettext('Email'),
    'phone_office': lazy_gettext('Office phone'),
    'phone_alternate': lazy_gettext('Alternate phone'),
    'phone_fax': lazy_gettext('Fax'),
    'billing_address': lazy_gettext('Billing address'),
    'shipping_address': lazy_gettext('Shipping address'),
    'description': lazy_gettext('Description'),
    'part_number': lazy_gettext('Part number'),
    'purchase_name': lazy_gettext('Purchase name'),
    'purchase_description': lazy_gettext('Purchase description'),
    'track_inventory': lazy_gettext('Track inventory'),
    'list_price': lazy_gettext('List price'),
    'purchase_price': lazy_gettext('Purchase price'),
    'cost': lazy_gettext('Cost'),
    'quantity_in_stock': lazy_gettext('Quantity in stock'),
    'is_active': lazy_gettext('Active'),
    'kind': lazy_gettext('Discount kind'),
    'value': lazy_gettext('Discount value'),
    'rate': lazy_gettext('Rate (%)'),
    'compounding': lazy_gettext('Compounding'),
}


@dataclass(frozen=True)
class FieldRow:
    """One field of a held record: its label and its value on either side."""

    label: LazyProxy
    crm: Value
    qb: Value

    @property
    def differs(self) -> bool:
        """Whether the sides disagree; an empty text and no value read as the same."""
        return (self.crm or None) != (self.qb or None)


@dataclass(frozen=True)
class HeldRecord:
    """A conflict waiting for the administrator, with its link and both versions."""

    conflict: SyncConflict
    link: SyncLink | None
    rows: tuple[FieldRow, ...]
    #: False when QuickBooks' data could not be read into CRM fields when it was held.
    qb_known: bool


def held_records(host: Host, pairs: Sequence[tuple[SyncConflict, SyncLink | None]]) -> list[HeldRecord]:
    """Both versions of each held conflict, reading the CRM records of the page in one query per kind."""
    wanted: dict[str, list[str]] = {}
    for _conflict, link in pairs:
        if link is not None and link.crm_id is not None and link.crm_kind in REPOSITORIES:
            wanted.setdefault(link.crm_kind, []).append(link.crm_id)
    records = {kind: getattr(host, REPOSITORIES[kind]).get_many(ids) for kind, ids in wanted.items()}
    held = []
    for conflict, link in pairs:
        record = records.get(link.crm_kind, {}).get(link.crm_id) if link is not None and link.crm_id else None
        qb_version = conflict_versions.load(conflict.qb_version)
        names = tuple(qb_version) if qb_version is not None else None
        crm_version = conflict_versions.project(record, names) if record is not None else {}
        held.append(HeldRecord(conflict, link, _rows(crm_version, qb_version or {}), qb_version is not None))
    return held


def _rows(crm_version: dict[str, Value], qb_version: dict[str, Value]) -> tuple[FieldRow, ...]:
    """A row per labelled field either side has, in the order of ``FIELD_LABELS``."""
    return tuple(
        FieldRow(label, crm_version.get(name), qb_version.get(name))
        for name, label in FIELD_LABELS.items()
        if name in crm_version or name in qb_version
    )
