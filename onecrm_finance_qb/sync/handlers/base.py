"""What the engine asks of a family handler."""

from __future__ import annotations

from typing import Protocol

from onecrm_finance_qb.models.requests import SentRequest
from onecrm_finance_qb.qbxml import Response
from onecrm_finance_qb.sync.context import SyncContext
from onecrm_finance_qb.sync.planned import Planned
from onecrm_finance_qb.sync.transitions import SyncedWrite


class Family(Protocol):
    """A family of QuickBooks objects synced together, working through its stages in order.

    ``plan`` is called for a stage until it returns nothing; the stage is then over for the run.
    A stage that plans requests must make progress (send each row at most once per run), so the
    engine never loops.
    """

    name: str
    stages: tuple[str, ...]

    def plan(self, ctx: SyncContext, stage: str, limit: int) -> list[Planned]:
        """Up to ``limit`` requests for ``stage`` (an empty list ends the stage)."""
        ...

    def synced_in_bulk(self, ctx: SyncContext, sent: SentRequest, response: Response) -> SyncedWrite | None:
        """A plain confirmation of a write, as the link's write the engine records with the message's others.

        None leaves the answer to ``on_response``, with none of its records read.
        """
        ...

    def on_response(self, ctx: SyncContext, sent: SentRequest, response: Response) -> None:
        """Read QuickBooks' answer to one of our requests; its records must be consumed here."""
        ...

    def on_poisoned(self, ctx: SyncContext, sent: SentRequest, message: str) -> None:
        """The request alone made QuickBooks reject a whole message."""
        ...
