"""Every change of a link's sync status, in one place, so each transition is named and tested.

Handlers never assign ``status`` directly: they call these, which also keep the message, the
attempt counter and the backoff consistent. A record becoming Blocked or Error is counted here
for the run's figures (``<family>.blocked``, ``<family>.errored``), so no path can forget it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from onecrm_finance_qb.models.base import UTCDateTime
from onecrm_finance_qb.models.links import FirstSync, LinkStatus, SyncLink, name_key
from onecrm_finance_qb.models.message_columns import message_values
from onecrm_finance_qb.stored_messages import Message

#: ``first_sync`` of a link that has not been synced yet. None is a link created in this call and
#: not flushed yet (a page of imports is written in one flush), whose column defaults are not set;
#: ``attempts`` is None then too.
_NEVER_SYNCED = (None, FirstSync.NOT_SYNCED, FirstSync.DELETED)
#: A transient error waits ``retry_minutes * 2**(attempts-1)``, but never longer than this.
MAX_BACKOFF = timedelta(days=1)


class Tally(Protocol):
    """Where a run counts what happened to its records (``SyncContext``)."""

    def count(self, key: str, amount: int = 1) -> None: ...


_ERROR_FOR = {
    'add': LinkStatus.EXPORT_ERROR,
    'mod': LinkStatus.UPDATE_ERROR,
    'del': LinkStatus.DELETE_ERROR,
    'import': LinkStatus.IMPORT_ERROR,
}

_BLOCKED_FOR = {
    'add': LinkStatus.EXPORT_BLOCKED,
    'mod': LinkStatus.UPDATE_BLOCKED,
    'import': LinkStatus.IMPORT_BLOCKED,
}


def send_all(db: Session, link_ids: Collection[int], run_id: int) -> None:
    """The requests are in a message QuickBooks has: their outcome is unknown until the answer comes.

    One UPDATE for a whole message's links. ``status_before`` is assigned first on purpose: MySQL
    and MariaDB apply an UPDATE's assignments left to right, so ``status`` must still be the old
    value when it is copied. Links the session holds have the three columns read again when used.
    """
    if not link_ids:
        return
    db.execute(
        sa.update(SyncLink)
        .where(SyncLink.id.in_(sorted(link_ids)))
        .ordered_values(
            (SyncLink.status_before, SyncLink.status),
            (SyncLink.status, LinkStatus.IN_FLIGHT),
            (SyncLink.last_run_id, run_id),
        ),
        execution_options={'synchronize_session': 'fetch'},
    )


def not_sent(link: SyncLink) -> None:
    """The message never reached QuickBooks' processing (it failed whole): back to where it was."""
    if link.status == LinkStatus.IN_FLIGHT and link.status_before:
        link.status = link.status_before
    link.status_before = None


def synced(
    link: SyncLink,
    *,
    qb_id: str,
    edit_sequence: str | None,
    qb_modified_at: datetime | None,
    crm_modified_at: datetime | None,
    first_sync: FirstSync | None,
    now: datetime,
) -> None:
    """Both sides agree: the record is Enabled, ready to be updated again when either side changes.

    ``synced_all`` writes the same (with ``synced_with``'s additions) in one statement: they must stay alike.
    """
    link.qb_id = qb_id
    link.edit_sequence = edit_sequence
    link.qb_modified_at = qb_modified_at or link.qb_modified_at
    link.crm_modified_at = crm_modified_at or link.crm_modified_at
    if first_sync is not None and link.first_sync in _NEVER_SYNCED:
        link.first_sync = first_sync
    link.message = ''
    for column, value in _AGREED.items():
        setattr(link, column, value)
    link.last_sync_at = now


#: What a synced link holds whatever it held before, besides its cleared message and its sync time.
_AGREED = {'status': LinkStatus.ENABLED, 'status_before': None, 'attempts': 0, 'next_attempt_at': None}


@dataclass(frozen=True, slots=True)
class SyncedWrite:
    """A write QuickBooks confirmed, as its link records it: ``synced``'s values, and the name,
    parent and note the record QuickBooks sent back gives the link."""

    qb_id: str
    edit_sequence: str | None
    qb_modified_at: datetime | None
    crm_modified_at: datetime | None
    first_sync: FirstSync | None
    name: str
    parent_qb_id: str | None
    message: Message | str = ''


def synced_with(link: SyncLink, write: SyncedWrite, now: datetime) -> None:
    """``synced`` with what the record QuickBooks sent back gives the link: its name, parent and note."""
    synced(
        link,
        qb_id=write.qb_id,
        edit_sequence=write.edit_sequence,
        qb_modified_at=write.qb_modified_at,
        crm_modified_at=write.crm_modified_at,
        first_sync=write.first_sync,
        now=now,
    )
    link.name = write.name
    link.parent_qb_id = write.parent_qb_id
    if write.message:
        link.message = write.message


