"""Formatting of non-text values in the exact lexical forms qbXML's simple types accept.

QuickBooks rejects a whole message when a value breaks its type's pattern, so amounts, rates,
dates and flags are formatted here from Python types, never from strings the caller formatted:
AMTTYPE takes at most 13 integer digits and exactly two decimals; PRICETYPE, QUANTYPE and
PERCENTTYPE at most 10 integer digits and 1 to 5 decimals (qbxml-semantics §4, qbxmltypes130).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from onecrm_finance_qb.qbxml.facts import Leaf

_TWO_PLACES = Decimal('0.01')
_FIVE_PLACES = Decimal('0.00001')
_GUID = re.compile(r'0|\{[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\}')


class ValueFormatError(ValueError):
    """A value that cannot be expressed in its qbXML type: a bug in the caller, not in the data."""


def _decimal(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValueFormatError(f'expected Decimal or int, got {type(value).__name__}')
    number = Decimal(value)
    if not number.is_finite():
        raise ValueFormatError(f'{number} is not a finite number')
    return number


def _fixed(number: Decimal, places: Decimal, integer_digits: int, *, keep_zeros: bool) -> str:
    rounded = number.quantize(places, rounding=ROUND_HALF_UP)
    if rounded.is_zero():
        rounded = abs(rounded)
    text = format(rounded, 'f')
    if not keep_zeros and '.' in text:
        text = text.rstrip('0').rstrip('.')
    if len(text.lstrip('-').split('.')[0]) > integer_digits:
        raise ValueFormatError(f'{number} has more than {integer_digits} integer digits')
    return text


def format_amount(value: Decimal | int) -> str:
    """AMTTYPE: rounded half-up to cents, always two decimals."""
    return _fixed(_decimal(value), _TWO_PLACES, 13, keep_zeros=True)


def format_rate(value: Decimal | int) -> str:
    """PRICETYPE, QUANTYPE, PERCENTTYPE: up to five decimals, no trailing zeros."""
    return _fixed(_decimal(value), _FIVE_PLACES, 10, keep_zeros=False)


def format_date(value: object) -> str:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValueFormatError(f'expected a date, got {type(value).__name__}')
    return value.isoformat()


def format_datetime(value: object) -> str:
    """DATETIMETYPE: an aware datetime keeps its offset, which QuickBooks honours; a date is a whole day."""
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            raise ValueFormatError('naive datetime: give QuickBooks a timezone-aware value')
        return value.isoformat(timespec='seconds')
    return format_date(value)


def format_interval(value: object) -> str:
    if not isinstance(value, timedelta):
        raise ValueFormatError(f'expected a timedelta, got {type(value).__name__}')
    seconds = int(value.total_seconds())
    sign, seconds = ('-', -seconds) if seconds < 0 else ('', seconds)
    return f'{sign}PT{seconds // 3600}H{seconds % 3600 // 60}M{seconds % 60}S'


def format_bool(value: object) -> str:
    if not isinstance(value, bool):
        raise ValueFormatError(f'expected a bool, got {type(value).__name__}')
    return 'true' if value else 'false'


def format_int(value: object, leaf: Leaf) -> str:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueFormatError(f'expected an int, got {type(value).__name__}')
    if (leaf.low is not None and value < leaf.low) or (leaf.high is not None and value > leaf.high):
        raise ValueFormatError(f'{value} outside {leaf.low}..{leaf.high}')
    return str(value)


def format_enum(value: object, leaf: Leaf) -> str:
    if not isinstance(value, str):
        raise ValueFormatError(f'expected a str, got {type(value).__name__}')
    if leaf.enum is not None and value not in leaf.enum:
        raise ValueFormatError(f'{value!r} is not one of {sorted(leaf.enum)}')
    return str(value)


def format_identifier(value: object, leaf: Leaf) -> str:
    """IDTYPE, GUIDTYPE and the other opaque tokens: sent verbatim or refused, never altered."""
    if not isinstance(value, str):
        raise ValueFormatError(f'expected a str, got {type(value).__name__}')
    if leaf.max_length is not None and len(value) > leaf.max_length:
        raise ValueFormatError(f'{value!r} is longer than {leaf.max_length}')
    if leaf.base == 'GUID' and not _GUID.fullmatch(value):
        raise ValueFormatError(f'{value!r} is not 0 or a braced GUID')
    return value


def format_float(value: object) -> str:
    return format(_decimal(value), 'f')


def format_scalar(value: object, leaf: Leaf) -> str:
    """Any non-text simple value, by its leaf's base type."""
    base = leaf.base
    if base == 'AMT':
        return format_amount(value)
    if base in ('PRICE', 'QUAN', 'PERCENT'):
        return format_rate(value)
    if base == 'BOOL':
        return format_bool(value)
    if base == 'DATE':
        return format_date(value)
    if base == 'DATETIME':
        return format_datetime(value)
    if base == 'INT':
        return format_int(value, leaf)
    if base == 'ENUM':
        return format_enum(value, leaf)
    if base == 'FLOAT':
        return format_float(value)
    if base == 'TIMEINTERVAL':
        return format_interval(value)
    return format_identifier(value, leaf)
