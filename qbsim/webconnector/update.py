"""One "Update Selected" of one application, call by call as QBWC 2.x makes it.

Sequence (QBWC Programmer's Guide, chapters 2 and 5; captured QBWC logs for serverVersion):
serverVersion() -> clientVersion(strVersion) -> authenticate -> open the company file (failures
go to connectionError, whose answer retries or ends) -> FileID at the first connection -> first
sendRequestXML with the HCP response -> sendRequestXML/receiveResponseXML until 100 percent ->
closeConnection. An empty request leads to getLastError (NoOp pauses and asks again,
"Interactive mode" starts the interactive calls); a negative percent leads to getLastError and
closeConnection.

Where the sources leave a choice open, the behaviour chosen is said where it is implemented.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from qbsim.company import Company

from . import qbxml
from .errors import MalformedResponseError, QBWCError, SoapFaultError, TransportError, operation_failed
from .faults import FaultPlan, parse_faults
from .quickbooks import CompanyLike, HostInfo, RequestProcessor
from .qwc import QwcFile, load_qwc
from .recorder import Recorder
from .result import RunResult
from .soap import build_request, parse_int_result, parse_string_array_result, parse_string_result
from .transport import SoapTransport

DEFAULT_QBWC_VERSION = '2.3.0.215'
#: QBWC pauses 5 seconds after NoOp (Guide p.8, p.72).
DEFAULT_NOOP_PAUSE_S = 5.0
#: QBWC "will try the connection twice" (Guide, Appendix A, QBWC1007-1009): the first attempt and
#: at most two retries on the paths connectionError returns.
MAX_CONNECTION_RETRIES = 2
#: A service that never reaches 100 percent would keep a real QBWC busy forever; the simulator stops.
DEFAULT_MAX_CALLS = 100_000
#: How often interactiveDone is polled before the simulated user gives up.
INTERACTIVE_POLLS = 3


@dataclass(frozen=True)
class CallEvent:
    """Passed to the progress callback after every SOAP call."""

    number: int
    operation: str
    answer: object


class _RunEndedError(Exception):
    """Internal: the run ends here; the outcome is already set on the result."""


class _Update:
    def __init__(self, qwc: QwcFile, password: str, company: CompanyLike, result: RunResult, *,
                 faults: FaultPlan, transport: SoapTransport, recorder: Recorder | None,
                 progress: Callable[[CallEvent], None] | None, noop_pause_s: float, interactive: str,
                 auto_run: bool, max_calls: int) -> None:
        self.qwc = qwc
        self.password = password
        self.company = company
        self.result = result
        self.faults = faults
        self.transport = transport
        self.recorder = recorder
        self.progress = progress
        self.noop_pause_s = noop_pause_s
        self.interactive = interactive
        self.auto_run = auto_run
        self.max_calls = max_calls
        self.processor = RequestProcessor(company, faults)
        self.ticket = ''

    # -- SOAP calls -------------------------------------------------------------------------

    def _exchange(self, operation: str, params: dict[str, str | int | None]) -> bytes:
        number = len(self.result.calls) + 1
        if number > self.max_calls:
            self.result.outcome = 'error'
            raise QBWCError('QBWC1031', f'Operation stopped after {self.max_calls} calls: the service never '
                                        'reported 100 percent done.')
        self.result.calls.append(operation)
        envelope = build_request(operation, params)
        if self.recorder:
            self.recorder.soap(number, operation, 'sent', envelope)
        try:
            answer = self.transport.post(operation, envelope, drop_connection=number in self.faults.drop_connection)
        except TransportError as exc:
            if self.recorder:
                self.recorder.soap(number, operation, 'failed', str(exc).encode())
            raise
        if self.recorder:
            self.recorder.soap(number, operation, 'received', answer)
        return answer

    def _call(self, operation: str, parse: Callable[[str, bytes], object], **params: str | int | None) -> object:
        """One SOAP call; any failure becomes the QBWC error of that operation and ends the run."""
        try:
            answer = parse(operation, self._exchange(operation, params))
        except (TransportError, SoapFaultError, MalformedResponseError) as exc:
            self.result.outcome = 'error'
            raise operation_failed(operation, str(exc)) from exc
        if self.progress:
            self.progress(CallEvent(len(self.result.calls), operation, answer))
        return answer

    def _string(self, operation: str, **params: str | int | None) -> str | None:
        return self._call(operation, parse_string_result, **params)

    # -- the run ----------------------------------------------------------------------------

    def run(self) -> None:
        try:
            self._server_version()
            self._client_version()
            requested = self._authenticate()
            self._open_company(requested)
            info = self._prepare_company()
            self._exchange_loop(info)
        except _RunEndedError:
            pass
        except QBWCError as exc:
            self.result.error = str(exc)
        finally:
            self.processor.close()

    def _server_version(self) -> None:
        # QBWC calls serverVersion with no parameters and carries on whatever happens: services
        # written before it existed answer with a fault, and QBWC logs that it allows the update
        # "for backward compatibility". A dead connection therefore surfaces at the next call.
        try:
            answer = parse_string_result('serverVersion', self._exchange('serverVersion', {}))
        except (TransportError, SoapFaultError, MalformedResponseError) as exc:
            self.result.notes.append(f'serverVersion failed ({exc}); allowing the update for backward compatibility.')
            return
        self.result.server_version = answer
        if self.progress:
            self.progress(CallEvent(len(self.result.calls), 'serverVersion', answer))

    def _client_version(self) -> None:
        answer = self._string('clientVersion', strVersion=self.result.qbwc_version)
        self.result.client_version_answer = answer
        if not answer:
            return
        kind, colon, text = answer.partition(':')
        if kind == 'W' and colon:
            # QBWC asks the user whether to go on; the simulated user goes on.
            self.result.notes.append(f'clientVersion warning accepted: {text}')
            return
        if kind == 'E' and colon:
            self._end('cancelled', QBWCError('QBWC1037', 'Application sent following error or warning message '
                                                         'when checking version of QB web connector. Update '
                                                         f'aborted. {text}'))
        if kind == 'O' and colon:
            # O:<version> names the QBWC version the service requires: an older QBWC stops and tells
            # the user to upgrade; one at least that new carries on.
            if _version_tuple(self.result.qbwc_version) < _version_tuple(text):
                self._end('cancelled', QBWCError('QBWC1037', 'The application requires QB web connector version '
                                                             f'{text}; this is {self.result.qbwc_version}. '
                                                             'Update aborted.'))
            self.result.notes.append(f'clientVersion asks for QBWC {text} or later; {self.result.qbwc_version} is.')
            return
        self._end('error', QBWCError('QBWC1046', 'Application sent incorrect syntax return value for clientVersion(). '
                                                 f'Error message: {answer!r}. Update cannot continue.'))

    def _authenticate(self) -> str:
        answer = self._call('authenticate', parse_string_array_result,
                            strUserName=self.qwc.user_name, strPassword=self.password)
        # QBWC indexes the array: fewer than two elements is the "Index was outside the bounds of
        # the array" failure users hit when empty <string/> elements are dropped (SoapCore#248,
        # quickbooks-js PR #28). Two to four elements are accepted, as Intuit's own sample returns two.
        if answer is None or len(answer) < 2:
            self._end('error', operation_failed('authenticate', 'Index was outside the bounds of the array.'))
        self.result.authenticate_answer = list(answer)
        self.ticket = answer[0]
        self.result.ticket = self.ticket
        self.result.postpone_seconds = self._seconds(answer, 2)
        self.result.min_run_every_seconds = self._seconds(answer, 3)
        status = answer[1]
        # The keywords are compared exactly as the Guide spells them: 'NONE' is a company file path
        # to QBWC, which a service then learns about through connectionError.
        if status == 'nvu':
            self._close('invalid-user', 'The web service reports an invalid user name or password (nvu).')
        if status == 'none':
            self._close('no-work', None)
        if status == 'busy':
            self._close('busy', 'The web service is busy; the update was not performed.')
        # Postponement only applies to Auto-Run updates (Guide p.21-22); "Update Selected" ignores it.
        if self.auto_run and self.result.postpone_seconds:
            self._close('postponed', f'Update postponed by application ({self.result.postpone_seconds} seconds).')
        self.result.company_file_requested = status
        return status

    def _seconds(self, answer: list[str], index: int) -> int | None:
        if len(answer) <= index or not answer[index].strip():
            return None
        try:
            return int(answer[index].strip())
        except ValueError:
            self._end('error', operation_failed('authenticate', 'Input string was not in a correct format.'))
        return None

    def _open_company(self, requested: str) -> None:
        attempts = 0
        while (failure := self.processor.open(requested)) is not None:
            hresult, message = failure
            answer = self._string('connectionError', ticket=self.ticket, hresult=hresult, message=message)
            self.result.connection_error_answers.append(answer if answer is not None else '')
            # 'done' ends; anything else is a company file path to retry, '' (or a .NET null) the
            # open file, as in Intuit's sample. QBWC then calls closeConnection so the service can
            # end its session.
            if (answer or '').strip().lower() == 'done' or attempts >= MAX_CONNECTION_RETRIES:
                self.result.error = str(QBWCError('QBWC1013', 'Error connecting to QuickBooks. Returning error '
                                                              f'message to application. {hresult}: {message}'))
                self._close('connection-error', None)
            attempts += 1
            requested = answer or ''

    def _prepare_company(self) -> HostInfo:
        self.result.file_id_written = self.processor.ensure_file_id(self.qwc.owner_id, self.qwc.file_id)
        info = self.processor.host_company_preferences(self.qwc.owner_id)
        self.result.qbxml_country = info.country
        self.result.qbxml_version = f'{info.major}.{info.minor}'
        if self.recorder:
            self.recorder.hcp_response(info.hcp_response)
        return info

    def _exchange_loop(self, info: HostInfo) -> None:
        hcp = info.hcp_response
        while True:
            request = self._string('sendRequestXML', ticket=self.ticket, strHCPResponse=hcp,
                                   strCompanyFileName=str(self.company.file_path), qbXMLCountry=info.country,
                                   qbXMLMajorVers=info.major, qbXMLMinorVers=info.minor)
            self.result.round_trips += 1
            hcp = ''
            if not request:
                self._after_empty_request()
                continue
            percent = self._send_to_quickbooks(request)
            self.result.percents.append(percent)
            if percent < 0:
                self.result.last_error_text = self._string('getLastError', ticket=self.ticket)
                self._close('service-error', None)
            # The Guide defines 0-99 (go on) and 100 (done) only; a larger value is read as done and noted.
            if percent >= 100:
                if percent > 100:
                    self.result.notes.append(f'receiveResponseXML returned {percent}, read as done.')
                self._close('completed', None)

    def _send_to_quickbooks(self, request: str) -> int:
        number = self.processor.messages + 1
        self.result.messages = number
        self.result.requests_by_type.update(qbxml.request_types(request))
        if self.recorder:
            self.recorder.request(number, request)
        processed = self.processor.process(request)
        for status in qbxml.statuses(processed.committed):
            self.result.count_response(status.response_type, status.status_code)
        if processed.committed and self.recorder:
            self.recorder.response(number, processed.committed)
        if processed.hresult:
            self.result.hresults.append((number, processed.hresult, processed.message))
            if self.recorder:
                self.recorder.hresult(number, processed.hresult, processed.message)
        percent = self._call('receiveResponseXML', parse_int_result, ticket=self.ticket, response=processed.response,
                             hresult=processed.hresult, message=processed.message)
        if processed.connection_lost:
            # lose-response: QuickBooks committed the message, then its request processor died. QBWC
            # learns of a request processor failure as an exception from ProcessRequest and hands it
            # to the service through receiveResponseXML's hresult and message (Guide p.24, p.77-78);
            # connectionError is only for failing to open the company. With QuickBooks gone the
            # run cannot go on: a negative answer still gets its getLastError, then the session closes.
            self.result.percents.append(percent)
            if percent < 0:
                self.result.last_error_text = self._string('getLastError', ticket=self.ticket)
            self.result.error = f'{processed.hresult}: {processed.message}'
            self._close('connection-lost', None)
        return percent

    def _after_empty_request(self) -> None:
        text = self._string('getLastError', ticket=self.ticket)
        self.result.last_error_text = text
        if text == 'NoOp':
            time.sleep(self.noop_pause_s)
            return
        if text == 'Interactive mode':
            self._interactive()
            return
        # Any other text is shown in QBWC's status column as an error and the session closes.
        self._close('stopped', None)

    def _interactive(self) -> None:
        if self.interactive == 'accept':
            url = self._string('getInteractiveURL', wcTicket=self.ticket, sessionID=f'{{{uuid.uuid4()}}}'.upper())
            self.result.interactive_url = url
            if url:
                for _ in range(INTERACTIVE_POLLS):
                    if self._string('interactiveDone', wcTicket=self.ticket) == 'Done':
                        return
                    time.sleep(self.noop_pause_s)
            reason = 'The interactive session did not finish in time.'
        else:
            reason = 'The user declined to work interactively.'
        self._string('interactiveRejected', wcTicket=self.ticket, reason=reason)
        self._close('interactive-rejected', None)

    # -- ending -----------------------------------------------------------------------------

    def _end(self, outcome: str, error: QBWCError) -> None:
        self.result.outcome = outcome
        raise error

    def _close(self, outcome: str, note: str | None) -> None:
        """closeConnection, then end the run with `outcome`."""
        self.result.outcome = outcome
        if note:
            self.result.notes.append(note)
        self.processor.close()
        self.result.close_text = self._string('closeConnection', ticket=self.ticket)
        raise _RunEndedError


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in version.strip().split('.'))


def run_update(qwc_path: str | os.PathLike, password: str, company_path: str | os.PathLike,
               faults: list[str] | tuple[str, ...] | FaultPlan = (), cafile: str | None = None,
               qbwc_version: str = DEFAULT_QBWC_VERSION, record_dir: str | os.PathLike | None = None,
               progress: Callable[[CallEvent], None] | None = None, *,
               noop_pause_s: float = DEFAULT_NOOP_PAUSE_S, interactive: str = 'reject', auto_run: bool = False,
               max_calls: int = DEFAULT_MAX_CALLS, http_timeout_s: float = 120.0) -> RunResult:
    """Perform one "Update Selected" of the .qwc's application against the company file.

    Raises QBWCError (or QwcUnsupportedError) when the .qwc would not be added to QBWC,
    FaultSpecError for a bad fault and FileNotFoundError for a missing company file. Everything
    that happens once the run starts is reported in the RunResult, whose `completed` is true only
    for a run that reached its normal end. `interactive` is the simulated user's answer to
    "Interactive mode": 'reject' or 'accept'. The company file is opened for the run and closed after.
    """
    if interactive not in ('reject', 'accept'):
        raise ValueError(f"interactive must be 'reject' or 'accept', not {interactive!r}")
    qwc = load_qwc(qwc_path)
    plan = faults if isinstance(faults, FaultPlan) else parse_faults(list(faults))
    company = Company.open(Path(company_path))
    try:
        result = RunResult(app_name=qwc.app_name, app_url=qwc.app_url, company_path=str(company.file_path),
                           qbwc_version=qbwc_version)
        update = _Update(qwc, password, company, result, faults=plan,
                         transport=SoapTransport(qwc.app_url, cafile=cafile, timeout_s=http_timeout_s),
                         recorder=Recorder(record_dir) if record_dir is not None else None, progress=progress,
                         noop_pause_s=noop_pause_s, interactive=interactive, auto_run=auto_run,
                         max_calls=max_calls)
        update.run()
    finally:
        company.close()
    return result
