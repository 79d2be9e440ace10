"""Everything a family handler may use while planning requests or reading answers in one call of a run."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from onecrm_finance_qb.host import Host
from onecrm_finance_qb.models.runs import SyncRun
from onecrm_finance_qb.models.servers import QBServer
from onecrm_finance_qb.models.settings import Setting
from onecrm_finance_qb.qbxml import Edition
from onecrm_finance_qb.settings_registry import SettingScope, definition
from onecrm_finance_qb.settings_store import get_setting
from onecrm_finance_qb.sync.planned import Planned
from onecrm_finance_qb.webconnector.servers import server_info

#: Where the server's stored setting values are kept in ``SyncContext.cache``.
SETTINGS_CACHE_KEY = 'settings'


@dataclass
class SyncContext:
    """The server, the run, the host, the clock and the edition facts of one SOAP call."""

    db: Session
    host: Host
    server: QBServer
    run: SyncRun
    #: The ``<?qbxml version?>`` text (``13.0``, ``CA13.0``).
    version: str
    now: datetime
    #: The run this one resumes (cut by the request cap), whose finished work counts as this run's.
    resumed_from: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    #: Requests an answer calls for (a re-query, a lookup by name), sent before new work.
    followups: list[Planned] = field(default_factory=list)
    #: Lookups loaded once per call (list mappings), by whoever needs them.
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def country(self) -> str:
        return self.server.country or 'US'

    @property
    def is_us(self) -> bool:
        return self.country == 'US'

    @property
    def edition(self) -> Edition:
        return Edition(country=self.country)

    @cached_property
    def multicurrency(self) -> bool:
        """Whether the company file uses currencies, read once per call: handlers ask for every record.

        The answer sits in the server's stored company details (JSON), which only the connection
        itself rewrites, never the sync handling a call.
        """
        return bool(server_info(self.server).preferences.multicurrency)

    def same_run(self, run_id: int | None) -> bool:
        """Whether work marked with ``run_id`` was done in this run (or in the cut run it resumes)."""
        return run_id is not None and run_id in (self.run.id, self.resumed_from)

    def setting(self, key: str) -> Any:
        """The server's setting ``key``; the server's stored values are read in one query per call.

        Handlers ask for the same few settings for every record and every stage, so a query per
        question would cost more than the work itself.
        """
        declared = definition(key)
        if declared.scope is not SettingScope.SERVER:
            return get_setting(self.db, key, self.server.id)
        stored = self.cache.get(SETTINGS_CACHE_KEY)
        if stored is None:
            query = sa.select(Setting.category, Setting.name, Setting.value).where(Setting.server_id == self.server.id)
            stored = self.cache[SETTINGS_CACHE_KEY] = {
                (category, name): value for category, name, value in self.db.execute(query)
            }
        text = stored.get((declared.category, declared.name))
        return declared.default if text is None else declared.from_text(text)

    def count(self, key: str, amount: int = 1) -> None:
        """Add to the run's per-family counts shown by ``sync-status``."""
        self.counts[key] = self.counts.get(key, 0) + amount
