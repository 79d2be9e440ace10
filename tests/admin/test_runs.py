"""The run history, a run's detail page and the status screen's SVG chart."""

from __future__ import annotations

import json
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from lxml import etree

from hostcrm.extensions import db
from onecrm_finance_qb.admin.charts import build_chart
from onecrm_finance_qb.admin.run_history import RunFigures, parse_counts
from onecrm_finance_qb.models.base import utc_now
from onecrm_finance_qb.models.links import LinkStatus, SyncLink
from onecrm_finance_qb.models.requests import SentRequest
from onecrm_finance_qb.models.runs import SyncRun
from onecrm_finance_qb.sync import run_counts

from .conftest import XSS, add_server


def _add_run(app: Flask, server_id: int | None, age: timedelta, counts: dict, **fields) -> int:
    with app.app_context():
        started = utc_now() - age
        run = SyncRun(session_id=1, server_id=server_id, started_at=started, ended_at=started + timedelta(seconds=42),
                      result=fields.pop('result', 'success'), counts=json.dumps(counts), **fields)
        db.session.add(run)
        db.session.commit()
        return run.id


def test_history_lists_every_run_with_its_figures(app: Flask, client: FlaskClient) -> None:
    server_id = add_server(app, company_name=XSS)
    run_id = _add_run(app, server_id, timedelta(hours=1),
                      {'customers.imported': 3, 'items.exported': 4, 'customers.updated_in_qb': 2,
                       'items.errored': 1, 'lists.terms': 5}, message=XSS, requests_sent=7)
    with app.app_context():
        db.session.add_all([SentRequest(server_id=server_id, run_id=run_id, request_type='CustomerQuery',
                                        family='customers', action='import', state='answered', status_code=0)
                            for _ in range(3)])
        db.session.commit()
    html = client.get('/finance-qb/runs/').get_data(as_text=True)
    row = etree.HTML(html).xpath(f'//tr[@data-run="{run_id}"]')[0]
    cells = [cell.xpath('string()').strip() for cell in row.xpath('td')]
    assert cells[2:9] == ['42.0 s', '3', '3', '4', '2', '0', '1']
    assert cells[9] == 'Successfully completed sync'
    # QuickBooks-supplied and run text is escaped, never markup.
    assert XSS not in html
    assert '&lt;script&gt;' in html


def test_history_pages_by_run_id(app: Flask, client: FlaskClient) -> None:
    ids = [_add_run(app, None, timedelta(minutes=n), {}) for n in range(60)]
    first = etree.HTML(client.get('/finance-qb/runs/').get_data(as_text=True))
    shown = [int(value) for value in first.xpath('//tr/@data-run')]
    assert shown == sorted(ids, reverse=True)[:50]
    older = first.xpath('//a[@rel="next"]/@href')[0]
    second = etree.HTML(client.get(older).get_data(as_text=True))
    assert [int(value) for value in second.xpath('//tr/@data-run')] == sorted(ids, reverse=True)[50:]
    assert not second.xpath('//a[@rel="next"]')


def test_detail_page_shows_counts_requests_and_problems(app: Flask, client: FlaskClient) -> None:
    server_id = add_server(app)
    run_id = _add_run(app, server_id, timedelta(hours=2), {'items.exported': 2}, message='Synchronisation completed.')
    with app.app_context():
        db.session.add(SentRequest(server_id=server_id, run_id=run_id, request_type='ItemInventoryAdd', family='items',
                                   action='add', state='answered', status_code=3100))
        db.session.add(SyncLink(server_id=server_id, crm_kind='product', crm_id='p1', qb_type='ItemInventory',
                                name=XSS, status=LinkStatus.EXPORT_ERROR, message='QB error 3100', last_run_id=run_id))
        db.session.commit()
    html = client.get(f'/finance-qb/runs/{run_id}').get_data(as_text=True)
    page = etree.HTML(html)
    assert page.xpath('string(//table[@id="fqb-run-counts"]//td)') == 'items.exported'
    assert '3100' in page.xpath('string(//table[@id="fqb-run-requests"])')
    assert 'QB error 3100' in page.xpath('string(//table[@id="fqb-run-problems"])')
    assert XSS not in html
    assert client.get('/finance-qb/runs/999999').status_code == 404


def test_status_screen_chart_is_plain_svg_of_recent_runs(app: Flask, client: FlaskClient) -> None:
    server_id = add_server(app)
    recent = _add_run(app, server_id, timedelta(days=1), {'customers.imported': 8, 'customers.errored': 2})
    _add_run(app, server_id, timedelta(weeks=6), {'customers.imported': 99})
    html = client.get('/finance-qb/').get_data(as_text=True)
    page = etree.HTML(html)
    bars = page.xpath('//figure[@class="finance-qb-run-chart"]//*[local-name()="g"][@class="run-bar"]')
    assert [bar.get('data-run') for bar in bars] == [str(recent)]
    assert (bars[0].get('data-synced'), bars[0].get('data-failed')) == ('8', '2')
    assert not page.xpath('//figure[@class="finance-qb-run-chart"]//script')


def test_chart_without_runs_says_so(app: Flask, client: FlaskClient) -> None:
    add_server(app)
    html = client.get('/finance-qb/').get_data(as_text=True)
    assert 'No run in the last four weeks.' in html


def test_chart_scales_bars_to_round_gridlines() -> None:
    runs = [RunFigures(run=SyncRun(id=n, started_at=utc_now(), result='success'), server=None, requests=0,
                       counts={'a.imported': n * 10, 'a.errored': n}) for n in range(1, 4)]
    chart = build_chart(runs)
    assert [line.value for line in chart.gridlines] == [10, 20, 30, 40]
    tallest = max(chart.bars, key=lambda bar: bar.synced)
    assert tallest.synced == 30
    assert tallest.synced_height == round((chart.plot_bottom - 10) * 30 / 40, 2)
    assert all(bar.failed_height < bar.synced_height for bar in chart.bars)


def test_damaged_counts_read_as_none() -> None:
    assert parse_counts('not json') == {}
    assert parse_counts('[1, 2]') == {}
    assert parse_counts('{"a.imported": 2, "b": "x", "c": true}') == {'a.imported': 2}


def test_counted_events_fold_into_the_figures_of_every_family() -> None:
    counts = {'customers.imported': 2, 'vendors.linked': 1, 'items.updated_in_crm': 1, 'customers.exported': 3,
              'customers.verified': 1, 'items.updated_in_qb': 4, 'customers.blocked': 1, 'items.blocked': 2,
              'vendors.errored': 5, 'customers.retried': 7, 'customers.registered': 9, 'lists.terms': 3}
    assert run_counts.columns(counts) == {'imported': 4, 'exported': 4, 'updated': 4, 'blocked': 3, 'errored': 5}
