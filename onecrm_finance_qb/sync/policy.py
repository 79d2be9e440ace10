"""What the engine does for every QuickBooks status code: the one table of reactions.

``qbxml.status`` knows what each code means; this module decides what the sync does about it
(qbxml-semantics section 2, inventory section 4.5 and its weaknesses):

- 0, 1, 500 and the other informational or warning codes: carry on with what came back;
- 3100 (name in use) on an export: look the name up and link to the QuickBooks record when it
  is the same kind of thing, else block with a message saying what holds the name;
- 3200 (stale EditSequence): re-query the record and retry once;
- 3170-3180 and other transient codes: retry in a later run, with a doubling backoff;
- 3140 (a reference that does not resolve): wait for the dependency;
- 3070 (text too long): block, naming the field;
- anything else: an error that keeps QuickBooks' own message.
"""

from __future__ import annotations

from enum import StrEnum

from onecrm_finance_qb.qbxml.status import StatusClass


class Reaction(StrEnum):
    """What happens to the record whose request got a status code."""

    CONTINUE = 'continue'
    LINK_BY_NAME = 'link-by-name'
    REQUERY_AND_RETRY = 'requery-and-retry'
    RETRY_LATER = 'retry-later'
    WAIT_FOR_DEPENDENCY = 'wait-for-dependency'
    BLOCK = 'block'
    ERROR = 'error'


POLICY: dict[StatusClass, Reaction] = {
    StatusClass.OK: Reaction.CONTINUE,
    StatusClass.INFO_NO_MATCH: Reaction.CONTINUE,
    StatusClass.WARN_PARTIAL: Reaction.CONTINUE,
    StatusClass.WARNING: Reaction.CONTINUE,
    StatusClass.DUPLICATE_NAME: Reaction.LINK_BY_NAME,
    StatusClass.STALE_EDIT_SEQUENCE: Reaction.REQUERY_AND_RETRY,
    StatusClass.TRANSIENT: Reaction.RETRY_LATER,
    StatusClass.INVALID_REFERENCE: Reaction.WAIT_FOR_DEPENDENCY,
    StatusClass.TOO_LONG: Reaction.BLOCK,
    StatusClass.NOT_FOUND: Reaction.ERROR,
    StatusClass.FEATURE_DISABLED: Reaction.ERROR,
    StatusClass.ITERATOR_INVALID: Reaction.RETRY_LATER,
    StatusClass.BAD_VALUE: Reaction.ERROR,
    StatusClass.OTHER_ERROR: Reaction.ERROR,
}


def reaction(status_class: StatusClass) -> Reaction:
    """The reaction to a status class; every class has one."""
    return POLICY[status_class]
