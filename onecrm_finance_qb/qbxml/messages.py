"""Many requests in one qbXML message, within a request count and a byte budget.

Every sendRequestXML round trip costs seconds, so the engine sends many requests per message
with ``onError="continueOnError"`` (each request then gets its own status) and matches the
responses back by requestID. The caps keep one message from growing past what QuickBooks and
the Web Connector handle comfortably: the size is measured as requests are added, and a
request that would cross either cap is left for the next message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from onecrm_finance_qb.qbxml.requests import BuiltRequest

DEFAULT_MAX_REQUESTS = 100
DEFAULT_MAX_BYTES = 1_000_000
ON_ERROR_VALUES = frozenset({'continueOnError', 'stopOnError'})
_VERSION = re.compile(r'(?:CA|UK|AU)?\d{1,2}\.\d')
_FOOTER = '</QBXMLMsgsRq></QBXML>'


class MessageSizeError(ValueError):
    """A single request is larger than the byte cap, so no message can ever carry it."""


def version_string(country: str, version: str) -> str:
    """The ``<?qbxml version?>`` value: plain for the US, prefixed with the country elsewhere (``CA3.0``)."""
    return version if country == 'US' else f'{country}{version}'


@dataclass(frozen=True, slots=True)
class Message:
    """A complete qbXML request message and the requests it carries, in order."""

    xml: str
    requests: tuple[BuiltRequest, ...]

    @property
    def request_ids(self) -> tuple[str, ...]:
        return tuple(request.request_id for request in self.requests)

    @property
    def size(self) -> int:
        return len(self.xml)


class MessageBuilder:
    """Fills one message; :meth:`try_add` says False once the next request would cross a cap."""

    def __init__(
        self,
        version: str,
        *,
        max_requests: int = DEFAULT_MAX_REQUESTS,
        max_bytes: int = DEFAULT_MAX_BYTES,
        on_error: str = 'continueOnError',
    ) -> None:
        if not _VERSION.fullmatch(version):
            raise ValueError(f'{version!r} is not a qbXML version such as 13.0 or CA3.0')
        if on_error not in ON_ERROR_VALUES:
            raise ValueError(f'onError must be one of {sorted(ON_ERROR_VALUES)}')
        if max_requests < 1:
            raise ValueError('max_requests must be at least 1')
        self.header = (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            f'<?qbxml version="{version}"?>\n'
            f'<QBXML><QBXMLMsgsRq onError="{on_error}">'
        )
        self.max_requests = max_requests
        self.max_bytes = max_bytes
        self._empty_size = len(self.header) + len(_FOOTER)
        if self._empty_size > max_bytes:
            raise ValueError(f'max_bytes {max_bytes} is smaller than an empty message')
        self._requests: list[BuiltRequest] = []
        self._ids: set[str] = set()
        self._size = self._empty_size

    @property
    def size(self) -> int:
        """Bytes the message would have if built now."""
        return self._size

    def __len__(self) -> int:
        return len(self._requests)

    def fits(self, request: BuiltRequest) -> bool:
        """Whether ``request`` can join without crossing a cap."""
        return len(self._requests) < self.max_requests and self._size + request.size <= self.max_bytes

    def try_add(self, request: BuiltRequest) -> bool:
        """Add ``request`` if it fits; a requestID already in the message is a caller bug."""
        if request.request_id in self._ids:
            raise ValueError(f'requestID {request.request_id!r} is already in this message')
        if self._empty_size + request.size > self.max_bytes:
            raise MessageSizeError(f'request {request.request_id} ({request.size} bytes) exceeds {self.max_bytes}')
        if not self.fits(request):
            return False
        self._requests.append(request)
        self._ids.add(request.request_id)
        self._size += request.size
        return True

    def build(self) -> Message:
        body = ''.join(request.xml for request in self._requests)
        return Message(f'{self.header}{body}{_FOOTER}', tuple(self._requests))


def pack_messages(
    requests: Iterable[BuiltRequest],
    version: str,
    *,
    max_requests: int = DEFAULT_MAX_REQUESTS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_error: str = 'continueOnError',
) -> list[Message]:
    """Split ``requests``, in order, into as few messages as the caps allow."""
    messages: list[Message] = []
    seen: set[str] = set()

    def new_builder() -> MessageBuilder:
        return MessageBuilder(version, max_requests=max_requests, max_bytes=max_bytes, on_error=on_error)

    builder = new_builder()
    for request in requests:
        if request.request_id in seen:
            raise ValueError(f'requestID {request.request_id!r} used twice')
        seen.add(request.request_id)
        if not builder.try_add(request):
            messages.append(builder.build())
            builder = new_builder()
            builder.try_add(request)
    if len(builder):
        messages.append(builder.build())
    return messages
