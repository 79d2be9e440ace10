"""Schema-ordered qbXML requests from plain nested fields.

QuickBooks rejects a whole message (HRESULT 0x80040400) when one request has its children out
of schema order, an unknown child, a missing required child or two branches of a choice, so
one careless request would cost the other ninety-nine of its batch. The builder therefore
orders children from the facts table, and treats every structural mistake as a programming
error (:class:`RequestBuildError`) rather than something to send and see. Text values follow
the per-field rules of :mod:`.text`; what they changed is returned with the request so the
engine can tell the user.

Fields are a mapping (or a sequence of ``(name, value)`` pairs when the order of repeated,
interleaved elements such as invoice lines and line groups matters): a leaf takes a Python
value (``str``, ``Decimal``, ``int``, ``bool``, ``date``, aware ``datetime``), an aggregate a
mapping, a repeated element a list. ``None`` leaves an element out; ``''`` sends it empty, which
on a Mod clears the field.

Field names are those of Intuit's US 13.0 schema, the only one we have, whatever the edition.
The one place where the editions differ in an element we write is the region of an address:
the Canadian and Australian QuickBooks call it ``Province``, the UK one ``County``, where the
US has ``State`` (1CRM's address mapping, inventory section 3.5 and section 7, which is what
those QuickBooks accept). Their schemas are not available to check this against, so the builder
keeps the US facts (position between ``City`` and ``PostalCode``, 21 characters) and only writes
the edition's name for ``State`` in every address aggregate (one with ``City``, ``State`` and
``PostalCode``), so callers and handlers never need to know the edition's spelling.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from onecrm_finance_qb.qbxml import facts
from onecrm_finance_qb.qbxml.facts import ElementSpec, Group
from onecrm_finance_qb.qbxml.text import US, Edition, FittedText, clean, fit, max_length, sent_as_is
from onecrm_finance_qb.qbxml.values import ValueFormatError, format_scalar

#: Text that identifies something (a record, a reference, a filter bound): cleaned and
#: transliterated like any text, but refused rather than shortened when too long.
EXACT_TEXT_FIELDS = frozenset({
    'Name', 'FullName', 'RefNumber', 'RefNumberCaseSensitive', 'FromName', 'ToName', 'FromRefNumber',
    'ToRefNumber', 'DataExtName', 'IncludeRetElement', 'CurrencyCode',
})
MAX_REQUEST_ID_LENGTH = 50
ITERATOR_VALUES = frozenset({'Start', 'Continue', 'Stop'})
META_DATA_VALUES = frozenset({'NoMetaData', 'MetaDataOnly', 'MetaDataAndResponseData'})
TEXT_BASES = frozenset({'STR'})
#: The element non-US editions write for an address's ``State``; the US (and any other) keeps ``State``.
REGION_ELEMENTS = {'CA': 'Province', 'AU': 'Province', 'UK': 'County'}
_ADDRESS_FIELDS = frozenset({'City', 'State', 'PostalCode'})

Fields = Mapping[str, object] | Iterable[tuple[str, object]]


def region_element(edition: Edition) -> str:
    """What ``edition`` calls the region (state, province, county) of an address."""
    return REGION_ELEMENTS.get(edition.country, 'State')


class FieldPairs(tuple):
    """Fields of one aggregate as ordered ``(name, value)`` pairs, for interleaved repeated elements.

    A plain list stands for a repeated element, so an aggregate given as pairs says so with
    this type: ``{'InvoiceLineAdd': ...}`` cannot interleave lines and line groups, pairs can.
    """

    __slots__ = ()


#: What stands for a repeated element (a FieldPairs, though a tuple, is one aggregate).
_REPEATED = (list, tuple)


class RequestBuildError(ValueError):
    """The fields do not make a valid request: a bug in the caller, never sent to QuickBooks."""


@dataclass(frozen=True, slots=True)
class Adjustment:
    """A text value the rules changed, at its dotted path (``CustomerAdd.BillAddress.Addr1``)."""

    path: str
    text: FittedText


@dataclass(frozen=True, slots=True)
class BuiltRequest:
    """One serialized ``…Rq`` element (ASCII only: non-ASCII is sent as character references)."""

    request_type: str
    request_id: str
    xml: str
    adjustments: tuple[Adjustment, ...]

    @property
    def size(self) -> int:
        """Bytes on the wire (the text is ASCII, so characters and bytes agree)."""
        return len(self.xml)


def ref(list_id: str | None = None, full_name: str | None = None) -> dict[str, str]:
    """A ``…Ref`` aggregate. QuickBooks ignores FullName when ListID is given, so we send one of them."""
    if list_id:
        return {'ListID': list_id}
    if full_name:
        return {'FullName': full_name}
    raise RequestBuildError('a reference needs a ListID or a FullName')


def escape(text: str) -> str:
    """Escape markup, keep carriage returns, and turn non-ASCII into numeric character references."""
    escaped = text.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;').replace('\r', '&#13;')
    if escaped.isascii():
        return escaped
    return escaped.encode('ascii', 'xmlcharrefreplace').decode('ascii')


def _escape_attribute(text: str) -> str:
    return escape(text).replace('"', '&quot;')


def _pairs(fields: Fields) -> list[tuple[str, object]]:
    items = fields.items() if isinstance(fields, dict | Mapping) else fields
    return [(name, value) for name, value in items if value is not None]


class _Planner:
    """Resolves which declared elements a set of field names uses, and their order keys."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.keys: dict[str, tuple[ElementSpec, int, int]] = {}
        self.counter = 0

    def plan(self, model: Group, names: frozenset[str]) -> dict[str, tuple[ElementSpec, int, int]]:
        self._group(model, names, shared_key=None)
        return self.keys

    def _next_key(self, shared_key: int | None) -> int:
        if shared_key is not None:
            return shared_key
        self.counter += 1
        return self.counter

    def _particle(self, particle: ElementSpec | Group, names: frozenset[str], shared_key: int | None) -> None:
        if isinstance(particle, Group):
            self._group(particle, names, shared_key)
        elif particle.name in names:
            most = facts.UNBOUNDED if shared_key is not None else particle.max_occurs
            self.keys[particle.name] = (particle, self._next_key(shared_key), most)
        elif particle.min_occurs > 0:
            raise RequestBuildError(f'{self.path}: missing required field {particle.name}')

    def _group(self, group: Group, names: frozenset[str], shared_key: int | None) -> None:
        given = group.names() & names
        if not given and group.min_occurs == 0:
            return
        if group.choice and group.max_occurs != 1 and shared_key is None:
            shared_key = self._next_key(None)
        if not group.choice:
            for particle in group.particles:
                self._particle(particle, names, shared_key)
            return
        branches = [p for p in group.particles if _particle_names(p) & names]
        if len(branches) > 1 and group.max_occurs == 1:
            raise RequestBuildError(
                f'{self.path}: {", ".join(sorted(given))} are alternatives; give only one of them'
            )
        if not branches:
            branches = [_first_satisfiable(group, self.path)]
        for branch in branches:
            self._particle(branch, names, shared_key)


