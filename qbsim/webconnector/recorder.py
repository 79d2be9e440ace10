"""`--record DIR`: every qbXML message and response as numbered files, plus the SOAP-level log.

Files: `hcp-response.xml`, then per message `NNNN-request.xml`, `NNNN-response.xml` when
QuickBooks produced a response and `NNNN-hresult.txt` when the service got an hresult instead (a
lost response has both), and `soap.log` with every envelope sent and received (the password of
authenticate masked), numbered by call.
"""

from __future__ import annotations

import re
from pathlib import Path

_PASSWORD = re.compile(rb'(<(?:\w+:)?strPassword>)(.*?)(</(?:\w+:)?strPassword>)', re.DOTALL)


class Recorder:
    """Writes the record of one run into a directory (created if missing)."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._log = self.directory / 'soap.log'
        self._log.write_bytes(b'')

    def _write(self, name: str, text: str) -> None:
        (self.directory / name).write_text(text, encoding='utf-8')

    def hcp_response(self, text: str) -> None:
        self._write('hcp-response.xml', text)

    def request(self, number: int, text: str) -> None:
        self._write(f'{number:04d}-request.xml', text)

    def response(self, number: int, text: str) -> None:
        self._write(f'{number:04d}-response.xml', text)

    def hresult(self, number: int, hresult: str, message: str) -> None:
        self._write(f'{number:04d}-hresult.txt', f'{hresult} {message}\n')

    def soap(self, call: int, operation: str, direction: str, payload: bytes) -> None:
        """Append one envelope ('sent' or 'received', or an error text) to soap.log."""
        masked = _PASSWORD.sub(rb'\1********\3', payload)
        with self._log.open('ab') as log:
            log.write(f'=== call {call:04d} {operation} {direction}\n'.encode())
            log.write(masked.rstrip(b'\n') + b'\n')
