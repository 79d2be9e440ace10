"""Add and Mod of list objects: names, hierarchy, references, EditSequence, timestamps."""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from qbsim.errors import RequestError
from qbsim.kinds import MULTICURRENCY, ListKind
from qbsim.requests.context import Context, Stamp
from qbsim.requests.list_rules import REF_OVERRIDES, RULES, missing, money
from qbsim.requests.names import PERSON_NAME_PARTS, check_name, check_unique, name_key, person_name, sort_key
from qbsim.requests.refs import as_ref, resolve, resolve_all
from qbsim.status import FEATURE_OFF, not_found, stale_edit_sequence, too_long
from qbsim.store import StoredObject
from qbsim.xmlio import element_to_doc

TEXT_TRUE = 'true'
# Lists whose objects QuickBooks names after the person when a request sends no Name.
NAMED_AFTER_PERSON = frozenset({'Employee'})


def _body(ctx: Context, node: etree._Element, request_type: str) -> dict:
    body = node.find(request_type)
    child_types = ctx.tables.child_types(ctx.tables.requests[request_type])
    return element_to_doc(body, child_types[request_type], ctx.tables)


def _check_currency_feature(ctx: Context, doc: dict) -> None:
    """Currency refs exist only with multi-currency on (3250 otherwise)."""
    if 'CurrencyRef' in doc and not ctx.feature_on(MULTICURRENCY):
        raise RequestError(*FEATURE_OFF)


def _parent(ctx: Context, kind: ListKind, ref: dict | None) -> StoredObject | None:
    if not ref:
        return None
    return resolve(ctx, ref, (kind.ret,), kind.label, kind.label)


def _place(doc: dict, name: str, parent: StoredObject | None, hierarchical: bool) -> str:
    """Set FullName, ParentRef and Sublevel from the parent; return the full name."""
    full_name = f'{parent.doc["FullName"]}:{name}' if parent else name
    if hierarchical:
        doc['FullName'] = full_name
        doc['Sublevel'] = str(full_name.count(':'))
        if parent:
            doc['ParentRef'] = as_ref(parent)
        else:
            doc.pop('ParentRef', None)
    return full_name


def _is_hierarchical(ctx: Context, kind: ListKind) -> bool:
    return 'ParentRef' in ctx.tables.child_types(ctx.tables.rets[kind.ret])


def add(ctx: Context, kind: ListKind, node: etree._Element) -> StoredObject:
    """Create the object an ``XxxAddRq`` describes; every QuickBooks rule applies."""
    ctx.require_feature(kind.feature)
    doc = _body(ctx, node, f'{kind.base}Add')
    _check_currency_feature(ctx, doc)
    name = _new_name(ctx, kind, doc)
    check_name(name)
    parent = _parent(ctx, kind, doc.pop('ParentRef', None))
    check_unique(ctx.store, kind.namespace, parent.id if parent else None, name)
    ref_ids = resolve_all(ctx, doc, kind.label, REF_OVERRIDES.get(kind.base))
    doc.setdefault('IsActive', TEXT_TRUE)
    rule = RULES.get(kind.base)
    if rule:
        rule(ctx, doc, True)
    stamp = ctx.stamp()
    list_id = ctx.new_list_id(stamp)
    full_name = _place(doc, name, parent, _is_hierarchical(ctx, kind))
    obj = StoredObject(list_id, kind.ret, parent.id if parent else None, sort_key(full_name),
                       {'ListID': list_id, 'TimeCreated': stamp.text, 'TimeModified': stamp.text,
                        'EditSequence': stamp.edit_sequence, **doc})
    ctx.store.insert(obj, family='list', namespace=kind.namespace, name_key=name_key(name),
                     is_active=doc['IsActive'] == TEXT_TRUE, created_utc=stamp.utc, modified_utc=stamp.utc)
    ctx.store.set_refs(list_id, [*ref_ids, *([parent.id] if parent else [])])
    if parent is not None and Decimal(doc.get('Balance') or '0'):
        _add_to_total_balances(ctx, parent, Decimal(doc['Balance']))
    return obj


def _new_name(ctx: Context, kind: ListKind, doc: dict) -> str:
    """The Add's Name; an employee sent without one is named after the person."""
    if 'Name' not in doc and kind.base in NAMED_AFTER_PERSON and person_name(doc):
        doc['Name'] = person_name(doc)
    return _checked_name(ctx, kind, doc.get('Name', ''))


def _changed_name(ctx: Context, kind: ListKind, obj: StoredObject, changes: dict) -> str:
    """The Name after a Mod. An employee named after the person follows a change of the person's name."""
    if ('Name' not in changes and kind.base in NAMED_AFTER_PERSON and obj.doc['Name'] == person_name(obj.doc)
            and any(part in changes for part in PERSON_NAME_PARTS) and person_name({**obj.doc, **changes})):
        changes['Name'] = person_name({**obj.doc, **changes})
    return _checked_name(ctx, kind, changes.get('Name', obj.doc['Name']))


def _checked_name(ctx: Context, kind: ListKind, name: str) -> str:
    """No name at all is 3150; longer than the Ret's Name holds is 3070.

    The Add's own length facet usually catches a long name first, but EmployeeAdd's Name (and a
    name made from the person's parts) has no facet of its own, while EmployeeRet's Name holds 41.
    """
    if not name:
        raise missing('Name')
    limit = ctx.tables.simple(ctx.tables.child_types(ctx.tables.rets[kind.ret])['Name']).max_length
    if limit is not None and len(name) > limit:
        raise RequestError(*too_long(name, 'Name'))
    return name


