"""What the status screen shows: the pairing light, the last run with its own light, and the rest."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from onecrm_finance_qb.models.runs import SyncRun
from onecrm_finance_qb.models.servers import QBServer
from onecrm_finance_qb.settings_store import get_setting
from onecrm_finance_qb.webconnector.credentials import current_credential
from onecrm_finance_qb.webconnector.servers import last_attempt, primary_server

#: Light of each run result; ``none`` is the result shown before any run.
RUN_LIGHTS = {'none': 'grey', 'in_progress': 'yellow', 'partial': 'yellow', 'aborted': 'red', 'success': 'green'}


@dataclass(frozen=True)
class ConnectorStatus:
    """``light`` is red (not paired), yellow (paired or seen, not enabled) or green (enabled)."""

    light: str
    primary: QBServer | None
    attempt: QBServer | None
    last_run: SyncRun | None
    base_url: str
    sync_username: str | None

    @property
    def run_result(self) -> str:
        return self.last_run.result if self.last_run else 'none'

    @property
    def run_light(self) -> str:
        return RUN_LIGHTS[self.run_result]


def connector_status(db: Session) -> ConnectorStatus:
    primary = primary_server(db)
    attempt = last_attempt(db)
    if primary is not None and get_setting(db, 'sync.allowed', primary.id):
        light = 'green'
    elif primary is not None or attempt is not None:
        light = 'yellow'
    else:
        light = 'red'
    credential = current_credential(db)
    return ConnectorStatus(
        light=light,
        primary=primary,
        attempt=attempt,
        last_run=db.scalars(sa.select(SyncRun).order_by(SyncRun.started_at.desc(), SyncRun.id.desc())).first(),
        base_url=get_setting(db, 'webconnector.base_url'),
        sync_username=credential.username if credential else None,
    )
