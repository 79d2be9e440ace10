"""What a request handler works with: the store, the tables, the clock and the company settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from qbsim.clock import Clock
from qbsim.errors import RequestError
from qbsim.schema.model import Tables
from qbsim.session import Session
from qbsim.status import FEATURE_OFF
from qbsim.store import Store

FIRST_LIST_NUMBER = 0x80000001


@dataclass(frozen=True)
class Stamp:
    """One write's time and EditSequence."""

    moment: datetime
    text: str
    utc: int
    edit_sequence: str


@dataclass
class Context:
    """Everything one message's requests share."""

    store: Store
    tables: Tables
    clock: Clock
    settings: dict
    version: str
    session: Session

    @property
    def edition(self) -> str:
        return self.settings['edition']

    def feature_on(self, feature: str | None) -> bool:
        return feature is None or bool(self.settings['features'].get(feature))

    def require_feature(self, feature: str | None) -> None:
        if not self.feature_on(feature):
            raise RequestError(*FEATURE_OFF)

    def stamp(self) -> Stamp:
        """Time of a write (never before the previous one) and a fresh, strictly increasing EditSequence.

        QuickBooks' EditSequence is the Unix time of the change; two writes in the same second must
        still differ, so the value is max(now, previous + 1). TimeModified keeps real seconds, shared
        by writes in the same second, which inclusive modified-date filters handle.
        """
        last_utc = int(self.store.get_meta('last_write_utc', 0))
        utc = max(int(self.clock.now().timestamp()), last_utc)
        last_sequence = int(self.store.get_meta('last_edit_sequence', 0))
        sequence = max(utc, last_sequence + 1)
        self.store.set_meta('last_write_utc', utc)
        self.store.set_meta('last_edit_sequence', sequence)
        moment = datetime.fromtimestamp(utc, UTC).astimezone(self.clock.zone)
        return Stamp(moment, self.clock.format(moment), utc, str(sequence))

    def new_list_id(self, stamp: Stamp) -> str:
        """ListIDs like QuickBooks' ``80000001-1234567890``: counter in hex, then creation time."""
        number = int(self.store.get_meta('next_list_number', FIRST_LIST_NUMBER))
        self.store.set_meta('next_list_number', number + 1)
        return f'{number:X}-{stamp.utc}'
