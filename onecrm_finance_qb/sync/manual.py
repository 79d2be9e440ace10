"""The administrator's operations on sync records, from the Entity, Item and Estimate/Invoice Sync lists.

Each works on the links a condition selects (the lists always restrict it to one server), in one
UPDATE where it can, so "select all" over a hundred thousand rows costs one statement. They fix
the original's holes: Enable Sync sends an import error back to import (never to export), Force
Re-Import asks QuickBooks for the selected records again by ListID, and nothing ever reaches rows
of another server. A link whose request is in flight is never touched: its outcome is unknown
until the next run verifies it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from onecrm_finance_qb.host import Host
from onecrm_finance_qb.models.base import utc_now
from onecrm_finance_qb.models.links import LinkStatus, SyncConflict, SyncLink
from onecrm_finance_qb.models.message_columns import CLEARED_MESSAGE
from onecrm_finance_qb.models.runs import SyncRun
from onecrm_finance_qb.models.servers import QBServer
from onecrm_finance_qb.stored_messages import N_
from onecrm_finance_qb.sync.context import SyncContext

#: Links handled per query when an operation must look at each CRM record.
CHUNK = 500
_PENDING_AGAIN = {
    LinkStatus.IMPORT_ERROR: LinkStatus.PENDING_IMPORT,
    LinkStatus.IMPORT_BLOCKED: LinkStatus.PENDING_IMPORT,
    LinkStatus.UPDATE_ERROR: LinkStatus.PENDING_UPDATE,
    LinkStatus.UPDATE_BLOCKED: LinkStatus.PENDING_UPDATE,
    LinkStatus.DELETE_ERROR: LinkStatus.PENDING_DELETE,
}
_UNTOUCHABLE = (LinkStatus.IN_FLIGHT,)


def _cleared() -> dict[str, Any]:
    """What every operation resets: the old message and the backoff of earlier failures."""
    return {**CLEARED_MESSAGE, 'attempts': 0, 'next_attempt_at': None}


def _update(db: Session, where: sa.ColumnElement[bool], values: dict[str, Any]) -> int:
    result = db.execute(
        sa.update(SyncLink).where(where, SyncLink.status.not_in(_UNTOUCHABLE)).values(**values)
        .execution_options(synchronize_session=False)
    )
    db.expire_all()
    return result.rowcount or 0


def _export_or_update() -> sa.Case:
    """Pending Export for a record QuickBooks does not have yet, Pending Update for one it has."""
    return sa.case((SyncLink.qb_id.is_(None), LinkStatus.PENDING_EXPORT.value), else_=LinkStatus.PENDING_UPDATE.value)


def force_update_in_qb(db: Session, where: sa.ColumnElement[bool]) -> int:
    """The CRM's version overwrites QuickBooks' at the next run (a record not exported yet is exported)."""
    selected = sa.and_(where, SyncLink.status.not_in((LinkStatus.PENDING_EXPORT, LinkStatus.HELD)))
    return _update(db, selected, {'status': _export_or_update(), **_cleared()})


def enable_sync(db: Session, where: sa.ColumnElement[bool]) -> int:
    """Clear the Error, Blocked and Disabled statuses so the failed action is tried again at the next run."""
    status = sa.case(
        *((SyncLink.status == old.value, new.value) for old, new in _PENDING_AGAIN.items()),
        (SyncLink.status.in_((LinkStatus.EXPORT_ERROR, LinkStatus.EXPORT_BLOCKED)), _export_or_update()),
        (SyncLink.qb_id.is_(None), LinkStatus.PENDING_EXPORT.value),
        else_=LinkStatus.ENABLED.value,
    )
    eligible = (*_PENDING_AGAIN, LinkStatus.EXPORT_ERROR, LinkStatus.EXPORT_BLOCKED, LinkStatus.DISABLED)
    return _update(db, sa.and_(where, SyncLink.status.in_(eligible)), {'status': status, **_cleared()})


def disable_sync(db: Session, where: sa.ColumnElement[bool]) -> int:
    """Nothing more is exported or updated for these records until Enable Sync."""
    selected = sa.and_(where, SyncLink.status != LinkStatus.DISABLED)
    return _update(db, selected, {'status': LinkStatus.DISABLED.value, 'message': ''})


def force_reimport(db: Session, where: sa.ColumnElement[bool]) -> int:
    """QuickBooks' version overwrites the CRM's: the records are asked for again by ListID at the next run.

    Forgetting the EditSequence and the modification time makes the next answer count as a change
    even when QuickBooks has not touched the record since.
    """
    selected = sa.and_(where, SyncLink.qb_id.is_not(None), SyncLink.status != LinkStatus.HELD)
    values = {'status': LinkStatus.PENDING_IMPORT.value, 'edit_sequence': None, 'qb_modified_at': None, **_cleared()}
    return _update(db, selected, values)


def _families() -> list[Any]:
    """The engine's record families: they know each kind's repository, registration and QuickBooks name."""
    from onecrm_finance_qb.sync.engine import default_families

    return [family for family in default_families() if hasattr(family, 'crm_kind')]


def _family_of(families: list[Any], link: SyncLink) -> Any:
    """The family a link belongs to: same CRM kind and one of its QuickBooks types (customers, not vendors)."""
    return next((family for family in families
                 if family.crm_kind == link.crm_kind and link.qb_type in family.qb_types()), None)


def _context(db: Session, host: Host, server: QBServer) -> SyncContext:
    """A context outside any Web Connector run; the run object only collects counts and is never stored."""
    return SyncContext(db=db, host=host, server=server, run=SyncRun(server_id=server.id),
                       version=server.qbxml_version, now=utc_now())


def register_local_changes(db: Session, host: Host, server: QBServer) -> dict[str, int]:
    """What every run does first, now: new CRM records become Pending Export, changed ones Pending Update."""
    ctx = _context(db, host, server)
    for family in _families():
        if 'register' in family.stages:
            family.plan(ctx, 'register', CHUNK)
    db.flush()
    return dict(ctx.counts)


def re_register(db: Session, host: Host, server: QBServer, where: sa.ColumnElement[bool]) -> int:
    """Look at the CRM record of each selected link again: refresh its name and take it out of Blocked.

    A blocked record goes back to pending, so the next run checks it again (and blocks it again,
    with its message, if it is still not right); a record changed since the last sync becomes
    Pending Update; a record gone from the CRM is disabled with the reason.
    """
    families = _families()
    ctx = _context(db, host, server)
    changed = 0
    last_id = 0
    while True:
        links = list(db.scalars(
            sa.select(SyncLink).where(where, SyncLink.id > last_id, SyncLink.status.not_in(_UNTOUCHABLE))
            .order_by(SyncLink.id).limit(CHUNK)
        ))
        if not links:
            break
        last_id = links[-1].id
        changed += sum(_re_register_one(ctx, _family_of(families, link), link) for link in links)
        db.flush()
    return changed


def _re_register_one(ctx: SyncContext, family: Any, link: SyncLink) -> bool:
    if family is None or link.crm_id is None:
        return False
    record = family.repository(ctx).get(link.crm_id)
    before = (link.status, link.name, link.message)
    if record is None or record.deleted:
        link.status = LinkStatus.DISABLED
        link.message = N_('Related object could not be found.') if record is None else N_(
            'Related object is marked deleted.')
        return before != (link.status, link.name, link.message)
    if link.qb_id is None:
        link.name = family.qb_name(record)[:255]
    changed_in_crm = link.crm_modified_at is None or record.date_modified > link.crm_modified_at
    if link.status == LinkStatus.EXPORT_BLOCKED:
        link.status, link.message = LinkStatus.PENDING_EXPORT, ''
    elif link.status == LinkStatus.UPDATE_BLOCKED or (link.status == LinkStatus.ENABLED and link.qb_id
                                                      and changed_in_crm):
        link.status, link.message = LinkStatus.PENDING_UPDATE, ''
    return before != (link.status, link.name, link.message)


def resolve_conflict(db: Session, conflict: SyncConflict, keep: str) -> None:
    """Settle a conflict held for review: ``keep`` is ``crm`` (send the CRM's version) or ``qb`` (take QuickBooks').

    Keeping the CRM's version takes QuickBooks' EditSequence of the conflict as the one the CRM's
    Mod goes with: the next run's import then sees that QuickBooks change as already settled. If
    QuickBooks changed the record again since, the EditSequences differ and the record is held
    again, since that change is one nobody has reviewed. Keeping QuickBooks' version asks for the
    record again by ListID, so the CRM gets QuickBooks' current data, never a stale copy.
    """
    link = db.get(SyncLink, conflict.link_id)
    if link is not None and link.status == LinkStatus.HELD:
        if keep == 'crm':
            link.status = LinkStatus.PENDING_UPDATE
            if conflict.qb_edit_sequence is not None:
                link.edit_sequence, link.qb_modified_at = conflict.qb_edit_sequence, conflict.qb_modified_at
        else:
            link.status, link.edit_sequence, link.qb_modified_at = LinkStatus.PENDING_IMPORT, None, None
        link.message, link.attempts, link.next_attempt_at = '', 0, None
    conflict.resolved_at = utc_now()
    db.flush()


def held_conflicts(db: Session, server_id: int, limit: int) -> Iterable[tuple[SyncConflict, SyncLink | None]]:
    """Conflicts waiting for the administrator, oldest first, with their links."""
    conflicts = list(db.scalars(
        sa.select(SyncConflict)
        .where(SyncConflict.server_id == server_id, SyncConflict.resolved_at.is_(None))
        .order_by(SyncConflict.id).limit(limit)
    ))
    links = {link.id: link for link in db.scalars(
        sa.select(SyncLink).where(SyncLink.id.in_([conflict.link_id for conflict in conflicts])))}
    return [(conflict, links.get(conflict.link_id)) for conflict in conflicts]
