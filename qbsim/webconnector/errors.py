"""The errors a web connector run can end with, numbered as QBWC numbers them.

Codes and wording follow Appendix A of Intuit's QBWC Programmer's Guide ("Understanding and
Responding to QBWC Error Codes"), so a service author can look them up there.
"""

from __future__ import annotations


class QBWCError(Exception):
    """A condition that makes QBWC stop a run (or refuse a .qwc), with its QBWC error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f'{code}: {message}')
        self.code = code
        self.message = message


class TransportError(Exception):
    """The HTTP exchange of one SOAP call failed (connection, TLS, HTTP status, content type)."""


class SoapFaultError(Exception):
    """The service answered a SOAP call with a soap:Fault."""

    def __init__(self, faultcode: str, faultstring: str) -> None:
        super().__init__(f'{faultcode}: {faultstring}' if faultcode else faultstring)
        self.faultcode = faultcode
        self.faultstring = faultstring


class MalformedResponseError(Exception):
    """The service's answer is not the document/literal response the WSDL describes."""


#: The QBWC error code reported when the SOAP call of each operation throws.
OPERATION_FAILURE_CODES = {
    'clientVersion': ('QBWC1036', 'Error countered during version check: {}'),
    'authenticate': ('QBWC1012', 'Authentication failed due to error message: {}'),
    'sendRequestXML': ('QBWC1041', 'SendRequestXML failed due to error message: {}'),
    'receiveResponseXML': ('QBWC1042', 'ReceiveResponseXML failed due to error message: {}'),
    'getLastError': ('QBWC1043', 'getLastError failed due to error message: {}'),
    'closeConnection': ('QBWC1044', 'CloseConnection failed due to error message: {}'),
    'connectionError': ('QBWC1045', 'ConnectionError failed due to error message: {}'),
    # The interactive operations have no code of their own in Appendix A; QBWC reports them as
    # a failure of the update.
    'getInteractiveURL': ('QBWC1031', 'getInteractiveURL failed due to error message: {}'),
    'interactiveDone': ('QBWC1031', 'interactiveDone failed due to error message: {}'),
    'interactiveRejected': ('QBWC1031', 'interactiveRejected failed due to error message: {}'),
}


def operation_failed(operation: str, detail: str) -> QBWCError:
    """The QBWCError QBWC shows when the SOAP call of `operation` throws with `detail`."""
    code, template = OPERATION_FAILURE_CODES[operation]
    return QBWCError(code, template.format(detail))
