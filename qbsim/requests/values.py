"""Per-request value checks: what QuickBooks answers with a status code rather than a parse failure.

Lengths (3070), booleans (3010), dates (3020), numbers and ids are checked against the simple
types in the tables; booleans are normalised to QuickBooks' ``true``/``false`` on the way in.
Number format errors answer 3040 (the amount-conversion code of Intuit's status table).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from lxml import etree

from qbsim.clock import Clock
from qbsim.errors import RequestError
from qbsim.schema.model import SimpleType, Tables
from qbsim.status import too_long

MAX_REQUEST_ID = 50
_NUMBER = {
    'AMTTYPE': re.compile(r'[+-]?[0-9]{1,13}(\.[0-9]{2})?'),
    'PRICETYPE': re.compile(r'[+-]?[0-9]{1,10}(\.[0-9]{1,5})?'),
    'QUANTYPE': re.compile(r'[+-]?[0-9]{1,10}(\.[0-9]{1,5})?'),
    'PERCENTTYPE': re.compile(r'[+-]?[0-9]{1,10}(\.[0-9]{1,5})?'),
    'INTTYPE': re.compile(r'[+-]?[0-9]+'),
}
_GUID = re.compile(r'0|\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}')
_BOOLEANS = {'true': 'true', '1': 'true', 'false': 'false', '0': 'false'}


def check_request(
    node: etree._Element, type_index: int, tables: Tables, field_limits: Mapping[str, int] | None = None
) -> None:
    """Raise RequestError for the first bad value in the request, in document order.

    ``field_limits`` are the company's own maximum lengths by element name, where they are
    shorter than the schema's (``Company.limit_field``).
    """
    request_id = node.get('requestID')
    if request_id is not None and len(request_id) > MAX_REQUEST_ID:
        raise RequestError(1060, f'The requestID "{request_id}" is not valid: it is longer than {MAX_REQUEST_ID}.')
    _check(node, type_index, tables, field_limits or {})


def _check(node: etree._Element, type_index: int, tables: Tables, field_limits: Mapping[str, int]) -> None:
    if tables.is_simple(type_index):
        _check_leaf(node, tables.simple(type_index), field_limits)
        return
    definition = tables.complex(type_index)
    if definition.text is not None:
        _check_leaf(node, definition.text, field_limits)
        return
    child_types = tables.child_types(type_index)
    for child in node:
        _check(child, child_types[child.tag], tables, field_limits)


def _check_leaf(node: etree._Element, simple: SimpleType, field_limits: Mapping[str, int]) -> None:
    value = node.text or ''
    field = node.tag
    if simple.base == 'IDTYPE' and len(value) > (simple.max_length or 36):
        raise RequestError(3000, f'There is an invalid object ID "{value}" in the field "{field}".')
    limits = [limit for limit in (simple.max_length, field_limits.get(field)) if limit is not None]
    if limits and len(value) > min(limits):
        raise RequestError(*too_long(value, field))
    if simple.base == 'BOOLTYPE' and value:
        if value not in _BOOLEANS:
            raise RequestError(3010, f'There was an error when converting the boolean value "{value}" in the field '
                                     f'"{field}".')
        node.text = _BOOLEANS[value]
    elif simple.base in ('DATETYPE', 'DATETIMETYPE') and value and not _valid_date(value, simple.base):
        raise RequestError(3020, f'There was an error when converting the date value "{value}" in the field '
                                 f'"{field}".')
    elif simple.base in _NUMBER and value and not _valid_number(value, simple):
        raise RequestError(3040, f'There was an error when converting the number "{value}" in the field "{field}".')
    elif simple.base == 'GUIDTYPE' and not _GUID.fullmatch(value):
        raise RequestError(3000, f'There is an invalid object ID "{value}" in the field "{field}".')


def _valid_date(value: str, base: str) -> bool:
    try:
        if base == 'DATETYPE':
            date.fromisoformat(value)
        else:
            Clock(0).parse(value)
    except ValueError:
        return False
    return True


def _valid_number(value: str, simple: SimpleType) -> bool:
    if not _NUMBER[simple.base].fullmatch(value):
        return False
    if simple.low is not None and int(value) < simple.low:
        return False
    return simple.high is None or int(value) <= simple.high
