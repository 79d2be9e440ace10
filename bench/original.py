"""The original PHP module's figures for the same work, derived from its documented algorithm.

Source: the inventory of the original module (sections 3.1, 3.2 and 10.2). What it does, as far
as these figures are concerned:

- every QBWC run starts with the Setup phase, whose list queries (about ten, the Account query
  twice) go together in one message;
- list imports page with iterators of ``MaxReturned`` = the batch size, 20 by default; the
  continuations of one stage's iterators share a message;
- exports, re-queries and updates go 20 records (the batch size) per message, at most 100
  requests per message;
- every Mod is preceded by a query of the same record to refresh its EditSequence (pre_update);
- the ``import``, ``update`` and ``reg_update`` stages run once per phase per run, so at most one
  batch of 20 updates per phase per run;
- a run stops at 5,000 requests and the next run starts again at Setup;
- ``reg_update`` and new-record detection scan the whole CRM table of each phase on every pass.

Only the phases our sync covers are counted (setup lists, items, customers, vendors); CPU time
cannot be derived (the original is PHP on another stack), so no CPU figure is given for it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

BATCH = 20
MAX_REQUESTS_PER_MESSAGE = 100
REQUEST_CAP = 5000
#: Currency, ItemSalesTax, ItemDiscount, SalesTaxCode, Account (twice), CustomerType, Terms, PaymentMethod, ShipMethod.
SETUP_REQUESTS = 10
#: Item<T>Query for nine item types plus ItemQuery ActiveStatus=InactiveOnly.
ITEM_QUERIES = 10
#: Phases whose records are synced here: items, customers, vendors.
RECORD_PHASES = 3


@dataclass(frozen=True)
class OriginalFigures:
    """Round trips (sendRequestXML calls), requests, QBWC runs, and CRM rows its scans read."""

    round_trips: int
    requests: int
    runs: int
    rows_scanned: int


def _pages(count: int) -> int:
    return max(1, math.ceil(count / BATCH))


def _messages(requests: int) -> int:
    """Messages for ``requests`` records sent a batch at a time (at most 100 requests a message)."""
    return math.ceil(requests / min(BATCH, MAX_REQUESTS_PER_MESSAGE)) if requests else 0


def initial_sync(*, qb_customers: int, qb_vendors: int, qb_items: int, exported_customers: int,
                 exported_vendors: int, exported_items: int, crm_accounts: int, crm_products: int) -> OriginalFigures:
    """A first sync both ways: import everything QuickBooks has, export every CRM record it lacks."""
    import_trips = _pages(qb_items) + _pages(qb_customers) + _pages(qb_vendors)
    import_requests = (_pages(qb_items) + ITEM_QUERIES - 1) + _pages(qb_customers) + _pages(qb_vendors)
    exports = exported_customers + exported_vendors + exported_items
    export_trips = _messages(exported_items) + _messages(exported_customers) + _messages(exported_vendors)
    work_requests = import_requests + exports
    runs = max(1, math.ceil(work_requests / REQUEST_CAP))
    # Each later run starts over: Setup again, then one (date-filtered) import query per record phase.
    restart_trips = (runs - 1) * (1 + RECORD_PHASES)
    restart_requests = (runs - 1) * (SETUP_REQUESTS + ITEM_QUERIES + 2)
    return OriginalFigures(
        round_trips=runs + import_trips + export_trips + restart_trips,
        requests=runs * SETUP_REQUESTS + work_requests + restart_requests,
        runs=runs,
        rows_scanned=runs * _scanned_per_run(crm_accounts, crm_products),
    )


def incremental_run(*, crm_changes: int, qb_changes: int, crm_accounts: int, crm_products: int) -> OriginalFigures:
    """One run after ``crm_changes`` CRM accounts and ``qb_changes`` QuickBooks customers changed.

    Setup (1 round trip), items (date-filtered queries and the never-filtered inactive query,
    2), customers (date-filtered import, then a query and a Mod per changed record, one batch of 20
    per run), vendors (1). Updates beyond 20 wait for later runs.
    """
    updates = min(crm_changes, BATCH)
    customers_trips = _pages(qb_changes) + 2 * _messages(updates)
    return OriginalFigures(
        round_trips=1 + 2 + customers_trips + 1,
        requests=SETUP_REQUESTS + ITEM_QUERIES + _pages(qb_changes) + 2 * updates + 1,
        runs=1,
        rows_scanned=_scanned_per_run(crm_accounts, crm_products),
    )


def _scanned_per_run(crm_accounts: int, crm_products: int) -> int:
    """reg_update's UPDATE...JOIN and the export anti-join, over accounts (customers, vendors) and products."""
    return 2 * (2 * crm_accounts + crm_products)
