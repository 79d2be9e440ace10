"""The outcome of one request before it is written as an ``XxxRs`` element."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from qbsim.status import OK


@dataclass
class Response:
    """Status plus the Ret (or other) elements a request answers with."""

    elements: list[etree._Element] = field(default_factory=list)
    status: tuple[int, str] = OK
    attributes: dict[str, str] = field(default_factory=dict)
