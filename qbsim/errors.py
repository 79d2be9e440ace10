"""The two ways a qbXML message can fail: whole (HRESULT) or one request (status code)."""

from __future__ import annotations

PARSE_HRESULT = 0x80040400
PARSE_MESSAGE = 'QuickBooks found an error when parsing the provided XML text stream.'


class QBXMLParseError(Exception):
    """The message failed as a whole: QuickBooks returns no qbXML and nothing in it ran.

    ``hresult`` is what the Web Connector passes on to the application; ``message`` starts with
    QuickBooks' own sentence and names the offending element so a developer can fix the sender.
    """

    def __init__(self, detail: str) -> None:
        self.hresult = PARSE_HRESULT
        self.message = f'{PARSE_MESSAGE} {detail}'
        super().__init__(self.message)


class RequestError(Exception):
    """One request failed with a QuickBooks status code; the message's other requests go on."""

    def __init__(self, status_code: int, message: str) -> None:
        self.status_code = status_code
        self.message = message
        super().__init__(f'{status_code}: {message}')
