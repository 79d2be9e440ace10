"""The Web Connector service's settings, read once per call from the settings store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from onecrm_finance_qb.settings_store import get_setting, get_settings, set_setting
from onecrm_finance_qb.webconnector.qwc import new_guid

OWNER_ID_KEY = 'webconnector.owner_id'
#: Every setting ``load_settings`` reads.
SERVICE_KEYS = (
    OWNER_ID_KEY,
    'server.limit_filename',
    'webconnector.ticket_idle_minutes',
    'webconnector.lockout_free_failures',
    'webconnector.lockout_base_seconds',
    'webconnector.lockout_max_seconds',
    'webconnector.recheck_hours',
)


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


def installation_owner_id(session: Session, stored: str | None = None) -> str:
    """This installation's OwnerID: one random GUID, created on first use and kept for good.

    The original shared one constant OwnerID between every installation, so two CRMs syncing
    with one company file would read each other's private data; ours is per installation.
    ``stored`` is the value already read with other settings, if any.
    """
    owner_id = stored if stored is not None else get_setting(session, OWNER_ID_KEY)
    if not owner_id:
        owner_id = new_guid()
        set_setting(session, OWNER_ID_KEY, owner_id)
    return owner_id


def load_settings(session: Session) -> ServiceSettings:
    """The service's settings, read in one query: the service is built on every SOAP call."""
    values = get_settings(session, SERVICE_KEYS)
    return ServiceSettings(
        owner_id=installation_owner_id(session, values[OWNER_ID_KEY]),
        always_request_file=values['server.limit_filename'],
        ticket_idle=timedelta(minutes=values['webconnector.ticket_idle_minutes']),
        lockout_free_failures=values['webconnector.lockout_free_failures'],
        lockout_base=timedelta(seconds=values['webconnector.lockout_base_seconds']),
        lockout_max=timedelta(seconds=values['webconnector.lockout_max_seconds']),
        recheck=timedelta(hours=values['webconnector.recheck_hours']),
    )
