"""Resolving ``XxxRef`` aggregates: ListID wins over FullName, FullName is case-insensitive."""

from __future__ import annotations

from qbsim.errors import RequestError
from qbsim.kinds import ref_label, ref_targets
from qbsim.requests.context import Context
from qbsim.requests.names import sort_key
from qbsim.status import invalid_reference
from qbsim.store import StoredObject

# ParentRef is resolved by the list writer (it decides the hierarchy); AdditionalContactRef is not a
# reference at all but a contact's name and value.
SKIPPED = frozenset({'ParentRef', 'AdditionalContactRef'})


def resolve(ctx: Context, ref: dict, targets: tuple[str, ...], label: str, owner: str) -> StoredObject:
    """The object a Ref points at, or 3140 naming the list and the value that did not resolve.

    With both ListID and FullName given, FullName is ignored (qbxml-semantics.md section 3).
    """
    found = None
    if targets:
        if 'ListID' in ref:
            found = ctx.store.get(ref['ListID'], targets)
        elif 'FullName' in ref:
            found = ctx.store.find_by_sort_key(targets, sort_key(ref['FullName']))
    if found is None:
        raise RequestError(*invalid_reference(label, ref.get('ListID') or ref.get('FullName', ''), owner))
    return found


def as_ref(obj: StoredObject) -> dict:
    return {'ListID': obj.id, 'FullName': obj.doc.get('FullName') or obj.doc['Name']}


def resolve_all(ctx: Context, doc: dict, owner: str, overrides: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """Replace every Ref in ``doc`` (at any depth) by its resolved ListID and FullName; return the ids.

    An empty Ref (sent to clear it in a Mod) is left for the caller.
    """
    ids: list[str] = []
    for key, value in list(doc.items()):
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(item, dict) for item in items):
            continue
        if key.endswith('Ref') and key not in SKIPPED:
            targets = (overrides or {}).get(key) or ref_targets(key, ctx.edition)
            resolved = []
            for item in items:
                if not item:
                    resolved.append(item)
                    continue
                target = resolve(ctx, item, targets, ref_label(key, ctx.edition), owner)
                ids.append(target.id)
                resolved.append(as_ref(target))
            doc[key] = resolved if isinstance(value, list) else resolved[0]
        else:
            for item in items:
                ids.extend(resolve_all(ctx, item, owner, overrides))
    return ids