def synced_all(db: Session, writes: Mapping[int, SyncedWrite], now: datetime) -> None:
    """``synced_with`` for many links (by link id), in one UPDATE statement run for each of them.

    Loading each link as an object, setting its columns one by one and flushing it cost more
    than the rest of reading the answer. A link the session holds is expired, so it is read
    again when used. The UPDATE goes to the links' table, past the session: it holds nothing
    to flush for these links, which only the answer changes.

    Nearly every answer gives the link the name it already has. Those links are written by a
    statement that leaves the name columns out: SQLite rewrites the entries of every index on a
    column an UPDATE sets, changed or not, and the two name indexes are in alphabetical order, so
    a message's links sit on a different page of each: writing them anyway made the commit of a
    message's answers write about 500 pages instead of about 145.
    """
    if not writes:
        return
    names = _names(db, list(writes))
    renamed, same_name = [], []
    for link_id, write in writes.items():
        parameters = _synced_parameters(link_id, write, now)
        if names.get(link_id) == write.name:
            same_name.append(parameters)
        else:
            parameters.update(b_name=write.name, b_name_key=name_key(write.name))
            renamed.append(parameters)
    if renamed:
        db.execute(_SYNCED_ALL, renamed)
    if same_name:
        db.execute(_SYNCED_ALL_SAME_NAME, same_name)
    for link_id in writes:
        link = db.identity_map.get(identity_key(SyncLink, link_id))
        if link is not None:
            db.expire(link)


def _names(db: Session, link_ids: Collection[int]) -> dict[int, str]:
    """The names the links hold now, in one statement, as ``send_all`` marks a message's links."""
    links = SyncLink.__table__.c
    return dict(db.execute(sa.select(links.id, links.name).where(links.id.in_(link_ids))).all())


def _synced_parameters(link_id: int, write: SyncedWrite, now: datetime) -> dict[str, object]:
    """The values both statements bind; a renamed link's name is added by ``synced_all``."""
    message = {f'b_{column}': value for column, value in message_values(write.message).items()}
    return {
        'b_link_id': link_id,
        'b_qb_id': write.qb_id,
        'b_edit_sequence': write.edit_sequence,
        'b_qb_modified_at': write.qb_modified_at,
        'b_crm_modified_at': write.crm_modified_at,
        'b_first_sync': write.first_sync,
        'b_parent_qb_id': write.parent_qb_id,
        'b_now': now,
        **message,
    }


def _synced_all_statement(*, renamed: bool) -> sa.Update:
    """``synced``'s rules as one UPDATE by link id, its values bound per link (named apart from the columns).

    ``name_key`` follows ``name``, so a link whose name stays keeps both (``renamed=False``).
    """
    links = SyncLink.__table__.c
    never_synced = sa.or_(links.first_sync.is_(None), *(links.first_sync == value for value in _NEVER_SYNCED if value))
    name = {'name': sa.bindparam('b_name'), 'name_key': sa.bindparam('b_name_key')} if renamed else {}
    return (
        sa.update(SyncLink.__table__)
        .where(links.id == sa.bindparam('b_link_id'))
        .values(
            qb_id=sa.bindparam('b_qb_id'),
            edit_sequence=sa.bindparam('b_edit_sequence'),
            qb_modified_at=sa.func.coalesce(
                sa.bindparam('b_qb_modified_at', type_=UTCDateTime()), links.qb_modified_at
            ),
            crm_modified_at=sa.func.coalesce(
                sa.bindparam('b_crm_modified_at', type_=UTCDateTime()), links.crm_modified_at
            ),
            first_sync=sa.func.coalesce(sa.case((never_synced, sa.bindparam('b_first_sync'))), links.first_sync),
            parent_qb_id=sa.bindparam('b_parent_qb_id'),
            message=sa.bindparam('b_message'),
            message_key=sa.bindparam('b_message_key'),
            message_plural=sa.bindparam('b_message_plural'),
            message_args=sa.bindparam('b_message_args'),
            last_sync_at=sa.bindparam('b_now', type_=UTCDateTime()),
            **name,
            **_AGREED,
        )
    )


_SYNCED_ALL = _synced_all_statement(renamed=True)
_SYNCED_ALL_SAME_NAME = _synced_all_statement(renamed=False)


def wait(link: SyncLink, status: LinkStatus, message: Message | str, run_id: int) -> None:
    """The record cannot go yet (a mapping or a dependency is missing): it keeps its pending status,
    says why, and is skipped for the rest of this run so the rows behind it go on."""
    link.status = status
    link.status_before = None
    link.message = message
    link.last_run_id = run_id


def block(link: SyncLink, action: str, message: Message | str, *, tally: Tally, family: str) -> None:
    """Something about the record must be fixed in the CRM (Export/Update/Import Blocked)."""
    link.status = _BLOCKED_FOR.get(action, LinkStatus.EXPORT_BLOCKED)
    link.status_before = None
    link.message = message
    tally.count(f'{family}.blocked')


def fail(link: SyncLink, action: str, message: Message | str, *, tally: Tally, family: str) -> None:
    """A non-recoverable failure: the guide's Error statuses, cleared by Enable Sync."""
    link.status = _ERROR_FOR.get(action, LinkStatus.EXPORT_ERROR)
    link.status_before = None
    link.message = message
    link.attempts = (link.attempts or 0) + 1
    tally.count(f'{family}.errored')


def retry_later(link: SyncLink, message: Message | str, now: datetime, retry_minutes: int) -> None:
    """A temporary QuickBooks error: back to the status before sending, tried again after a backoff."""
    not_sent(link)
    link.attempts = (link.attempts or 0) + 1
    delay = timedelta(minutes=retry_minutes) * (2 ** (link.attempts - 1))
    link.next_attempt_at = now + min(delay, MAX_BACKOFF)
    link.message = message


def hold(link: SyncLink, message: Message | str) -> None:
    """Changed on both sides under the "hold for review" policy: nothing moves until someone decides."""
    link.status = LinkStatus.HELD
    link.message = message
