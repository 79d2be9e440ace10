"""The status-code policy table and the link transitions, piece by piece."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from onecrm_finance_qb.models.links import FirstSync, LinkStatus, SyncLink
from onecrm_finance_qb.qbxml import StatusClass, classify
from onecrm_finance_qb.sync import transitions
from onecrm_finance_qb.sync.policy import POLICY, Reaction, reaction

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


class Tally(dict[str, int]):
    """Counts like a run's ``SyncContext``."""

    def count(self, key: str, amount: int = 1) -> None:
        self[key] = self.get(key, 0) + amount


def test_every_status_class_has_a_reaction():
    assert set(POLICY) == set(StatusClass)


@pytest.mark.parametrize(
    ('code', 'expected'),
    [
        (0, Reaction.CONTINUE),
        (1, Reaction.CONTINUE),
        (500, Reaction.CONTINUE),
        (530, Reaction.CONTINUE),
        (3100, Reaction.LINK_BY_NAME),
        (3200, Reaction.REQUERY_AND_RETRY),
        (3170, Reaction.RETRY_LATER),
        (3175, Reaction.RETRY_LATER),
        (3176, Reaction.RETRY_LATER),
        (3180, Reaction.RETRY_LATER),
        (3140, Reaction.WAIT_FOR_DEPENDENCY),
        (3070, Reaction.BLOCK),
        (3120, Reaction.ERROR),
        (3250, Reaction.ERROR),
        (3000, Reaction.ERROR),
        (9999, Reaction.ERROR),
    ],
)
def test_reaction_per_code(code, expected):
    assert reaction(classify(code)) is expected


def test_a_3180_that_a_resend_would_repeat_is_an_error():
    assert reaction(classify(3180, 'The credit limit for the name on this transaction has been exceeded.')) is (
        Reaction.ERROR
    )


def link(status: LinkStatus = LinkStatus.PENDING_EXPORT) -> SyncLink:
    return SyncLink(status=status, first_sync=FirstSync.NOT_SYNCED, attempts=0, message='')


def in_flight(status_before: LinkStatus = LinkStatus.PENDING_EXPORT) -> SyncLink:
    """A link as ``transitions.send_all`` leaves it (that one is a statement, tested on each database)."""
    row = link(LinkStatus.IN_FLIGHT)
    row.status_before = status_before
    return row


def test_not_sent_restores_the_status():
    row = in_flight(LinkStatus.PENDING_UPDATE)
    transitions.not_sent(row)
    assert (row.status, row.status_before) == (LinkStatus.PENDING_UPDATE, None)


def test_synced_sets_first_sync_once_and_clears_the_problem():
    row = link(LinkStatus.IN_FLIGHT)
    row.message, row.attempts = 'old', 3
    transitions.synced(
        row,
        qb_id='80000001-1',
        edit_sequence='5',
        qb_modified_at=NOW,
        crm_modified_at=NOW,
        first_sync=FirstSync.EXPORTED,
        now=NOW,
    )
    assert (row.status, row.first_sync, row.message, row.attempts) == (LinkStatus.ENABLED, FirstSync.EXPORTED, '', 0)
    transitions.synced(
        row,
        qb_id='80000001-1',
        edit_sequence='6',
        qb_modified_at=NOW,
        crm_modified_at=NOW,
        first_sync=FirstSync.IMPORTED,
        now=NOW,
    )
    assert row.first_sync == FirstSync.EXPORTED


@pytest.mark.parametrize(
    ('action', 'blocked', 'error'),
    [
        ('add', LinkStatus.EXPORT_BLOCKED, LinkStatus.EXPORT_ERROR),
        ('mod', LinkStatus.UPDATE_BLOCKED, LinkStatus.UPDATE_ERROR),
        ('import', LinkStatus.IMPORT_BLOCKED, LinkStatus.IMPORT_ERROR),
    ],
)
def test_block_and_fail_per_action(action, blocked, error):
    row = link()
    tally = Tally()
    transitions.block(row, action, 'why', tally=tally, family='customers')
    assert (row.status, row.message) == (blocked, 'why')
    transitions.fail(row, action, 'broken', tally=tally, family='customers')
    assert (row.status, row.message, row.attempts) == (error, 'broken', 1)
    assert tally == {'customers.blocked': 1, 'customers.errored': 1}


def test_delete_failure_is_a_delete_error():
    row = link(LinkStatus.PENDING_DELETE)
    tally = Tally()
    transitions.fail(row, 'del', 'in use', tally=tally, family='items')
    assert row.status == LinkStatus.DELETE_ERROR
    assert tally == {'items.errored': 1}


def test_wait_keeps_the_pending_status_and_skips_the_rest_of_the_run():
    row = link()
    transitions.wait(row, LinkStatus.PENDING_EXPORT, 'currency not mapped', run_id=9)
    assert (row.status, row.message, row.last_run_id) == (LinkStatus.PENDING_EXPORT, 'currency not mapped', 9)


def test_retry_later_doubles_the_wait_up_to_a_day():
    row = in_flight()
    transitions.retry_later(row, 'busy', NOW, retry_minutes=5)
    assert (row.status, row.next_attempt_at) == (LinkStatus.PENDING_EXPORT, NOW + timedelta(minutes=5))
    transitions.retry_later(row, 'busy', NOW, retry_minutes=5)
    assert row.next_attempt_at == NOW + timedelta(minutes=10)
    row.attempts = 30
    transitions.retry_later(row, 'busy', NOW, retry_minutes=5)
    assert row.next_attempt_at == NOW + transitions.MAX_BACKOFF


def test_hold_stops_the_record():
    row = link(LinkStatus.PENDING_UPDATE)
    transitions.hold(row, 'both changed')
    assert (row.status, row.message) == (LinkStatus.HELD, 'both changed')