def _particle_names(particle: ElementSpec | Group) -> frozenset[str]:
    return frozenset({particle.name}) if isinstance(particle, ElementSpec) else particle.names()


def _first_satisfiable(choice: Group, path: str) -> ElementSpec | Group:
    """The branch of a required choice that needs nothing (an all-optional filter block)."""
    for branch in choice.particles:
        if isinstance(branch, Group) and _optional(branch):
            return branch
    options = ', '.join(sorted(choice.names()))
    raise RequestBuildError(f'{path}: needs one of {options}')


def _optional(particle: ElementSpec | Group) -> bool:
    if particle.min_occurs == 0:
        return True
    if isinstance(particle, ElementSpec):
        return False
    if particle.choice:
        return any(_optional(p) for p in particle.particles)
    return all(_optional(p) for p in particle.particles)


@cache
def _is_address(model_key: str) -> bool:
    return facts.children(model_key).keys() >= _ADDRESS_FIELDS


@cache
def _plan(model_key: str, names: frozenset[str], path: str) -> dict[str, tuple[ElementSpec, int, int]]:
    """Spec, order key and most occurrences of each of ``names`` in ``model_key``.

    Elements of a repeated choice (invoice lines and line groups) share one order key, so a
    stable sort keeps them in the caller's order. Cached: the engine repeats the same shapes.
    """
    known = facts.children(model_key)
    unknown = sorted(names - known.keys())
    if unknown:
        raise RequestBuildError(f'{path}: unknown field(s) {", ".join(unknown)}')
    deprecated = sorted(name for name in names if known[name].deprecated)
    if deprecated:
        raise RequestBuildError(f'{path}: deprecated field(s) {", ".join(deprecated)} draw warning 560')
    return _Planner(path).plan(facts.model(model_key), names)


