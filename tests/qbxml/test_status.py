"""Status codes are classified the way the engine's policies expect."""

from __future__ import annotations

import pytest

from onecrm_finance_qb.qbxml import StatusClass, classify, describe
from onecrm_finance_qb.qbxml.status import STATUS_CODES, Severity


@pytest.mark.parametrize(('code', 'expected'), [
    (0, StatusClass.OK),
    (1, StatusClass.INFO_NO_MATCH),
    (500, StatusClass.WARN_PARTIAL),
    (560, StatusClass.WARNING),
    (3100, StatusClass.DUPLICATE_NAME),
    (3120, StatusClass.NOT_FOUND),
    (3200, StatusClass.STALE_EDIT_SEQUENCE),
    (3140, StatusClass.INVALID_REFERENCE),
    (3070, StatusClass.TOO_LONG),
    (3250, StatusClass.FEATURE_DISABLED),
    (3170, StatusClass.TRANSIENT),
    (3175, StatusClass.TRANSIENT),
    (3176, StatusClass.TRANSIENT),
    (3180, StatusClass.TRANSIENT),
    (3171, StatusClass.OTHER_ERROR),
    (3020, StatusClass.BAD_VALUE),
    (3210, StatusClass.BAD_VALUE),
    (3391, StatusClass.ITERATOR_INVALID),
    (1000, StatusClass.OTHER_ERROR),
])
def test_known_codes(code, expected) -> None:
    assert classify(code) is expected


@pytest.mark.parametrize(('code', 'expected'), [
    (42, StatusClass.OK), (777, StatusClass.WARNING), (3999, StatusClass.OTHER_ERROR), (9100, StatusClass.OTHER_ERROR),
])
def test_unknown_codes_follow_intuit_ranges(code, expected) -> None:
    assert describe(code) is None
    assert classify(code) is expected


def test_3180_business_refusals_are_not_retried() -> None:
    busy = 'There was an error when saving a Customer list. QuickBooks error message: This list has been modified.'
    refused = 'QuickBooks error message: The credit limit for the name on this transaction has been exceeded.'
    assert classify(3180, busy) is StatusClass.TRANSIENT
    assert classify(3180, refused) is StatusClass.OTHER_ERROR


def test_severities_match_intuit_ranges() -> None:
    for code, entry in STATUS_CODES.items():
        expected = Severity.INFO if code < 500 or code == 600 else Severity.WARN if code < 1000 else Severity.ERROR
        assert entry.severity is expected, code
