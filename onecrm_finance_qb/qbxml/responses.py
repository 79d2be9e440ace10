"""Streaming reader of qbXML response messages.

A response to one iterator page or a full list query can hold tens of thousands of records, and
the original module loaded whole messages into nested arrays (and lost repeated ``LinkedTxn``
elements on the way). Here the message is read with a hardened ``iterparse``: each ``…Rs`` is
reported as soon as its start tag is read (status, requestID, iterator attributes), its records
are converted to plain dicts one at a time, and every converted element is cleared, so memory
holds one record, not the message.

Records are dicts: nested aggregates are dicts, elements that may repeat are always lists, amounts
and rates are ``Decimal``, dates ``date``, ``DATETIMETYPE`` values timezone-aware ``datetime``,
flags ``bool``, counts ``int``; everything else is ``str``. Deletion responses, whose fields sit
directly in the ``…Rs``, come back as one record named like the schema's group (``ListDelRet``).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from lxml import etree

from onecrm_finance_qb.qbxml import facts
from onecrm_finance_qb.qbxml.status import StatusClass, classify
from onecrm_finance_qb.xmlsafe import hardened_iterparse

DEFAULT_MAX_BYTES = 256 * 1024 * 1024
_DECIMAL_BASES = frozenset({'AMT', 'PRICE', 'QUAN', 'PERCENT', 'FLOAT'})
_TRUE = frozenset({'true', '1'})
_FALSE = frozenset({'false', '0'})


class QBXMLResponseError(ValueError):
    """The response is not a well-formed qbXML response message."""


class Record(NamedTuple):
    """One ``…Ret`` element (``CustomerRet``) as a plain dict."""

    tag: str
    data: dict


@dataclass(frozen=True, slots=True)
class Response:
    """One ``…Rs``: its status and the records it holds.

    From :func:`iter_responses`, ``records`` is a one-shot iterator that must be read before
    moving to the next response (unread records are skipped); from :func:`read_responses` it is
    a tuple.
    """

    request_type: str
    request_id: str | None
    status_code: int
    status_severity: str
    status_message: str
    iterator_remaining_count: int | None
    iterator_id: str | None
    ret_count: int | None
    records: Iterator[Record] | tuple[Record, ...]

    @property
    def status_class(self) -> StatusClass:
        return classify(self.status_code, self.status_message)


def _as_bytes(data: bytes | str, max_bytes: int) -> bytes:
    """UTF-8 bytes; a str has its XML declaration dropped, since it no longer describes the encoding."""
    if isinstance(data, str):
        text = data.lstrip()
        if text.startswith('<?xml'):
            end = text.find('?>')
            text = text[end + 2 :] if end >= 0 else text
        data = text.encode('utf-8')
    if len(data) > max_bytes:
        raise QBXMLResponseError(f'response larger than {max_bytes} bytes')
    if not data.strip():
        raise QBXMLResponseError('empty response')
    return data


class _Converter:
    """Turns a record element into a dict, typing leaves by the facts table."""

    def __init__(self, assume_tz: tzinfo) -> None:
        self.assume_tz = assume_tz
        self.repeated = facts.ret_repeated()
        self.aggregates = facts.ret_aggregates()
        #: ``facts.ret_type`` by (parent, tag): a page of records asks the same few hundred questions.
        self.types: dict[tuple[str, str], str | None] = {}

    def record(self, element: etree._Element) -> dict:
        result: dict = {}
        parent = element.tag
        for child in element:
            tag = child.tag
            nested = len(child) or tag in self.aggregates
            value = self.record(child) if nested else self.leaf(parent, tag, child.text)
            if tag in self.repeated:
                result.setdefault(tag, []).append(value)
            elif tag in result:
                previous = result[tag]
                result[tag] = [*previous, value] if isinstance(previous, list) else [previous, value]
            else:
                result[tag] = value
        return result

    def leaf(self, parent: str, tag: str, text: str | None) -> object:
        key = (parent, tag)
        if key in self.types:
            base = self.types[key]
        else:
            base = self.types[key] = facts.ret_type(parent, tag)
        if base is None or base in ('STR', 'ENUM', 'ID', 'GUID'):
            return text or ''
        if not text:
            return None
        text = text.strip()
        try:
            if base in _DECIMAL_BASES:
                return Decimal(text)
            if base == 'INT':
                return int(text)
            if base == 'BOOL':
                return self.boolean(text)
            if base == 'DATE':
                return date.fromisoformat(text)
            if base == 'DATETIME':
                return self.datetime(text)
        except (ValueError, InvalidOperation):
            raise QBXMLResponseError(f'{parent}/{tag}: {text!r} is not a valid {base} value') from None
        return text

    @staticmethod
    def boolean(text: str) -> bool:
        lowered = text.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError(text)

    def datetime(self, text: str) -> datetime:
        """QuickBooks sends local time with its offset; a value without one gets ``assume_tz``."""
        if len(text) == 10:
            value = datetime.combine(date.fromisoformat(text), datetime.min.time())
        else:
            value = datetime.fromisoformat(text)
        return value if value.tzinfo else value.replace(tzinfo=self.assume_tz)


def _int_attribute(element: etree._Element, name: str, *, required: bool = False) -> int | None:
    raw = element.get(name)
    if raw is None:
        if required:
            raise QBXMLResponseError(f'{element.tag} has no {name}')
        return None
    try:
        return int(raw)
    except ValueError:
        raise QBXMLResponseError(f'{element.tag} {name}={raw!r} is not an integer') from None


class _Stream:
    """Walks the parse events; hands out responses, and records while inside one."""

    def __init__(self, data: bytes, assume_tz: tzinfo) -> None:
        self.events = hardened_iterparse(io.BytesIO(data), ('start', 'end'))
        self.converter = _Converter(assume_tz)
        self.depth = 0
        self.current: str | None = None
        self.loose: dict = {}

    def _next(self) -> tuple[str, etree._Element]:
        try:
            return next(self.events)
        except etree.XMLSyntaxError as exc:
            raise QBXMLResponseError(f'malformed qbXML response: {exc.msg}') from None

    def next_response(self) -> Response | None:
        """Advance to the next ``…Rs`` start tag; None at the end of the message."""
        while True:
            try:
                event, element = self._next()
            except StopIteration:
                if self.depth:
                    raise QBXMLResponseError('response ends inside an element') from None
                return None
            if event == 'end':
                self.depth -= 1
                continue
            self.depth += 1
            if self.depth == 1:
                self._check_root(element)
            elif self.depth == 2 and element.tag == 'QBXMLMsgsRq':
                raise QBXMLResponseError('this is a request message, not a response')
            elif self.depth == 3 and element.getparent().tag == 'QBXMLMsgsRs':
                return self._start_response(element)

    def _check_root(self, element: etree._Element) -> None:
        docinfo = element.getroottree().docinfo
        if docinfo.doctype or docinfo.internalDTD is not None:
            raise QBXMLResponseError('DOCTYPE declarations are not accepted')
        if element.tag != 'QBXML':
            raise QBXMLResponseError(f'root element is {element.tag!r}, not QBXML')

    def _start_response(self, element: etree._Element) -> Response:
        tag = element.tag
        if not tag.endswith('Rs'):
            raise QBXMLResponseError(f'unexpected element {tag!r} in QBXMLMsgsRs')
        self.current = tag
        self.loose = {}
        return Response(
            request_type=tag[:-2],
            request_id=element.get('requestID'),
            status_code=_int_attribute(element, 'statusCode', required=True),
            status_severity=element.get('statusSeverity', ''),
            status_message=element.get('statusMessage', ''),
            iterator_remaining_count=_int_attribute(element, 'iteratorRemainingCount'),
            iterator_id=element.get('iteratorID'),
            ret_count=_int_attribute(element, 'retCount'),
            records=self.records(),
        )

    def records(self) -> Iterator[Record]:
        """Records of the current response, each converted at its end tag and then cleared."""
        # The events are read here without ``_next``: a page holds hundreds of thousands of them,
        # and a function call per event was a fifth of the time spent walking them.
        events = self.events
        try:
            while self.current is not None:
                event, element = next(events)
                if event == 'start':
                    self.depth += 1
                    continue
                self.depth -= 1
                if self.depth == 3:
                    record = self._finish_child(element)
                    if record is not None:
                        yield record
                elif self.depth == 2:
                    loose, self.loose = self.loose, {}
                    self.current = None
                    _release(element)
                    if loose:
                        yield Record(f'{element.tag[:-2]}Ret', loose)
        except etree.XMLSyntaxError as exc:
            raise QBXMLResponseError(f'malformed qbXML response: {exc.msg}') from None

    def _finish_child(self, element: etree._Element) -> Record | None:
        if len(element) or element.tag in self.converter.aggregates:
            record = Record(element.tag, self.converter.record(element))
        else:
            self.loose[element.tag] = self.converter.leaf(self.current, element.tag, element.text)
            record = None
        _release(element)
        return record

    def drain(self, response: Response) -> None:
        for _ in response.records:
            pass


def _release(element: etree._Element) -> None:
    """Free a finished element and the already-read siblings before it."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def iter_responses(
    data: bytes | str, *, assume_tz: tzinfo = UTC, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Response]:
    """Yield each ``…Rs`` of a response message, in order, with lazily read records.

    Raises :class:`QBXMLResponseError` for malformed XML or a document that is not a qbXML
    response, at the point where the problem is read: callers that must not act on part of a
    broken message use :func:`read_responses`.
    """
    stream = _Stream(_as_bytes(data, max_bytes), assume_tz)
    while (response := stream.next_response()) is not None:
        yield response
        stream.drain(response)


def read_responses(data: bytes | str, *, assume_tz: tzinfo = UTC, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Response]:
    """Every response with its records in a tuple: all or nothing, for messages of modest size."""
    return [
        replace(response, records=tuple(response.records))
        for response in iter_responses(data, assume_tz=assume_tz, max_bytes=max_bytes)
    ]
