"""A request a handler wants sent, before the engine gives it a requestID and a place in a message."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from onecrm_finance_qb.qbxml import FieldPairs


@dataclass
class Planned:
    """``request_type`` with its ``fields``, for ``family`` to read back as ``action``."""

    request_type: str
    fields: dict[str, Any] | FieldPairs
    family: str
    action: str
    link_id: int | None = None
    context: dict[str, Any] = field(default_factory=dict)
    iterator: str | None = None
    iterator_id: str | None = None
