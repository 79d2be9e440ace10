"""What QuickBooks' per-request status codes mean, grouped into classes the sync engine acts on.

The engine decides per class what to do (continue, retry later, re-query the EditSequence, link
by name, block with a message); this module only knows the codes. Meanings and severities are
from qbxml-semantics §2, which cites Intuit's status-code pages and captured traffic. Codes not in
the table are classified by Intuit's ranges: 0-499 information, 500-999 warnings, 1000 and up
errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class StatusClass(StrEnum):
    """What kind of outcome a status code reports."""

    OK = 'ok'
    INFO_NO_MATCH = 'info-no-match'
    WARN_PARTIAL = 'warn-partial'
    WARNING = 'warning'
    DUPLICATE_NAME = 'duplicate-name'
    NOT_FOUND = 'not-found'
    STALE_EDIT_SEQUENCE = 'stale-edit-sequence'
    INVALID_REFERENCE = 'invalid-reference'
    TOO_LONG = 'too-long'
    FEATURE_DISABLED = 'feature-disabled'
    TRANSIENT = 'transient'
    ITERATOR_INVALID = 'iterator-invalid'
    BAD_VALUE = 'bad-value'
    OTHER_ERROR = 'other-error'


class Severity(StrEnum):
    INFO = 'Info'
    WARN = 'Warn'
    ERROR = 'Error'


@dataclass(frozen=True, slots=True)
class StatusCode:
    """One known code: its severity, what it means, and its class."""

    code: int
    severity: Severity
    meaning: str
    status_class: StatusClass


_I, _W, _E = Severity.INFO, Severity.WARN, Severity.ERROR
_C = StatusClass

STATUS_CODES: dict[int, StatusCode] = {
    entry.code: entry
    for entry in (
        StatusCode(0, _I, 'success', _C.OK),
        StatusCode(1, _I, 'the query filters matched nothing', _C.INFO_NO_MATCH),
        StatusCode(500, _W, 'some of the listed objects were not found; the others are returned', _C.WARN_PARTIAL),
        StatusCode(501, _W, 'an object cannot be represented in this qbXML version', _C.WARN_PARTIAL),
        StatusCode(510, _W, 'an object cannot be returned', _C.WARN_PARTIAL),
        StatusCode(530, _W, 'a field is not supported by this QuickBooks', _C.WARNING),
        StatusCode(531, _W, 'an enumerated value is not supported by this QuickBooks', _C.WARNING),
        StatusCode(550, _W, 'the object was saved but its notes were not', _C.WARNING),
        StatusCode(560, _W, 'a deprecated field was used (and still processed)', _C.WARNING),
        StatusCode(570, _W, 'the transaction is closed and could not be linked', _C.WARNING),
        StatusCode(600, _I, 'error recovery: no saved state to clear', _C.OK),
        StatusCode(1000, _E, 'QuickBooks internal error', _C.OTHER_ERROR),
        StatusCode(1010, _E, 'QuickBooks is not available', _C.TRANSIENT),
        StatusCode(1030, _E, 'request not supported by this QuickBooks', _C.FEATURE_DISABLED),
        StatusCode(1060, _E, 'invalid requestID (longer than 50 characters)', _C.BAD_VALUE),
        StatusCode(3000, _E, 'malformed object ID', _C.BAD_VALUE),
        StatusCode(3010, _E, 'invalid boolean value', _C.BAD_VALUE),
        StatusCode(3020, _E, 'invalid date value', _C.BAD_VALUE),
        StatusCode(3030, _E, 'invalid date range (From after To)', _C.BAD_VALUE),
        StatusCode(3031, _E, 'invalid string range (From after To)', _C.BAD_VALUE),
        StatusCode(3035, _E, 'invalid time interval', _C.BAD_VALUE),
        StatusCode(3070, _E, 'a text value is too long for its field', _C.TOO_LONG),
        StatusCode(3100, _E, 'the name is already in use', _C.DUPLICATE_NAME),
        StatusCode(3120, _E, 'the object referenced by ID is missing, deleted or already paid', _C.NOT_FOUND),
        StatusCode(3140, _E, 'a reference does not resolve to an existing object', _C.INVALID_REFERENCE),
        StatusCode(3150, _E, 'an element required by business rules is missing', _C.BAD_VALUE),
        StatusCode(3170, _E, 'the list element could not be modified (changed by another user)', _C.TRANSIENT),
        StatusCode(3171, _E, 'the transaction is dated on or before the closing date', _C.OTHER_ERROR),
        StatusCode(3175, _E, 'the object is in use', _C.TRANSIENT),
        StatusCode(3176, _E, 'a related object is in use', _C.TRANSIENT),
        StatusCode(3180, _E, 'the object could not be saved', _C.TRANSIENT),
        StatusCode(3200, _E, 'the EditSequence is out of date', _C.STALE_EDIT_SEQUENCE),
        StatusCode(3210, _E, 'a field has a value QuickBooks refuses', _C.BAD_VALUE),
        StatusCode(3250, _E, 'the feature is not enabled or not available in this QuickBooks', _C.FEATURE_DISABLED),
        StatusCode(3260, _E, "the QuickBooks user's role does not allow this", _C.FEATURE_DISABLED),
        StatusCode(3261, _E, 'the application may not access personal data', _C.FEATURE_DISABLED),
        StatusCode(3391, _E, 'the iteratorID is not valid (it ended with its QuickBooks session)', _C.ITERATOR_INVALID),
    )
}

# 3180 covers both a busy list (resend works) and business refusals that a resend repeats.
_PERMANENT_3180_TEXTS = ('credit limit', 'already exists', 'already in use')


def describe(code: int) -> StatusCode | None:
    """The known facts about ``code``, or None when it is not in the table."""
    return STATUS_CODES.get(code)


def classify(code: int, message: str = '') -> StatusClass:
    """The class of a status code; ``message`` refines the catch-all 3180."""
    known = STATUS_CODES.get(code)
    if known is not None:
        if code == 3180 and any(text in message.lower() for text in _PERMANENT_3180_TEXTS):
            return StatusClass.OTHER_ERROR
        return known.status_class
    if code < 500:
        return StatusClass.OK
    if code < 1000:
        return StatusClass.WARNING
    return StatusClass.OTHER_ERROR
