"""What a run did, counted as it happened: the run history, the run's page and ``sync-status`` agree."""

from __future__ import annotations

import pytest

from onecrm_finance_qb.models.links import LinkStatus

from .admin_pages import admin_client, page, summary

pytestmark = pytest.mark.slow

#: Longer than the 41 characters QuickBooks allows a customer name: blocked before anything is sent.
TOO_LONG = 'Globex Corporation International Holdings Ltd'


def test_a_blocked_and_an_errored_customer_are_counted_once(us_bench, poison, monkeypatch):
    bench = us_bench
    bench.add_account('Acme Widgets')
    bench.add_account(TOO_LONG)
    poison_pill = bench.add_account('Poison Pill')
    poison('Poison Pill')
    assert bench.update().completed
    links = bench.links('Customer')
    assert links[TOO_LONG].status == LinkStatus.EXPORT_BLOCKED
    assert links['Poison Pill'].status == LinkStatus.EXPORT_ERROR
    assert links['Acme Widgets'].status == LinkStatus.ENABLED

    [run] = bench.status()['runs'][:1]
    assert (run['exported'], run['blocked'], run['errored']) == (1, 1, 1)
    assert run['counts']['customers.blocked'] == run['counts']['customers.errored'] == 1

    client = admin_client(bench)
    detail = page(client, f'/finance-qb/runs/{run["id"]}')
    figures = summary(detail)
    assert (figures['Exported'], figures['Blocked'], figures['Errored']) == ('1', '1', '1')
    # Every event the engine counted reads as a data type and an event, none as a raw key.
    counted = detail.xpath('//table[@id="fqb-run-counts"]/tbody/tr')
    assert sorted(row.get('data-count') for row in counted) == sorted(run['counts'])
    assert [row.get('data-count') for row in counted if len(row.xpath('td')) != 3] == []
    problems = {row.xpath('string(td[@class="link-name"])'): row
                for row in detail.xpath('//table[@id="fqb-run-problems"]/tbody/tr')}
    assert problems[TOO_LONG].xpath('string(td[contains(@class, "link-status")])') == 'Export Blocked'
    assert problems['Poison Pill'].xpath('string(td[contains(@class, "link-status")])') == 'Export Error'
    assert problems['Poison Pill'].xpath('td[@class="link-linkage"]/a/@href') == [
        f'/admin/account/edit/?id={poison_pill}']
    [row] = page(client, '/finance-qb/runs/').xpath(f'//tr[@data-run="{run["id"]}"]')
    cells = [cell.xpath('string()').strip() for cell in row.xpath('td')]
    assert cells[5:9] == ['1', '0', '1', '1']

    # Still blocked and errored, but nothing new happened to them: the next run counts nothing.
    monkeypatch.undo()
    assert bench.update().completed
    latest = bench.status()['runs'][0]
    assert (latest['blocked'], latest['errored']) == (0, 0)
