"""Per-record links between a CRM record and a QuickBooks list element, and the conflicts seen on them.

One row per synchronised pair, per server: what the record is on both sides, where it stands
(the guide's first-sync and sync-status values, plus ``in_flight`` for a request whose outcome is
not known yet and ``held`` for a conflict waiting for the administrator), why it waits, and the
change marks that tell a later run whether either side moved. There is no foreign key into the
host's tables: the CRM side is a kind and an id the host contract understands.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, orm_insert_sentinel, validates

from onecrm_finance_qb.models.base import Base, UTCDateTime, utc_now
from onecrm_finance_qb.models.message_columns import MessageColumns


class FirstSync(StrEnum):
    """How the pair first came to be (the guide's First Sync column)."""

    NOT_SYNCED = 'not_synced'
    IMPORTED = 'imported'
    EXPORTED = 'exported'
    DELETED = 'deleted'


class LinkStatus(StrEnum):
    """The guide's Sync. Status values, plus the two states correctness needs."""

    ENABLED = 'enabled'
    DISABLED = 'disabled'
    PENDING_IMPORT = 'pending_import'
    PENDING_EXPORT = 'pending_export'
    PENDING_UPDATE = 'pending_update'
    PENDING_DELETE = 'pending_delete'
    IMPORT_BLOCKED = 'import_blocked'
    EXPORT_BLOCKED = 'export_blocked'
    UPDATE_BLOCKED = 'update_blocked'
    IMPORT_ERROR = 'import_error'
    EXPORT_ERROR = 'export_error'
    UPDATE_ERROR = 'update_error'
    DELETE_ERROR = 'delete_error'
    REGISTERED_ONLY = 'registered_only'
    #: An Add, Mod or Del was sent and its answer has not arrived: verified before anything is resent.
    IN_FLIGHT = 'in_flight'
    #: Changed on both sides while the data type's conflict policy is "hold for review".
    HELD = 'held'


class SyncLink(MessageColumns, Base):
    """One CRM record and its QuickBooks counterpart on one server."""

    __tablename__ = 'qb_links'
    __table_args__ = (
        sa.UniqueConstraint('server_id', 'qb_type', 'qb_id'),
        sa.UniqueConstraint('server_id', 'crm_kind', 'crm_id'),
        sa.Index('ix_qb_links_server_status', 'server_id', 'status'),
        # QuickBooks answers name records by ListID and checks names without regard to case: both
        # lookups run for every page and batch, so neither may read all of a server's links.
        sa.Index('ix_qb_links_server_qb_id', 'server_id', 'qb_id'),
        sa.Index('ix_qb_links_server_name_key', 'server_id', 'name_key'),
        # The lists' "newest first" (and oldest first) walk this in order, a page at a time; the id
        # breaks ties as it does in the lists' order and page tokens.
        sa.Index('ix_qb_links_server_modified', 'server_id', 'modified_sort', 'id'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    server_id: Mapped[int] = mapped_column(sa.Integer)
    #: Which host repository the CRM side lives in (``account``, ``product``...); None for a
    #: QuickBooks element that is only registered.
    crm_kind: Mapped[str] = mapped_column(sa.String(32))
    crm_id: Mapped[str | None] = mapped_column(sa.String(64))
    #: QuickBooks list type (``Customer``, ``Vendor``, ``ItemInventory``...).
    qb_type: Mapped[str] = mapped_column(sa.String(40))
    #: ListID, None until the record exists in QuickBooks.
    qb_id: Mapped[str | None] = mapped_column(sa.String(36))
    edit_sequence: Mapped[str | None] = mapped_column(sa.String(16))
    #: QuickBooks name (FullName), used for verification queries and case-insensitive uniqueness.
    name: Mapped[str] = mapped_column(sa.String(255), default='', index=True)
    #: ``name`` in lower case, kept by ``_keep_name_key``: what name lookups compare (SQL's LOWER()
    #: cannot use an index, and SQLite's lowers ASCII letters only).
    name_key: Mapped[str] = mapped_column(sa.String(255), default='')
    first_sync: Mapped[str] = mapped_column(sa.String(16), default=FirstSync.NOT_SYNCED)
    status: Mapped[str] = mapped_column(sa.String(24), default=LinkStatus.PENDING_EXPORT)
    # ``message`` (from MessageColumns): why the record waits or failed, in words for the administrator.
    #: The CRM record's modification time as of the last sync: a newer one is a local change.
    crm_modified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: QuickBooks TimeModified as of the last sync.
    qb_modified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_sync_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Failed attempts in a row (drives the backoff of transient errors).
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The run that last looked at the row: a row is taken at most once per stage and run, so rows
    #: that must wait never hold up the rows behind them.
    last_run_id: Mapped[int | None] = mapped_column(sa.Integer)
    #: The status to return to when an in-flight request turns out not to have been applied.
    status_before: Mapped[str | None] = mapped_column(sa.String(24))
    #: ListID of the parent (jobs).
    parent_qb_id: Mapped[str | None] = mapped_column(sa.String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    #: The lists' Date Modified, which they show and sort on: QuickBooks TimeModified, else when the
    #: link was made. An index must serve that order and MariaDB cannot index the COALESCE() itself,
    #: so the database computes and stores the value on every write, the ORM's and Core UPDATEs
    #: alike; the plugin never writes it. STORED because PostgreSQL 15 generates no other kind
    #: (and PostgreSQL 18 cannot index a virtual one). Nullable only because MariaDB refuses NOT
    #: NULL on a generated column: ``created_at`` is never NULL, so neither is this.
    modified_sort: Mapped[datetime] = mapped_column(
        UTCDateTime(), sa.Computed('COALESCE(qb_modified_at, created_at)', persisted=True), nullable=True,
    )
    #: Numbers the rows of one multi-row INSERT, so that SQLite's ids can be matched to the new
    #: links. Without it the session inserts a first sync's links one statement per row.
    insert_sentinel: Mapped[int | None] = orm_insert_sentinel()

    @validates('name')
    def _keep_name_key(self, _key: str, name: str) -> str:
        self.name_key = name_key(name)
        return name

    def __repr__(self) -> str:
        return f'<SyncLink({self.id!r}, {self.qb_type!r}, {self.name!r}, {self.status!r})>'


def name_key(name: str | None) -> str:
    """How a name is compared: QuickBooks names are unique regardless of case."""
    return (name or '').lower()


class ConflictPolicy(StrEnum):
    """What happens when both sides changed since the last sync."""

    CRM_WINS = 'crm_wins'
    QB_WINS = 'qb_wins'
    HOLD = 'hold'


class SyncConflict(Base):
    """A record changed on both sides between two syncs, and what the policy did about it."""

    __tablename__ = 'qb_conflicts'

    id: Mapped[int] = mapped_column(primary_key=True)
    server_id: Mapped[int] = mapped_column(sa.Integer, index=True)
    link_id: Mapped[int] = mapped_column(sa.Integer, index=True)
    qb_type: Mapped[str] = mapped_column(sa.String(40))
    name: Mapped[str] = mapped_column(sa.String(255), default='')
    #: The ``ConflictPolicy`` applied.
    policy: Mapped[str] = mapped_column(sa.String(16))
    crm_modified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    qb_modified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: QuickBooks' version as the CRM fields it would write (JSON, see ``sync.conflict_versions``),
    #: shown next to the CRM's; None when QuickBooks' data could not be read into CRM fields.
    qb_version: Mapped[str | None] = mapped_column(sa.Text)
    #: QuickBooks' EditSequence when the conflict was seen: keeping the CRM's version sends it with
    #: this one, so the next run neither takes the same QuickBooks change for a new conflict nor
    #: needs a re-query to update the record.
    qb_edit_sequence: Mapped[str | None] = mapped_column(sa.String(16))
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
