"""The paging state of one import query: light modified-date pages, their fetches, and when the cursor moves."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from onecrm_finance_qb.sync.handlers import paging
from onecrm_finance_qb.sync.handlers.paging import Page, PagedQuery, identity_of

NEWEST = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LATER = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@dataclass
class Answer:
    """The parts of a ``Response`` the paging reads."""

    status_code: int = 0
    status_message: str = 'Status OK'
    iterator_remaining_count: int = 0
    iterator_id: str | None = None


@dataclass
class Context:
    """A US run of a server whose cursors live in ``cursors``."""

    run_id: int = 1
    resumed_from: int | None = None
    is_us: bool = True
    cursors: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def run(self) -> Any:
        return type('Run', (), {'id': self.run_id})

    @property
    def server(self) -> Any:
        return type('Server', (), {'id': 7})

    @property
    def db(self) -> Context:
        return self

    def same_run(self, run_id: int | None) -> bool:
        return run_id is not None and run_id in (self.run_id, self.resumed_from)

    def setting(self, key: str) -> Any:
        assert key == 'sync.modified_overlap_minutes'
        return 5


@pytest.fixture
def ctx(monkeypatch: pytest.MonkeyPatch) -> Context:
    context = Context()

    def load(db: Context, server_id: int, key: str) -> dict[str, Any]:
        return dict(db.cursors.get(key, {}))

    def save(db: Context, server_id: int, key: str, value: dict[str, Any]) -> None:
        db.cursors[key] = dict(value)

    monkeypatch.setattr(paging.state, 'load', load)
    monkeypatch.setattr(paging.state, 'save', save)
    context.cursors['import:Customer'] = {'run': 0, 'full_pass': True, 'newest': NEWEST.isoformat()}
    return context


@pytest.fixture
def query() -> PagedQuery:
    return PagedQuery(
        'Customer', 'CustomerQuery', 'customers', iterable=True, fields={'ActiveStatus': 'All'}, identity=('ListID',)
    )


def _page(*modified: datetime) -> Page:
    page = Page(100)
    for moment in modified:
        page.add('A name', moment)
    return page


def _newest(ctx: Context) -> str:
    return ctx.cursors['import:Customer']['newest']


def test_a_modified_date_page_is_light_and_its_changes_are_fetched_whole_before_the_cursor_moves(ctx, query):
    [page] = query.plan(ctx, 100)
    assert page.fields['IncludeRetElement'] == ['ListID']
    assert page.context['light'] is True
    query.answered(ctx, Answer(), _page(NEWEST, LATER), ['80000001-1', '80000002-1'])

    [fetch] = query.plan(ctx, 100)
    assert (fetch.fields, fetch.context['fetch']) == ({'ListID': ['80000001-1', '80000002-1']}, True)
    assert _newest(ctx) == NEWEST.isoformat()
    query.fetched(ctx, Answer())

    assert query.plan(ctx, 100) == []
    assert _newest(ctx) == LATER.isoformat()


def test_the_next_page_goes_with_the_fetch_of_the_last_one(ctx, query):
    query.plan(ctx, 1)
    query.answered(ctx, Answer(iterator_remaining_count=3, iterator_id='{it}'), _page(NEWEST), ['80000001-1'])

    fetch, page = query.plan(ctx, 1)

    assert fetch.fields == {'ListID': ['80000001-1']}
    assert page.iterator == 'Continue'
    assert page.fields['IncludeRetElement'] == ['ListID']


@pytest.mark.parametrize(
    ('answer', 'moves'),
    [
        pytest.param(Answer(status_code=500, status_message='Not found'), True, id='some-deleted-since'),
        pytest.param(Answer(status_code=3170, status_message='Busy'), False, id='failed'),
        pytest.param(None, False, id='never-answered'),
    ],
)
def test_the_cursor_moves_only_when_every_change_was_fetched(ctx, query, answer, moves):
    query.plan(ctx, 100)
    query.answered(ctx, Answer(), _page(LATER), ['80000001-1'])
    query.plan(ctx, 100)
    if answer is not None:
        query.fetched(ctx, answer)

    assert query.plan(ctx, 100) == []

    assert _newest(ctx) == (LATER if moves else NEWEST).isoformat()


def test_a_resumed_run_fetches_what_the_cut_run_found_and_had_not_fetched(ctx, query):
    query.plan(ctx, 100)
    query.answered(ctx, Answer(), _page(LATER), ['80000001-1', '80000002-1'])
    query.plan(ctx, 1)

    resumed = Context(run_id=2, resumed_from=1, cursors=ctx.cursors)
    [fetch] = query.plan(resumed, 100)

    assert fetch.fields == {'ListID': ['80000001-1', '80000002-1']}
    query.fetched(resumed, Answer())
    assert query.plan(resumed, 100) == []
    assert _newest(resumed) == LATER.isoformat()


def test_a_new_run_reads_again_from_the_cursor_what_the_last_one_did_not_fetch(ctx, query):
    query.plan(ctx, 100)
    query.answered(ctx, Answer(), _page(LATER), ['80000001-1'])

    [page] = query.plan(Context(run_id=2, cursors=ctx.cursors), 100)

    assert page.fields['FromModifiedDate'] == datetime(2026, 3, 2, 8, 55, tzinfo=UTC)
    assert 'to_fetch' not in ctx.cursors['import:Customer']


def test_the_first_full_pass_asks_for_whole_records(ctx, query):
    ctx.cursors.clear()

    [page] = query.plan(ctx, 100)

    assert 'IncludeRetElement' not in page.fields
    assert 'FromModifiedDate' not in page.fields
    assert page.context['light'] is False


def test_the_pass_after_one_that_found_the_list_empty_is_light(ctx, query):
    ctx.cursors['import:Customer'] = {'run': 0, 'full_pass': True}

    [page] = query.plan(ctx, 100)

    assert page.fields['IncludeRetElement'] == ['ListID']
    assert 'FromModifiedDate' not in page.fields
    assert page.context['light'] is True


def test_a_write_asks_back_what_the_link_keeps_and_only_what_the_ret_has():
    assert paging.write_answer_of('Customer') == (
        'ListID', 'TimeModified', 'EditSequence', 'Name', 'FullName', 'IsActive', 'ParentRef'
    )
    assert paging.write_answer_of('Vendor') == ('ListID', 'TimeModified', 'EditSequence', 'Name', 'IsActive')
    assert paging.write_answer_of('ItemSalesTax') == ('ListID', 'TimeModified', 'EditSequence', 'Name', 'IsActive')


def test_a_light_page_names_only_elements_the_ret_has():
    assert identity_of('Customer') == ('ListID', 'TimeModified', 'EditSequence', 'Name', 'FullName')
    assert identity_of('Vendor') == ('ListID', 'TimeModified', 'EditSequence', 'Name')
