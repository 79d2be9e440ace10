"""A small QBWC web service for testing the web connector: scripted answers, every call recorded.

Each operation's answer is set per test: a constant, a list consumed one call at a time (the last
item repeats), or a function of the call's parameters. `Fault(...)` answers with a SOAP fault and
`Raw(...)` with any HTTP answer, for the misbehaving-service branches. Every request is checked
against the SOAPAction header and, for the WSDL's eight operations, against the WSDL's schema.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/'
QBWC_NS = 'http://developer.intuit.com/'
XSD_NS = 'http://www.w3.org/2001/XMLSchema'
WSDL_OPERATIONS = frozenset({
    'serverVersion', 'clientVersion', 'authenticate', 'sendRequestXML', 'receiveResponseXML', 'connectionError',
    'getLastError', 'closeConnection',
})
INT_RESULTS = frozenset({'receiveResponseXML'})


@dataclass(frozen=True)
class Fault:
    """Answer with a SOAP 1.1 fault (HTTP 500)."""

    faultstring: str
    faultcode: str = 'soap:Server'


@dataclass(frozen=True)
class Raw:
    """Answer with exactly this HTTP response."""

    body: bytes
    status: int = 200
    content_type: str = 'text/xml; charset=utf-8'


@dataclass
class Call:
    """One call the service received."""

    operation: str
    params: dict[str, str]
    soap_action: str
    content_type: str


def wsdl_schema(wsdl_path: Path) -> etree.XMLSchema:
    """The XML schema embedded in the WSDL's types section."""
    wsdl = etree.parse(str(wsdl_path))
    schema = wsdl.find(f'.//{{{XSD_NS}}}schema')
    return etree.XMLSchema(etree.fromstring(etree.tostring(schema)))


@dataclass
class ScriptedService:
    """A QBWC web service whose answers the test scripts."""

    schema: etree.XMLSchema | None = None
    answers: dict[str, object] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        defaults = {
            'serverVersion': '1.0.0',
            'clientVersion': '',
            'authenticate': ['{TICKET-1}', '', '', ''],
            'sendRequestXML': '',
            'receiveResponseXML': 100,
            'connectionError': 'done',
            'getLastError': 'No more work.',
            'closeConnection': 'OK',
            'getInteractiveURL': 'https://localhost/interactive',
            'interactiveDone': 'Done',
            'interactiveRejected': 'OK',
        }
        self.answers = {**defaults, **self.answers}
        self._lock = threading.Lock()
        self._served: dict[str, int] = {}

    # -- what the tests read -----------------------------------------------------------------

    @property
    def operations(self) -> list[str]:
        return [call.operation for call in self.calls]

    def params(self, operation: str) -> list[dict[str, str]]:
        return [call.params for call in self.calls if call.operation == operation]

    # -- WSGI ------------------------------------------------------------------------------

    def __call__(self, environ: dict, start_response: Callable) -> Iterator[bytes]:
        request = Request(environ)
        return self._answer(request)(environ, start_response)

    def _answer(self, request: Request) -> Response:
        body = request.get_data()
        envelope = etree.fromstring(body)
        call_element = envelope.find(f'{{{SOAP_ENV}}}Body')[0]
        operation = etree.QName(call_element).localname
        params = {etree.QName(child).localname: child.text or '' for child in call_element}
        with self._lock:
            self.calls.append(Call(operation, params, request.headers.get('SOAPAction', ''),
                                   request.headers.get('Content-Type', '')))
            if request.headers.get('SOAPAction') != f'"{QBWC_NS}{operation}"':
                self.problems.append(f'{operation}: SOAPAction {request.headers.get("SOAPAction")!r}')
            if self.schema is not None and operation in WSDL_OPERATIONS and not self.schema.validate(call_element):
                self.problems.append(f'{operation}: {self.schema.error_log}')
            answer = self._scripted(operation, params)
        if isinstance(answer, Raw):
            return Response(answer.body, status=answer.status, content_type=answer.content_type)
        if isinstance(answer, Fault):
            return Response(_fault(answer), status=500, content_type='text/xml; charset=utf-8')
        return Response(_envelope(operation, answer), content_type='text/xml; charset=utf-8')

    def _scripted(self, operation: str, params: dict[str, str]) -> object:
        script = self.answers[operation]
        if callable(script) and not isinstance(script, Fault | Raw):
            return script(params)
        if isinstance(script, tuple):
            served = self._served.get(operation, 0)
            self._served[operation] = served + 1
            return script[min(served, len(script) - 1)]
        return script


def _envelope(operation: str, answer: object) -> bytes:
    root = etree.Element(f'{{{SOAP_ENV}}}Envelope', nsmap={'soap': SOAP_ENV})
    body = etree.SubElement(root, f'{{{SOAP_ENV}}}Body')
    response = etree.SubElement(body, f'{{{QBWC_NS}}}{operation}Response', nsmap={None: QBWC_NS})
    if answer is not None:
        result = etree.SubElement(response, f'{{{QBWC_NS}}}{operation}Result')
        if isinstance(answer, list):
            for item in answer:
                etree.SubElement(result, f'{{{QBWC_NS}}}string').text = item
        else:
            result.text = str(answer)
    return etree.tostring(root, xml_declaration=True, encoding='utf-8')


def _fault(fault: Fault) -> bytes:
    root = etree.Element(f'{{{SOAP_ENV}}}Envelope', nsmap={'soap': SOAP_ENV})
    body = etree.SubElement(root, f'{{{SOAP_ENV}}}Body')
    element = etree.SubElement(body, f'{{{SOAP_ENV}}}Fault')
    etree.SubElement(element, 'faultcode').text = fault.faultcode
    etree.SubElement(element, 'faultstring').text = fault.faultstring
    return etree.tostring(root, xml_declaration=True, encoding='utf-8')


@contextmanager
def serving(app: Callable, ssl_context: object | None = None) -> Iterator[int]:
    """Serve `app` on a free localhost port in a thread; yield the port."""
    server = make_server('127.0.0.1', 0, app, threaded=True, ssl_context=ssl_context)
    thread = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
