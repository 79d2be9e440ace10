"""The QBWC operations as data: names, parameters and result types.

One table drives both the request parser and the generated WSDL, so the two cannot disagree.
The eight core operations and the three interactive-mode ones follow Intuit's QBWC
programmer's guide; ``serverVersion`` takes no parameter because QBWC sends none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

#: Namespace of every QBWC element (Intuit's document/literal contract).
TNS = 'http://developer.intuit.com/'

ValueType = Literal['string', 'int', 'ArrayOfString']


@dataclass(frozen=True)
class Param:
    """One input of an operation, in wire order."""

    name: str
    type: ValueType = 'string'


@dataclass(frozen=True)
class Operation:
    """A SOAP operation: ``<name>`` in, ``<nameResponse><nameResult>`` out."""

    name: str
    params: tuple[Param, ...]
    result: ValueType = 'string'

    @property
    def response_element(self) -> str:
        return f'{self.name}Response'

    @property
    def result_element(self) -> str:
        return f'{self.name}Result'


OPERATIONS: dict[str, Operation] = {
    op.name: op
    for op in (
        Operation('serverVersion', ()),
        Operation('clientVersion', (Param('strVersion'),)),
        Operation('authenticate', (Param('strUserName'), Param('strPassword')), result='ArrayOfString'),
        Operation(
            'sendRequestXML',
            (
                Param('ticket'),
                Param('strHCPResponse'),
                Param('strCompanyFileName'),
                Param('qbXMLCountry'),
                Param('qbXMLMajorVers', 'int'),
                Param('qbXMLMinorVers', 'int'),
            ),
        ),
        Operation(
            'receiveResponseXML',
            (Param('ticket'), Param('response'), Param('hresult'), Param('message')),
            result='int',
        ),
        Operation('connectionError', (Param('ticket'), Param('hresult'), Param('message'))),
        Operation('getLastError', (Param('ticket'),)),
        Operation('closeConnection', (Param('ticket'),)),
        Operation('getInteractiveURL', (Param('wcTicket'), Param('sessionID'))),
        Operation('interactiveDone', (Param('wcTicket'),)),
        Operation('interactiveRejected', (Param('wcTicket'), Param('reason'))),
    )
}
