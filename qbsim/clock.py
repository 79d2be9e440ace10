"""The company's clock: local time with a fixed UTC offset, controllable in tests."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

# DATETIMETYPE of qbxmltypes130.xsd: a date, optionally followed by hour, minutes, seconds, offset.
DATETIME_PATTERN = re.compile(
    r'(?P<y>[0-9]{4})-(?P<mo>[0-9]{1,2})-(?P<d>[0-9]{1,2})'
    r'(T(?P<h>[0-9]{1,2})(:(?P<mi>[0-9]{1,2})(:(?P<s>[0-9]{1,2})(?P<off>[+-][0-9]{1,2}:[0-9]{1,2})?)?)?)?')


class Clock:
    """Wall-clock time in the company's zone; ``set``/``advance`` freeze it for deterministic tests."""

    def __init__(self, utc_offset_minutes: int) -> None:
        self.zone = timezone(timedelta(minutes=utc_offset_minutes))
        self._frozen: datetime | None = None

    def now(self) -> datetime:
        current = self._frozen or datetime.now(UTC)
        return current.astimezone(self.zone).replace(microsecond=0)

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError('the clock needs a timezone-aware datetime')
        self._frozen = moment

    def advance(self, seconds: int) -> None:
        self._frozen = self.now() + timedelta(seconds=seconds)

    def format(self, moment: datetime) -> str:
        """QuickBooks' DATETIMETYPE: local time, seconds, offset (2009-01-18T20:24:03-05:00)."""
        return moment.astimezone(self.zone).isoformat(timespec='seconds')

    def parse(self, text: str, *, end_of_day: bool = False) -> datetime:
        """A DATETIMETYPE from a request; no offset means company local time.

        Missing parts are the start of the period, or its end for an upper bound (``end_of_day``):
        a bare To date covers that whole day (qbxml-semantics.md section 5.2). Raises ValueError.
        """
        match = DATETIME_PATTERN.fullmatch(text)
        if match is None:
            raise ValueError(text)
        parts = match.groupdict()
        zone = self.zone
        if parts['off']:
            sign = -1 if parts['off'][0] == '-' else 1
            hours, minutes = (int(part) for part in parts['off'][1:].split(':'))
            zone = timezone(sign * timedelta(hours=hours, minutes=minutes))
        filler = 59 if end_of_day else 0
        hour = int(parts['h']) if parts['h'] else (23 if end_of_day else 0)
        return datetime(int(parts['y']), int(parts['mo']), int(parts['d']), hour,
                        int(parts['mi']) if parts['mi'] else filler, int(parts['s']) if parts['s'] else filler,
                        tzinfo=zone)
