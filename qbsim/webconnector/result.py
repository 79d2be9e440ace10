"""What one web connector run did, for the command's summary and for tests and benchmarks."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field

#: How a run can end. Only the first two count as a completed update (exit code 0):
#: 'completed' (receiveResponseXML said 100), 'no-work' (authenticate said none);
#: 'service-error' (negative percent), 'stopped' (an empty request whose getLastError was not
#: NoOp), 'postponed', 'invalid-user', 'busy', 'cancelled' (clientVersion E:/O:),
#: 'interactive-rejected', 'connection-error' (QuickBooks could not be opened),
#: 'connection-lost' (lose-response), 'error' (a QBWC error, see RunResult.error).
COMPLETED_OUTCOMES = frozenset({'completed', 'no-work'})


@dataclass
class RunResult:
    """Counts, status codes, round trips and the last texts of one "Update Selected"."""

    app_name: str
    app_url: str
    company_path: str
    qbwc_version: str
    outcome: str = 'error'
    error: str | None = None
    server_version: str | None = None
    client_version_answer: str | None = None
    ticket: str | None = None
    authenticate_answer: list[str] = field(default_factory=list)
    company_file_requested: str | None = None
    postpone_seconds: int | None = None
    min_run_every_seconds: int | None = None
    file_id_written: bool = False
    qbxml_country: str | None = None
    qbxml_version: str | None = None
    calls: list[str] = field(default_factory=list)
    round_trips: int = 0
    messages: int = 0
    percents: list[int] = field(default_factory=list)
    requests_by_type: Counter[str] = field(default_factory=Counter)
    responses_by_status: dict[str, Counter[int]] = field(default_factory=dict)
    status_codes: Counter[int] = field(default_factory=Counter)
    hresults: list[tuple[int, str, str]] = field(default_factory=list)
    connection_error_answers: list[str] = field(default_factory=list)
    interactive_url: str | None = None
    last_error_text: str | None = None
    close_text: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def completed(self) -> bool:
        return self.outcome in COMPLETED_OUTCOMES

    @property
    def requests(self) -> int:
        """Requests inside the service's qbXML messages."""
        return sum(self.requests_by_type.values())

    @property
    def responses(self) -> int:
        """Responses QuickBooks produced for them (a whole-message failure produces none)."""
        return sum(self.status_codes.values())

    def count_response(self, response_type: str, status_code: int) -> None:
        self.responses_by_status.setdefault(response_type, Counter())[status_code] += 1
        self.status_codes[status_code] += 1

    def to_dict(self) -> dict:
        data = asdict(self)
        data['completed'] = self.completed
        data['requests'] = self.requests
        data['responses'] = self.responses
        data['requests_by_type'] = dict(sorted(self.requests_by_type.items()))
        data['responses_by_status'] = {
            kind: {str(code): count for code, count in sorted(codes.items())}
            for kind, codes in sorted(self.responses_by_status.items())
        }
        data['status_codes'] = {str(code): count for code, count in sorted(self.status_codes.items())}
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True)

    def summary(self) -> str:
        """The human summary the command prints."""
        lines = [
            f'Application:      {self.app_name}',
            f'URL:              {self.app_url}',
            f'Company file:     {self.company_path}',
            f'Server version:   {self.server_version if self.server_version is not None else "-"}',
            f'Calls:            {len(self.calls)} SOAP calls, {self.round_trips} sendRequestXML round trips',
            f'Messages:         {self.messages} qbXML messages, {self.requests} requests, {self.responses} responses',
        ]
        for kind, count in sorted(self.requests_by_type.items()):
            codes = self.responses_by_status.get(kind, Counter())
            shown = ', '.join(f'{code} x{n}' for code, n in sorted(codes.items())) or 'no response'
            lines.append(f'  {kind:<28} {count:>6} sent; status {shown}')
        if self.status_codes:
            lines.append('Status codes:     ' + ', '.join(f'{c} x{n}' for c, n in sorted(self.status_codes.items())))
        for number, hresult, message in self.hresults:
            lines.append(f'HRESULT:          message {number}: {hresult} {message}')
        lines += [
            f'Last error text:  {self.last_error_text if self.last_error_text is not None else "-"}',
            f'Close text:       {self.close_text if self.close_text is not None else "-"}',
        ]
        lines += [f'Note:             {note}' for note in self.notes]
        if self.error:
            lines.append(f'Error:            {self.error}')
        lines.append(f'Result:           {"completed" if self.completed else "NOT completed"} ({self.outcome})')
        return '\n'.join(lines)
