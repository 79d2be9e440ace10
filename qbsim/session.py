"""Per Web Connector session state: the iterators QuickBooks keeps only while the session lasts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field


@dataclass
class Iterator:
    """A started iterator: the ids still to hand out (snapshot at Start) and what it queries."""

    request_type: str
    remaining: list[str]


@dataclass
class Session:
    """Created by ``Company.begin_session``; iterators die with it (qbxml-semantics.md section 5.3)."""

    iterators: dict[str, Iterator] = field(default_factory=dict)
    ended: bool = False

    def start_iterator(self, request_type: str, ids: list[str]) -> str:
        iterator_id = '{' + str(uuid.uuid4()) + '}'
        self.iterators[iterator_id] = Iterator(request_type, ids)
        return iterator_id

    def find_iterator(self, iterator_id: str, request_type: str) -> Iterator | None:
        found = None if self.ended else self.iterators.get(iterator_id)
        return found if found is not None and found.request_type == request_type else None

    def end(self) -> None:
        self.ended = True
        self.iterators.clear()
