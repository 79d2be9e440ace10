"""A record changed on both sides under "hold for review": both versions on the conflicts page, then settled."""

from __future__ import annotations

import pytest

from onecrm_finance_qb.models.links import LinkStatus

from . import qb
from .admin_pages import admin_client, page, post_form

pytestmark = pytest.mark.slow


def _field(article, label: str) -> tuple[str, str, bool]:
    """The CRM value, the QuickBooks value and whether the row is marked as differing, for ``label``."""
    [row] = article.xpath(f'.//tr[th[normalize-space()="{label}"]]')
    return (
        row.xpath('string(td[@class="crm-value"])'),
        row.xpath('string(td[@class="qb-value"])'),
        'fqb-differs' in row.get('class'),
    )


@pytest.fixture
def held(us_bench):
    """Globex changed its phone in the CRM (555-1000) and in QuickBooks (555-2000), held for review."""
    bench = us_bench
    bench.globex = bench.add_account('Globex Corporation', phone_office='555-0199', email='ap@globex.example')
    assert bench.update().completed
    bench.cli('config', 'set', 'conflict.customers', 'hold')
    bench.edit_account(bench.globex, phone_office='555-1000')
    qb.modify(bench, 'Customer', 'Globex Corporation', '<Phone>555-2000</Phone>')
    assert bench.update().completed
    assert bench.links('Customer')['Globex Corporation'].status == LinkStatus.HELD
    return bench


@pytest.mark.parametrize(('keep', 'phone'), [('qb', '555-2000'), ('crm', '555-1000')])
def test_held_record_shows_both_versions_and_the_choice_wins_at_the_next_run(held, keep, phone):
    bench = held
    client = admin_client(bench)
    [article] = page(client, '/finance-qb/conflicts').xpath('//article[@class="fqb-conflict"]')
    assert _field(article, 'Office phone') == ('555-1000', '555-2000', True)
    assert _field(article, 'Email') == ('ap@globex.example', 'ap@globex.example', False)
    assert _field(article, 'Name') == ('Globex Corporation', 'Globex Corporation', False)
    conflict_id = article.get('data-conflict')

    html = post_form(client, '/finance-qb/conflicts', f'/finance-qb/conflicts/{conflict_id}', keep=keep)
    assert 'No conflict is waiting for review.' in html
    result = bench.update()
    assert result.completed
    assert bench.account(bench.globex).phone_office == phone
    assert bench.qb('CustomerRet')['Globex Corporation']['Phone'] == phone
    if keep == 'qb':
        assert 'CustomerMod' not in result.requests_by_type
    else:
        # Sent once, with QuickBooks' EditSequence of the conflict: no stale-EditSequence round trip.
        assert result.responses_by_status['CustomerMod'] == {0: 1}
    assert bench.links('Customer')['Globex Corporation'].status == LinkStatus.ENABLED
    [conflict] = bench.status()['conflicts']
    assert conflict['resolved_at'] is not None
    # Settled for good: neither side sends the record back, and it is not held again.
    again = bench.update()
    assert again.completed
    assert 'CustomerMod' not in again.requests_by_type
    assert bench.links('Customer')['Globex Corporation'].status == LinkStatus.ENABLED
    assert len(bench.status()['conflicts']) == 1