def _add_to_total_balances(ctx: Context, ancestor: StoredObject | None, amount: Decimal) -> None:
    """A customer's TotalBalance includes its jobs' balances, all the way up."""
    while ancestor is not None:
        ancestor.doc['TotalBalance'] = money(str(Decimal(ancestor.doc.get('TotalBalance') or '0') + amount))
        ctx.store.replace_doc(ancestor)
        ancestor = ctx.store.get(ancestor.parent_id) if ancestor.parent_id else None


def find_for_write(ctx: Context, kind: ListKind, list_id: str, edit_sequence: str) -> StoredObject:
    """The object a Mod names: 3120 when unknown or deleted, 3200 when the EditSequence is stale."""
    obj = ctx.store.get(list_id, (kind.ret,))
    if obj is None:
        raise RequestError(*not_found(list_id))
    if obj.doc['EditSequence'] != edit_sequence:
        raise RequestError(*stale_edit_sequence(edit_sequence))
    return obj


def _merge(target: dict, changes: dict) -> None:
    """Sparse Mod: only given fields change, an empty value clears, aggregates merge field by field."""
    for key, value in changes.items():
        key = key.removesuffix('Mod') if key.endswith('Mod') and key != 'Mod' else key
        if value in ('', {}):
            target.pop(key, None)
        elif isinstance(value, dict) and isinstance(target.get(key), dict) and not key.endswith('Ref'):
            _merge(target[key], value)
        else:
            target[key] = value


def modify(ctx: Context, kind: ListKind, node: etree._Element) -> StoredObject:
    """Apply an ``XxxModRq``: new EditSequence and TimeModified even when no value changes."""
    ctx.require_feature(kind.feature)
    changes = _body(ctx, node, f'{kind.base}Mod')
    obj = find_for_write(ctx, kind, changes.pop('ListID'), changes.pop('EditSequence'))
    _check_currency_feature(ctx, changes)
    hierarchical = _is_hierarchical(ctx, kind)
    parent_id = obj.parent_id
    if 'ParentRef' in changes:
        parent = _parent(ctx, kind, changes.pop('ParentRef'))
        if parent is not None and (parent.id == obj.id or obj.id in _ancestors(ctx, parent)):
            raise RequestError(3140, f'The {kind.label} "{obj.doc["Name"]}" cannot be its own parent or ancestor.')
        parent_id = parent.id if parent else None
    name = _changed_name(ctx, kind, obj, changes)
    check_name(name)
    if name_key(name) != name_key(obj.doc['Name']) or parent_id != obj.parent_id:
        check_unique(ctx.store, kind.namespace, parent_id, name, except_id=obj.id)
    resolve_all(ctx, changes, kind.label, REF_OVERRIDES.get(kind.base))
    _check_same_variant(kind, obj, changes)
    doc = dict(obj.doc)
    _merge(doc, changes)
    rule = RULES.get(kind.base)
    if rule:
        rule(ctx, doc, False)
    stamp = ctx.stamp()
    parent_obj = ctx.store.get(parent_id) if parent_id else None
    _write(ctx, obj, doc, parent_obj, name, hierarchical, stamp)
    return obj


def _check_same_variant(kind: ListKind, obj: StoredObject, changes: dict) -> None:
    """An item keeps its SalesOrPurchase or SalesAndPurchase form; a Mod of the other form is refused."""
    for variant, other in (('SalesOrPurchase', 'SalesAndPurchase'), ('SalesAndPurchase', 'SalesOrPurchase')):
        if f'{variant}Mod' in changes and other in obj.doc:
            raise RequestError(3180, f'There was an error when saving a {kind.base} list, element '
                                     f'"{obj.doc["FullName"]}". QuickBooks error message: This item uses '
                                     f'{other}; it cannot be modified with {variant}Mod.')


def _ancestors(ctx: Context, obj: StoredObject) -> set[str]:
    seen: set[str] = set()
    while obj.parent_id and obj.parent_id not in seen:
        seen.add(obj.parent_id)
        obj = ctx.store.get(obj.parent_id)
    return seen


def _write(ctx: Context, obj: StoredObject, doc: dict, parent: StoredObject | None, name: str, hierarchical: bool,
           stamp: Stamp) -> None:
    old_full_name = obj.doc.get('FullName')
    full_name = _place(doc, name, parent, hierarchical)
    doc['TimeModified'] = stamp.text
    doc['EditSequence'] = stamp.edit_sequence
    obj.doc, obj.parent_id, obj.sort_key = doc, parent.id if parent else None, sort_key(full_name)
    ctx.store.update(obj, name_key=name_key(name), is_active=doc.get('IsActive', TEXT_TRUE) == TEXT_TRUE,
                     modified_utc=stamp.utc)
    ctx.store.set_refs(obj.id, [*_ref_ids(doc), *([parent.id] if parent else [])])
    if hierarchical and old_full_name != full_name:
        for child in ctx.store.children(obj.id):
            _write(ctx, child, dict(child.doc), obj, child.doc['Name'], True, ctx.stamp())


def _ref_ids(doc: dict) -> list[str]:
    ids = []
    for key, value in doc.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                if key.endswith('Ref') and key != 'ParentRef' and 'ListID' in item:
                    ids.append(item['ListID'])
                else:
                    ids.extend(_ref_ids(item))
    return ids
