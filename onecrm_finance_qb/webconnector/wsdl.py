"""The service's WSDL, generated from the operation table rather than shipped as a file.

Intuit's document/literal WSDL is the model: same namespace, element names, parameter names and
types, SOAPAction ``http://developer.intuit.com/<operation>``, port type and service names, so a
client generated from either one talks to us the same way. The address is the URL the WSDL was
fetched from, so it is right behind any proxy that forwards the host name.
"""

from __future__ import annotations

from lxml import etree

from onecrm_finance_qb.webconnector.operations import OPERATIONS, TNS, Operation, ValueType

WSDL = 'http://schemas.xmlsoap.org/wsdl/'
WSDL_SOAP = 'http://schemas.xmlsoap.org/wsdl/soap/'
XSD = 'http://www.w3.org/2001/XMLSchema'
SOAP_HTTP = 'http://schemas.xmlsoap.org/soap/http'
SERVICE_NAME = 'QBWebConnectorSvc'
PORT_NAME = 'QBWebConnectorSvcSoap'

_XSD_TYPES: dict[ValueType, str] = {'string': 's:string', 'int': 's:int', 'ArrayOfString': 'tns:ArrayOfString'}


def build_wsdl(address: str) -> bytes:
    """The WSDL document for a service listening at ``address``."""
    root = etree.Element(
        f'{{{WSDL}}}definitions',
        nsmap={'wsdl': WSDL, 'soap': WSDL_SOAP, 's': XSD, 'tns': TNS},
        targetNamespace=TNS,
    )
    _types(etree.SubElement(root, f'{{{WSDL}}}types'))
    for operation in OPERATIONS.values():
        _message(root, f'{operation.name}SoapIn', operation.name)
        _message(root, f'{operation.name}SoapOut', operation.response_element)
    _port_type(root)
    _binding(root)
    service = etree.SubElement(root, f'{{{WSDL}}}service', name=SERVICE_NAME)
    port = etree.SubElement(service, f'{{{WSDL}}}port', name=PORT_NAME, binding=f'tns:{PORT_NAME}')
    etree.SubElement(port, f'{{{WSDL_SOAP}}}address', location=address)
    return etree.tostring(root, xml_declaration=True, encoding='utf-8', pretty_print=True)


def _types(types: etree._Element) -> None:
    schema = etree.SubElement(types, f'{{{XSD}}}schema', elementFormDefault='qualified', targetNamespace=TNS)
    array = etree.SubElement(schema, f'{{{XSD}}}complexType', name='ArrayOfString')
    etree.SubElement(
        etree.SubElement(array, f'{{{XSD}}}sequence'),
        f'{{{XSD}}}element',
        minOccurs='0',
        maxOccurs='unbounded',
        name='string',
        nillable='true',
        type='s:string',
    )
    for operation in OPERATIONS.values():
        request = _wrapper(schema, operation.name)
        for param in operation.params:
            _field(request, param.name, param.type)
        _field(_wrapper(schema, operation.response_element), operation.result_element, operation.result)


def _wrapper(schema: etree._Element, name: str) -> etree._Element:
    element = etree.SubElement(schema, f'{{{XSD}}}element', name=name)
    complex_type = etree.SubElement(element, f'{{{XSD}}}complexType')
    return etree.SubElement(complex_type, f'{{{XSD}}}sequence')


def _field(sequence: etree._Element, name: str, value_type: ValueType) -> None:
    """Ints are required (minOccurs 1) and strings optional, exactly as in Intuit's schema."""
    min_occurs = '1' if value_type == 'int' else '0'
    etree.SubElement(
        sequence, f'{{{XSD}}}element', minOccurs=min_occurs, maxOccurs='1', name=name, type=_XSD_TYPES[value_type]
    )


def _message(root: etree._Element, name: str, element: str) -> None:
    message = etree.SubElement(root, f'{{{WSDL}}}message', name=name)
    etree.SubElement(message, f'{{{WSDL}}}part', name='parameters', element=f'tns:{element}')


def _port_type(root: etree._Element) -> None:
    port_type = etree.SubElement(root, f'{{{WSDL}}}portType', name=PORT_NAME)
    for operation in OPERATIONS.values():
        element = etree.SubElement(port_type, f'{{{WSDL}}}operation', name=operation.name)
        etree.SubElement(element, f'{{{WSDL}}}input', message=f'tns:{operation.name}SoapIn')
        etree.SubElement(element, f'{{{WSDL}}}output', message=f'tns:{operation.name}SoapOut')


def _binding(root: etree._Element) -> None:
    binding = etree.SubElement(root, f'{{{WSDL}}}binding', name=PORT_NAME, type=f'tns:{PORT_NAME}')
    etree.SubElement(binding, f'{{{WSDL_SOAP}}}binding', transport=SOAP_HTTP, style='document')
    for operation in OPERATIONS.values():
        _bound_operation(binding, operation)


def _bound_operation(binding: etree._Element, operation: Operation) -> None:
    element = etree.SubElement(binding, f'{{{WSDL}}}operation', name=operation.name)
    etree.SubElement(element, f'{{{WSDL_SOAP}}}operation', soapAction=f'{TNS}{operation.name}', style='document')
    for direction in ('input', 'output'):
        etree.SubElement(etree.SubElement(element, f'{{{WSDL}}}{direction}'), f'{{{WSDL_SOAP}}}body', use='literal')
