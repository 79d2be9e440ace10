"""Choosing what goes into a .qwc for this installation: URL, user name, OwnerID and FileID.

The FileID is what tells a pairing apart: a re-download for a known server reuses that server's
FileID, so QBWC keeps being recognised; while no server is primary, one pending FileID is handed
out until a server is accepted, so downloading twice does not create two strangers; a new
pairing can always be asked for explicitly.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from onecrm_finance_qb.models.servers import QBServer
from onecrm_finance_qb.settings_store import get_setting, set_setting
from onecrm_finance_qb.webconnector.config import installation_owner_id
from onecrm_finance_qb.webconnector.credentials import current_credential
from onecrm_finance_qb.webconnector.qwc import QwcError, QwcSpec, build_qwc, check_app_url, new_guid
from onecrm_finance_qb.webconnector.servers import primary_server

APP_NAME = 'Finance (QB)'
QWC_FILENAME = 'finance-qb.qwc'
SERVICE_PATH = '/finance-qb/qbwc'
SUPPORT_PATH = '/finance-qb/qbwc/support'


def service_url(base_url: str) -> str:
    return base_url.rstrip('/') + SERVICE_PATH


def file_id_for(db: Session, server_id: int | None = None, new_pairing: bool = False) -> str:
    if new_pairing:
        file_id = new_guid()
        set_setting(db, 'webconnector.pending_file_id', file_id)
        return file_id
    server = db.get(QBServer, server_id) if server_id is not None else primary_server(db)
    if server_id is not None and server is None:
        raise QwcError(f'No server {server_id}.')
    if server is not None and server.file_id:
        return server.file_id
    file_id = get_setting(db, 'webconnector.pending_file_id')
    if not file_id:
        file_id = new_guid()
        set_setting(db, 'webconnector.pending_file_id', file_id)
    return file_id


def build_installation_qwc(
    db: Session,
    app_url: str | None = None,
    server_id: int | None = None,
    new_pairing: bool = False,
    scheduler_minutes: int | None = None,
) -> bytes:
    """The .qwc for this installation; QwcError when the URL or the credential is missing or unusable.

    ``scheduler_minutes`` overrides the configured run interval for this file (0: no schedule).
    """
    credential = current_credential(db)
    if credential is None:
        raise QwcError('Set the sync user name and password first.')
    if not app_url:
        base_url = get_setting(db, 'webconnector.base_url')
        if not base_url:
            raise QwcError('Set the HTTPS server address first.')
        app_url = service_url(base_url)
    check_app_url(app_url)
    minutes = get_setting(db, 'webconnector.scheduler_minutes') if scheduler_minutes is None else scheduler_minutes
    spec = QwcSpec(
        app_name=APP_NAME,
        app_url=app_url,
        support_path=SUPPORT_PATH,
        user_name=credential.username,
        owner_id=installation_owner_id(db),
        file_id=file_id_for(db, server_id, new_pairing),
        scheduler_minutes=minutes or None,
    )
    return build_qwc(spec)