class _Slot(NamedTuple):
    """How one field of an aggregate is written: what ``_plan`` says of it, and what the edition makes of it."""

    spec: ElementSpec
    #: Order key among the aggregate's children (shared by the elements of a repeated choice).
    order: int
    most: int
    #: The element's name as this edition writes it (an address's region).
    tag: str
    #: Whether the leaf holds text (the text rules apply), and the edition's length limit of that text.
    is_text: bool
    limit: int | None


@cache
def _slots(model_key: str, names: frozenset[str], path: str, edition: Edition) -> dict[str, _Slot]:
    """``_plan`` with each field's tag, kind and text limit for ``edition``, worked out once per shape.

    A message writes the same few shapes hundreds of times; looking the limit and the tag up
    again for every value cost as much as writing the value.
    """
    region = region_element(edition) if _is_address(model_key) else None
    parent = path.rpartition('.')[2]
    slots = {}
    for name, (spec, order, most) in _plan(model_key, names, path).items():
        is_text = spec.model is None and spec.leaf.base in TEXT_BASES
        slots[name] = _Slot(
            spec=spec,
            order=order,
            most=most,
            tag=region if region and name == 'State' else name,
            is_text=is_text,
            limit=max_length(parent, spec.leaf, name, edition) if is_text else None,
        )
    return slots


