"""Validation of every recorded request against Intuit's qbXML schema.

Only the US schema is available. Outside the US the tax code list is queried as ``TaxCodeQuery``,
which the US 13.0 schema does not have; it is shaped like ``SalesTaxCodeQuery`` (qbxml-semantics
section 8.2), so it is validated as that. Addresses name their region the edition's way
(``Province``, ``County``: qbsim's ``REGION_ELEMENT``), so in a non-US request that element is
renamed ``State`` before validating, after checking that no ``State`` was sent there (qbsim
rejects the whole message for one); everything else is validated as it was sent.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from lxml import etree

from qbsim.schema.model import REGION_ELEMENT

_COUNTRY = re.compile(r'<\?qbxml version="([A-Z]{2})?[0-9.]+"\?>')


@cache
def _schema(xsd_dir: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(xsd_dir / 'qbxmlops130.xsd')))


def as_us_request(text: str) -> etree._Element:
    """The recorded message as the US schema spells it (raises AssertionError on a US spelling outside the US)."""
    country = _COUNTRY.search(text).group(1) or 'US'
    text = text.replace('TaxCodeQueryRq', 'SalesTaxCodeQueryRq')
    text = text.replace('<SalesSalesTaxCodeQueryRq', '<SalesTaxCodeQueryRq').replace(
        '</SalesSalesTaxCodeQueryRq', '</SalesTaxCodeQueryRq'
    )
    document = etree.fromstring(text.split('?>', 2)[-1].encode())
    region = REGION_ELEMENT.get(country)
    if region is not None:
        states = [etree.ElementTree(document).getpath(element) for element in document.iter('State')]
        assert not states, f'{country} addresses have no State: {states}'
        for element in document.iter(region):
            element.tag = 'State'
    return document


def assert_requests_valid(bench, xsd_dir: Path) -> None:
    files = bench.request_files()
    assert files, 'no request was recorded'
    schema = _schema(xsd_dir)
    for path in files:
        document = as_us_request(path.read_text(encoding='utf-8'))
        assert schema.validate(document), f'{path}: {schema.error_log.last_error}'
