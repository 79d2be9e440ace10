"""Names, full names and the list order QuickBooks sorts by."""

from __future__ import annotations

from qbsim.errors import RequestError
from qbsim.status import name_has_colon, name_in_use

SEPARATOR = '\x1f'
PERSON_NAME_PARTS = ('FirstName', 'MiddleName', 'LastName')


def sort_key(full_name: str) -> str:
    """Case-insensitive key that puts a parent immediately before its children ('A' < 'A:B' < 'AB')."""
    return SEPARATOR.join(part.casefold() for part in full_name.split(':'))


def name_key(name: str) -> str:
    return name.casefold()


def person_name(doc: dict) -> str:
    """First, middle and last name joined as QuickBooks lists an employee sent without a Name."""
    return ' '.join(doc[part] for part in PERSON_NAME_PARTS if doc.get(part))


def check_name(name: str) -> None:
    """A Name holds no ':' (that separates FullName levels)."""
    if ':' in name:
        raise RequestError(*name_has_colon(name))


def check_unique(store, namespace: str, parent_id: str | None, name: str, except_id: str | None = None) -> None:
    """Siblings in a namespace never share a name, whatever the case (3100)."""
    if store.sibling_exists(namespace, parent_id, name_key(name), except_id):
        raise RequestError(*name_in_use(name))
