"""QuickBooks status codes qbsim answers with, their severities and message shapes.

Codes and messages follow qbxml-semantics.md section 2 (captured QuickBooks wording where a source
has it). Severity follows the code ranges: below 500 Info, 500-999 Warn, from 1000 Error.
"""

from __future__ import annotations

OK = (0, 'Status OK')
NO_MATCH = (1, 'A query request did not find a matching object in QuickBooks')
FEATURE_OFF = (3250, 'This feature is not enabled or not available in this version of QuickBooks.')
NOT_SUPPORTED = (1030, 'This request is not supported by this implementation of QuickBooks.')

TRANSIENT_MESSAGES = {
    3170: 'There was an error when modifying a {what}. QuickBooks error message: This list has been modified by '
          'another user.',
    3175: 'There was an error when modifying a {what}. QuickBooks error message: This object is in use by another '
          'user.',
    3176: 'There was an error when modifying a {what}. QuickBooks error message: A related object is in use by '
          'another user.',
    3180: 'There was an error when saving a {what}. QuickBooks error message: This list has been modified by another '
          'user.',
}


def severity(status_code: int) -> str:
    if status_code < 500:
        return 'Info'
    if status_code < 1000:
        return 'Warn'
    return 'Error'


def partial_match(missing: str) -> tuple[int, str]:
    return 500, ('The query request has not been fully completed. There was a required element '
                 f'("{missing}") that could not be found in QuickBooks.')


def name_in_use(name: str) -> tuple[int, str]:
    return 3100, f'The name "{name}" of the list element is already in use.'


def name_has_colon(name: str) -> tuple[int, str]:
    return 3100, f'The name "{name}" of the list element cannot contain a colon (":").'


def too_long(value: str, field: str) -> tuple[int, str]:
    return 3070, f'The string "{value}" in the field "{field}" is too long.'


def not_found(value: str) -> tuple[int, str]:
    return 3120, f'Object "{value}" specified in the request cannot be found.'


def invalid_reference(label: str, value: str, owner: str) -> tuple[int, str]:
    return 3140, f'There is an invalid reference to QuickBooks {label} "{value}" in the {owner}.'


def stale_edit_sequence(value: str) -> tuple[int, str]:
    return 3200, f'The provided edit sequence "{value}" is out-of-date.'


def transient(status_code: int, request_type: str) -> tuple[int, str]:
    what = request_type.removesuffix('Add').removesuffix('Mod').removesuffix('Query').removesuffix('Del')
    return status_code, TRANSIENT_MESSAGES[status_code].format(what=f'{what} list element' if what else 'list')
