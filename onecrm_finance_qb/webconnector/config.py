"""The Web Connector service's settings, read once per call from the settings store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from onecrm_finance_qb.settings_store import get_setting, set_setting
from onecrm_finance_qb.webconnector.qwc import new_guid


@dataclass(frozen=True)
class ServiceSettings:
    """Everything the SOAP operations need to know about the configuration."""

    owner_id: str
    always_request_file: bool
    ticket_idle: timedelta
    lockout_free_failures: int
    lockout_base: timedelta
    lockout_max: timedelta
    recheck: timedelta


def installation_owner_id(session: Session) -> str:
    """This installation's OwnerID: one random GUID, created on first use and kept for good.

    The original shared one constant OwnerID between every installation, so two CRMs syncing
    with one company file would read each other's private data; ours is per installation.
    """
    owner_id = get_setting(session, 'webconnector.owner_id')
    if not owner_id:
        owner_id = new_guid()
        set_setting(session, 'webconnector.owner_id', owner_id)
    return owner_id


def load_settings(session: Session) -> ServiceSettings:
    return ServiceSettings(
        owner_id=installation_owner_id(session),
        always_request_file=get_setting(session, 'server.limit_filename'),
        ticket_idle=timedelta(minutes=get_setting(session, 'webconnector.ticket_idle_minutes')),
        lockout_free_failures=get_setting(session, 'webconnector.lockout_free_failures'),
        lockout_base=timedelta(seconds=get_setting(session, 'webconnector.lockout_base_seconds')),
        lockout_max=timedelta(seconds=get_setting(session, 'webconnector.lockout_max_seconds')),
        recheck=timedelta(hours=get_setting(session, 'webconnector.recheck_hours')),
    )
