"""What the demo shows while the Web Connector runs: one updating line on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys
from typing import TextIO

from qbsim.webconnector import CallEvent


class ProgressDisplay:
    """The ``progress`` callback of ``run_update``: percent done, round trips and SOAP calls so far."""

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stdout
        self.interactive = self.stream.isatty()
        self.round_trips = 0
        self.percent = 0
        self.calls = 0
        self._shown_percent: int | None = None
        self._shown_text = ''
        self._width = 0

    def __call__(self, event: CallEvent) -> None:
        self.calls = event.number
        if event.operation == 'sendRequestXML':
            self.round_trips += 1
        elif event.operation == 'receiveResponseXML' and isinstance(event.answer, int):
            self.percent = max(0, min(100, event.answer))
        if self.interactive:
            text = self._text()
            self._width = max(self._width, len(text))
            self.stream.write('\r' + text.ljust(self._width))
            self.stream.flush()
        elif self.percent != self._shown_percent:
            self._print_line()

    def finish(self) -> None:
        """End the updating line, or print the final figures if the last plain line is behind them."""
        if self.interactive and self._width:
            self.stream.write('\n')
            self.stream.flush()
        elif not self.interactive and self._shown_text != self._text():
            self._print_line()

    def _text(self) -> str:
        return f'    {self.label}: {self.percent:3d}% done, {self.round_trips} round trips, {self.calls} SOAP calls'

    def _print_line(self) -> None:
        self._shown_percent = self.percent
        self._shown_text = self._text()
        print(self._shown_text, file=self.stream, flush=True)
