"""Helpers for checking our SOAP messages against Intuit's WSDL."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

WSDL_NS = 'http://schemas.xmlsoap.org/wsdl/'
XSD_NS = 'http://www.w3.org/2001/XMLSchema'
SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/'


def embedded_schema(wsdl_source: Path | bytes) -> etree.XMLSchema:
    """The ``s:schema`` inside the WSDL, made standalone (it relies on the WSDL's prefixes)."""
    if isinstance(wsdl_source, bytes):
        wsdl = etree.ElementTree(etree.fromstring(wsdl_source))
    else:
        wsdl = etree.parse(str(wsdl_source))
    schema = wsdl.find(f'{{{WSDL_NS}}}types/{{{XSD_NS}}}schema')
    standalone = etree.Element(schema.tag, attrib=dict(schema.attrib), nsmap={**wsdl.getroot().nsmap, **schema.nsmap})
    standalone.extend(schema.iterchildren())
    return etree.XMLSchema(standalone)


def body_payload(envelope: bytes) -> etree._Element:
    root = etree.fromstring(envelope)
    body = root.find(f'{{{SOAP_ENV}}}Body')
    return next(child for child in body if isinstance(child.tag, str))
