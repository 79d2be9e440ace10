"""Validation of every recorded request against Intuit's qbXML schema.

Outside the US the tax code list is queried as ``TaxCodeQuery``, which the US 13.0 schema does
not have; it is shaped like ``SalesTaxCodeQuery`` (qbxml-semantics section 8.2), so it is
validated as that.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree


@cache
def _schema(xsd_dir: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(xsd_dir / 'qbxmlops130.xsd')))


def assert_requests_valid(bench, xsd_dir: Path) -> None:
    files = bench.request_files()
    assert files, 'no request was recorded'
    schema = _schema(xsd_dir)
    for path in files:
        text = path.read_text(encoding='utf-8').replace('TaxCodeQueryRq', 'SalesTaxCodeQueryRq')
        text = text.replace('<SalesSalesTaxCodeQueryRq', '<SalesTaxCodeQueryRq').replace(
            '</SalesSalesTaxCodeQueryRq', '</SalesTaxCodeQueryRq'
        )
        document = etree.fromstring(text.split('?>', 2)[-1].encode())
        assert schema.validate(document), f'{path}: {schema.error_log.last_error}'
