"""The web connector's side of QuickBooks: what QBWC does through the request processor (QBXMLRP2).

Opening the company file, the Host/Company/Preferences queries whose response QBWC hands to the
first sendRequestXML, the FileID data extension QBWC writes at the first connection of an
application to a company file, and processing the service's messages with the run's faults.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from qbsim.errors import QBXMLParseError

from . import qbxml
from .errors import QBWCError
from .faults import FaultPlan

#: HRESULTs QBXMLRP2 reports (QBWC Programmer's Guide sample code; qbws#9; consolibyte's error map
#: for 0x8004040A). RPC_E_DISCONNECTED is the COM error of a request processor whose QuickBooks went away.
COULD_NOT_START = ('0x80040408', 'Could not start QuickBooks.')
OTHER_FILE_OPEN = (
    '0x8004040A', 'A QuickBooks company data file is already open and it is different from the one requested.',
)
UNEXPECTED_ERROR = ('0x80040402', 'Unexpected error.')
CONNECTION_LOST = (
    '0x80010108', 'The object invoked has disconnected from its clients. The connection to QuickBooks was lost.',
)

FILE_ID = 'FileID'


class CompanyLike(Protocol):
    """What the web connector needs from a qbsim company (qbsim.Company)."""

    file_path: str | os.PathLike
    edition: str
    supported_qbxml_versions: list[str] | tuple[str, ...]

    def process(self, qbxml_text: str, session: object | None = None) -> str: ...
    def begin_session(self) -> object: ...
    def end_session(self, session: object) -> None: ...
    def inject_transient(self, request_type: str, status_code: int) -> None: ...
    def close(self) -> None: ...


@dataclass(frozen=True)
class HostInfo:
    """What the first sendRequestXML tells the service about QuickBooks."""

    hcp_response: str
    country: str
    major: int
    minor: int


@dataclass(frozen=True)
class Processed:
    """The outcome of one message: a response, or an hresult and message instead.

    `committed` is what QuickBooks produced, even when the service never gets it (lose-response).
    """

    response: str
    hresult: str = ''
    message: str = ''
    committed: str = ''

    @property
    def connection_lost(self) -> bool:
        return bool(self.committed) and not self.response


def same_file(requested: str, open_path: str | os.PathLike) -> bool:
    """Whether the company file a service asks for is the one open (Windows paths compare case-insensitively)."""
    if requested == str(open_path) or requested.casefold() == str(open_path).casefold():
        return True
    return Path(requested).expanduser().resolve() == Path(open_path).resolve()


def latest_version(company: CompanyLike) -> str:
    """The newest qbXML version the company supports, as it writes it (US '13.0', else e.g. 'CA13.0')."""
    return max(company.supported_qbxml_versions, key=_version_numbers)


def _version_numbers(version: str) -> tuple[int, int]:
    match = re.search(r'(\d+)\.(\d+)', version)
    if match is None:
        raise ValueError(f'unreadable qbXML version {version!r}')
    return int(match.group(1)), int(match.group(2))


class RequestProcessor:
    """One QBWC connection to the open company file, with the run's QuickBooks-side faults."""

    def __init__(self, company: CompanyLike, faults: FaultPlan) -> None:
        self.company = company
        self.faults = faults
        self.messages = 0
        self._session: object | None = None

    def open(self, requested_path: str) -> tuple[str, str] | None:
        """Begin a session on the file the service named ('' = the open file); (hresult, message) on failure."""
        if self.faults.open_fail:
            return COULD_NOT_START
        if requested_path and not same_file(requested_path, self.company.file_path):
            return OTHER_FILE_OPEN
        self._session = self.company.begin_session()
        for request_type, status_code in self.faults.transient:
            self.company.inject_transient(request_type, status_code)
        return None

    def close(self) -> None:
        """End the QuickBooks session (iterators die with it)."""
        if self._session is not None:
            session, self._session = self._session, None
            self.company.end_session(session)

    def _run(self, document: str) -> str:
        return self.company.process(document, session=self._session)

    def ensure_file_id(self, owner_id: str, file_id: str) -> bool:
        """Store the .qwc FileID under its OwnerID on the company, unless this application already did.

        Returns True when it was written now (first connection of this application to this file).
        A FileID already there is kept even if it differs: the service sees it in the HCP response
        and is the one to decide what a different FileID means.
        """
        version = latest_version(self.company)
        try:
            if self._company_data_ext(owner_id, FILE_ID) is not None:
                return False
            definitions = self._run(qbxml.message(version, [qbxml.request('DataExtDefQuery', [('OwnerID', owner_id)])]))
        except QBXMLParseError as exc:
            raise QBWCError('QBWC1025', f'Exiting the application. {exc.message}') from exc
        defined = any(
            ret.findtext('DataExtName') == FILE_ID
            for rs in qbxml.response_elements(definitions)
            for ret in rs.iter('DataExtDefRet')
        )
        requests = []
        if not defined:
            requests.append(qbxml.aggregate_request('DataExtDefAdd', [
                ('OwnerID', owner_id), ('DataExtName', FILE_ID), ('DataExtType', 'STR255TYPE'),
                ('AssignToObject', 'Company'),
            ]))
        requests.append(qbxml.aggregate_request('DataExtAdd', [
            ('OwnerID', owner_id), ('DataExtName', FILE_ID), ('OtherDataExtType', 'Company'), ('DataExtValue', file_id),
        ]))
        try:
            written = self._run(qbxml.message(version, requests))
        except QBXMLParseError as exc:
            raise QBWCError('QBWC1027', f'Exiting the application. {exc.message}') from exc
        failed = [status for status in qbxml.statuses(written) if status.status_code != 0]
        if failed or not qbxml.statuses(written):
            detail = '; '.join(f'{s.response_type} {s.status_code} {s.status_message}' for s in failed)
            raise QBWCError('QBWC1026', f'There was some problem adding fileID. {detail}'.strip())
        return True

    def _company_data_ext(self, owner_id: str, name: str) -> str | None:
        version = latest_version(self.company)
        answer = self._run(qbxml.message(version, [qbxml.request('CompanyQuery', [('OwnerID', owner_id)])]))
        for rs in qbxml.response_elements(answer):
            for ret in rs.iter('DataExtRet'):
                same_owner = ret.findtext('OwnerID', '').casefold() == owner_id.casefold()
                if same_owner and ret.findtext('DataExtName') == name:
                    return ret.findtext('DataExtValue', '')
        return None

    def host_company_preferences(self, owner_id: str) -> HostInfo:
        """The HCP response QBWC passes to the first sendRequestXML, and the country and version it states.

        One message, requestIDs 0, 1, 2 as in captured QBWC traffic; CompanyQuery names the public
        owner 0 and the application's OwnerID so its FileID comes back (qbxml-semantics 7.4, 9).
        """
        document = qbxml.message(latest_version(self.company), [
            qbxml.request('HostQuery', request_id='0'),
            qbxml.request('CompanyQuery', [('OwnerID', '0'), ('OwnerID', owner_id)], request_id='1'),
            qbxml.request('PreferencesQuery', request_id='2'),
        ])
        try:
            response = self._run(document)
        except QBXMLParseError as exc:
            raise QBWCError('QBWC1014', f'Could not get Host/Company/Preference Query response from QuickBooks. '
                                        f'Job ending. {exc.message}') from exc
        host = next((rs.find('HostRet') for rs in qbxml.response_elements(response) if rs.tag == 'HostQueryRs'), None)
        if host is None:
            raise QBWCError('QBWC1014', 'Could not get Host/Company/Preference Query response from QuickBooks. '
                                        'Job ending. HostQuery returned no HostRet.')
        supported = [element.text or '' for element in host.findall('SupportedQBXMLVersion')]
        newest = max(supported, key=_version_numbers) if supported else latest_version(self.company)
        major, minor = _version_numbers(newest)
        return HostInfo(response, host.findtext('Country') or self.company.edition, major, minor)

    def process(self, document: str) -> Processed:
        """Run one of the service's messages, applying the faults numbered for it."""
        self.messages += 1
        number = self.messages
        if number in self.faults.hresult:
            return Processed('', *UNEXPECTED_ERROR)
        if self.faults.delay_ms:
            time.sleep(self.faults.delay_ms / 1000)
        try:
            response = self._run(document)
        except QBXMLParseError as exc:
            return Processed('', f'0x{exc.hresult:08X}', exc.message)
        if number in self.faults.lose_response:
            return Processed('', *CONNECTION_LOST, committed=response)
        return Processed(response, committed=response)
