"""qbXML messages the scripted service sends in the tests."""

CUSTOMER_QUERY = (
    '<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?>'
    '<QBXML><QBXMLMsgsRq onError="continueOnError">'
    '<CustomerQueryRq requestID="7"><MaxReturned>1</MaxReturned></CustomerQueryRq>'
    '</QBXMLMsgsRq></QBXML>'
)

CUSTOMER_ADD = (
    '<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?>'
    '<QBXML><QBXMLMsgsRq onError="stopOnError">'
    '<CustomerAddRq requestID="1"><CustomerAdd><Name>Lost Response Ltd</Name></CustomerAdd></CustomerAddRq>'
    '</QBXMLMsgsRq></QBXML>'
)

#: Not even well-formed: QuickBooks fails the whole message with HRESULT 0x80040400.
BROKEN_QUERY = '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="continueOnError"><Nonsense'
