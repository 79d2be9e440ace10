"""Every change of a link's sync status, in one place, so each transition is named and tested.

Handlers never assign ``status`` directly: they call these, which also keep the message, the
attempt counter and the backoff consistent. A record becoming Blocked or Error is counted here
for the run's figures (``<family>.blocked``, ``<family>.errored``), so no path can forget it.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session

from onecrm_finance_qb.models.links import FirstSync, LinkStatus, SyncLink
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
    """Both sides agree: the record is Enabled, ready to be updated again when either side changes."""
    link.qb_id = qb_id
    link.edit_sequence = edit_sequence
    link.qb_modified_at = qb_modified_at or link.qb_modified_at
    link.crm_modified_at = crm_modified_at or link.crm_modified_at
    if first_sync is not None and link.first_sync in _NEVER_SYNCED:
        link.first_sync = first_sync
    link.status = LinkStatus.ENABLED
    link.status_before = None
    link.message = ''
    link.attempts = 0
    link.next_attempt_at = None
    link.last_sync_at = now


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