class _Writer:
    """Serializes one request into string parts, collecting text adjustments on the way."""

    def __init__(self, edition: Edition) -> None:
        self.edition = edition
        self.parts: list[str] = []
        self.adjustments: list[Adjustment] = []

    def aggregate(self, model_key: str, fields: Fields, path: str) -> None:
        pairs = _pairs(fields)
        slots = _slots(model_key, frozenset([name for name, _ in pairs]), path, self.edition)
        pairs.sort(key=lambda pair: slots[pair[0]].order)
        counts: dict[str, int] = {}
        for name, value in pairs:
            slot = slots[name]
            values = value if isinstance(value, _REPEATED) and not isinstance(value, FieldPairs) else (value,)
            if slot.most != facts.UNBOUNDED:
                counts[name] = counts.get(name, 0) + len(values)
                if counts[name] > slot.most:
                    raise RequestBuildError(f'{path}.{name}: occurs at most {slot.most} time(s)')
            for item in values:
                if slot.is_text and isinstance(item, str) and sent_as_is(item, slot.limit):
                    # Nearly every value: written here, without the calls that look at the rest.
                    self.parts.append(f'<{slot.tag}>{escape(item)}</{slot.tag}>')
                else:
                    self.element(slot, item, path)

    def element(self, slot: _Slot, value: object, parent_path: str) -> None:
        """One field of the aggregate at ``parent_path``: an aggregate, a value to format, or text the rules change."""
        tag = slot.tag
        path = f'{parent_path}.{tag}' if parent_path else tag
        if slot.spec.model is not None:
            if not isinstance(value, dict | FieldPairs | Mapping):
                raise RequestBuildError(f'{path}: an aggregate takes a mapping, got {type(value).__name__}')
            self.parts.append(f'<{tag}>')
            self.aggregate(slot.spec.model, value, path)
            self.parts.append(f'</{tag}>')
            return
        if slot.is_text:
            text = self.text(slot, value, path)
        else:
            try:
                text = format_scalar(value, slot.spec.leaf)
            except ValueFormatError as exc:
                raise RequestBuildError(f'{path}: {exc}') from None
        self.parts.append(f'<{tag}>{escape(text)}</{tag}>')

    def text(self, slot: _Slot, value: object, path: str) -> str:
        """A text value the rules must look at: cleaned and transliterated, shortened or refused when too long."""
        if not isinstance(value, str):
            raise RequestBuildError(f'{path}: expected a str, got {type(value).__name__}')
        limit = slot.limit
        if slot.spec.name in EXACT_TEXT_FIELDS:
            sent, changes = clean(value, self.edition)
            if limit is not None and len(sent) > limit:
                raise RequestBuildError(f'{path}: {sent!r} is longer than {limit}; check names before building')
            fitted = FittedText(sent, value, changes)
        else:
            fitted = fit(value, limit, self.edition)
        if fitted.changed:
            self.adjustments.append(Adjustment(path, fitted))
        return fitted.value


def build_request(
    request_type: str,
    fields: Fields,
    request_id: str | int,
    *,
    edition: Edition = US,
    iterator: str | None = None,
    iterator_id: str | None = None,
    meta_data: str | None = None,
) -> BuiltRequest:
    """Build ``<{request_type}Rq>`` with ``fields`` in schema order.

    For Add and Mod requests, ``fields`` are the record's fields (what goes inside
    ``<CustomerAdd>``) plus, optionally, ``IncludeRetElement``; for queries and deletions they are
    the request's own children.
    """
    try:
        spec = facts.request(request_type)
    except KeyError:
        raise RequestBuildError(f'unknown request type {request_type!r}') from None
    request_id = str(request_id)
    if not request_id or len(request_id) > MAX_REQUEST_ID_LENGTH:
        raise RequestBuildError(f'requestID must be 1 to {MAX_REQUEST_ID_LENGTH} characters (status 1060)')
    attributes = [('requestID', request_id)]
    for name, value, allowed in (
        ('metaData', meta_data, META_DATA_VALUES),
        ('iterator', iterator, ITERATOR_VALUES),
        ('iteratorID', iterator_id, None),
    ):
        if value is None:
            continue
        if name not in spec.attributes:
            raise RequestBuildError(f'{request_type} does not take the {name} attribute')
        if allowed is not None and value not in allowed:
            raise RequestBuildError(f'{name} must be one of {sorted(allowed)}')
        attributes.append((name, value))
    if iterator == 'Continue' and not iterator_id:
        raise RequestBuildError('iterator="Continue" needs the iteratorID QuickBooks returned')
    writer = _Writer(edition)
    head = ' '.join(f'{name}="{_escape_attribute(value)}"' for name, value in attributes)
    writer.parts.append(f'<{request_type}Rq {head}>')
    if spec.wrapper is None:
        writer.aggregate(spec.model, fields, request_type)
    else:
        pairs = _pairs(fields)
        inner = FieldPairs((name, value) for name, value in pairs if name != 'IncludeRetElement')
        outer = [(spec.wrapper.name, inner), *((name, value) for name, value in pairs if name == 'IncludeRetElement')]
        writer.aggregate(spec.model, outer, '')
    writer.parts.append(f'</{request_type}Rq>')
    return BuiltRequest(request_type, request_id, ''.join(writer.parts), tuple(writer.adjustments))
