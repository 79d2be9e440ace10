"""Both versions of a record held for review, as the same CRM fields, so they can be shown side by side.

QuickBooks' version is taken at hold time through the family's own QuickBooks-to-CRM mapping
(``to_crm``), so it shows exactly what "keep QuickBooks" would write, in the CRM's terms; the
CRM's version is the record as it is when the page is read, projected on the same fields.
Values become plain JSON text: ids, dates and lists (contacts, components) say nothing to the
reader on their own and are left out, and the wizard's filing defaults (category, type,
warehouse) are applied only when a record is created, never by an update.
"""

from __future__ import annotations

import json
from dataclasses import fields
from decimal import Decimal
from enum import Enum
from typing import Any

from onecrm_finance_qb.host import Address, Stored

#: A field's value as stored: text, a yes/no, or nothing.
Value = str | bool | None
_STORED_FIELDS = frozenset(field.name for field in fields(Stored))


def project(data: Any, names: tuple[str, ...] | None = None) -> dict[str, Value]:
    """The comparable fields of a CRM record or of the data written from QuickBooks, by field name.

    ``names`` restricts the projection to the fields of the other version, so a CRM record is
    compared on the fields QuickBooks' version carries.
    """
    projected: dict[str, Value] = {}
    for field in fields(data):
        if (
            field.name in _STORED_FIELDS
            or field.name.endswith('_id')
            or (names is not None and field.name not in names)
        ):
            continue
        value = getattr(data, field.name)
        if isinstance(value, tuple):
            continue
        projected[field.name] = _plain(value)
    return projected


def _plain(value: Any) -> Value:
    if isinstance(value, Enum):
        return str(value.value)
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, Decimal):
        return format(value.normalize(), 'f')
    if isinstance(value, Address):
        return ', '.join(
            part
            for part in (*value.street.splitlines(), value.city, value.region, value.postal_code, value.country)
            if part
        )
    return str(value)


def dump(data: Any) -> str:
    """QuickBooks' version (the data ``to_crm`` made of it) as the JSON text kept on the conflict."""
    return json.dumps(project(data), sort_keys=True)


def load(text: str | None) -> dict[str, Value] | None:
    """The stored version; None when none was kept or the text is damaged (the page still shows the rest)."""
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    return {str(key): value for key, value in data.items() if value is None or isinstance(value, bool | str)}
