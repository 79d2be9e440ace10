"""The run history, a run's detail page and the status screen's SVG chart."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree

from hostcrm.extensions import db
from hostcrm.models import User
from onecrm_finance_qb import request_log
from onecrm_finance_qb.admin.charts import build_chart
from onecrm_finance_qb.admin.run_history import RunFigures, count_rows, parse_counts
from onecrm_finance_qb.models.base import utc_now
from onecrm_finance_qb.models.links import LinkStatus, SyncLink
from onecrm_finance_qb.models.mappings import ListKind
from onecrm_finance_qb.models.requests import SentRequest
from onecrm_finance_qb.models.runs import SyncRun
from onecrm_finance_qb.sync import run_counts
from onecrm_finance_qb.sync.engine import default_families

from .conftest import ADMIN_ID, XSS, add_links, add_server


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
    run_id = _add_run(app, server_id, timedelta(hours=2), {'products.exported': 2, 'lists.terms': 3},
                      message='Synchronisation completed.')
    with app.app_context():
        db.session.add(SentRequest(server_id=server_id, run_id=run_id, request_type='ItemInventoryAdd', family='items',
                                   action='add', state='answered', status_code=3100))
        db.session.add(SyncLink(server_id=server_id, crm_kind='product', crm_id='p1', qb_type='ItemInventory',
                                name=XSS, status=LinkStatus.EXPORT_ERROR, message='QB error 3100', last_run_id=run_id))
        db.session.commit()
    html = client.get(f'/finance-qb/runs/{run_id}').get_data(as_text=True)
    page = etree.HTML(html)
    assert _cells(page.xpath('//tr[@data-count="products.exported"]')[0]) == ['Products', 'Exported', '2']
    assert _cells(page.xpath('//tr[@data-count="lists.terms"]')[0]) == ['Setup Lists', 'Payment Terms', '3']
    assert '3100' in page.xpath('string(//table[@id="fqb-run-requests"])')
    assert 'QB error 3100' in page.xpath('string(//table[@id="fqb-run-problems"])')
    assert XSS not in html
    assert client.get('/finance-qb/runs/999999').status_code == 404


def test_a_pruned_run_shows_the_same_requests(app: Flask, client: FlaskClient) -> None:
    """Past the retention a run's request rows become a summary on the run; its pages read the same."""
    server_id = add_server(app)
    run_id = _add_run(app, server_id, request_log.RETENTION + timedelta(days=1), {'products.exported': 2})
    recent_id = _add_run(app, server_id, timedelta(days=1), {})
    with app.app_context():
        db.session.add_all(
            [SentRequest(server_id=server_id, run_id=run_id, request_type='ItemInventoryAdd', family='items',
                         action='add', state='answered', status_code=code) for code in (0, 0, 3100)]
            + [SentRequest(server_id=server_id, run_id=recent_id, request_type='ItemQuery', family='items',
                           action='import', state='answered', status_code=0)]
        )
        db.session.commit()

    def pages() -> tuple[list[str], str]:
        history = etree.HTML(client.get('/finance-qb/runs/').get_data(as_text=True))
        detail = etree.HTML(client.get(f'/finance-qb/runs/{run_id}').get_data(as_text=True))
        return _cells(history.xpath(f'//tr[@data-run="{run_id}"]')[0]), etree.tostring(
            detail.xpath('//table[@id="fqb-run-requests"]')[0], encoding='unicode')

    before = pages()
    with app.app_context():
        assert request_log.prune(db.session, utc_now()) == 1
        db.session.commit()
        assert db.session.scalars(sa.select(SentRequest.run_id)).all() == [recent_id]
    assert before[0][3] == '3'
    assert '3100' in before[1]
    assert pages() == before

def _cells(row: etree._Element) -> list[str]:
    return [cell.xpath('string()').strip() for cell in row.xpath('td')]


def _speak(app: Flask, locale: str) -> None:
    with app.app_context():
        db.session.get(User, ADMIN_ID).locale = locale
        db.session.commit()


#: Words of the run's page already in the catalogs, by locale.
WORDS = {
    'en': {'Exported': 'Exported', 'Blocked': 'Blocked', 'Payment Terms': 'Payment Terms',
           'Inventory Part': 'Inventory Part', 'Product': 'Product', 'Export Error': 'Export Error',
           'Invoice': 'Invoice', 'Import Blocked': 'Import Blocked', 'Customer': 'Customer',
           'Import Error': 'Import Error', 'Counts by data type': 'Counts by data type', 'Products': 'Products',
           'Successfully completed sync': 'Successfully completed sync'},
    'fr_CA': {'Exported': 'Exporté', 'Blocked': 'Bloqués',
              'Payment Terms': 'Conditions de paiement', 'Inventory Part': 'Pièce en stock', 'Product': 'Produit',
              'Export Error': "Erreur d'exportation", 'Invoice': 'Facture', 'Import Blocked': 'Importation bloquée',
              'Customer': 'Client', 'Import Error': "Erreur d'importation",
              'Counts by data type': 'Nombres par type de données', 'Products': 'Produits',
              'Successfully completed sync': 'Synchronisation terminée avec succès'},
    'es': {'Exported': 'Exportado', 'Blocked': 'Bloqueados', 'Payment Terms': 'Condiciones de pago',
           'Inventory Part': 'Pieza de inventario', 'Product': 'Producto', 'Export Error': 'Error de exportación',
           'Invoice': 'Factura', 'Import Blocked': 'Importación bloqueada', 'Customer': 'Cliente',
           'Import Error': 'Error de importación', 'Counts by data type': 'Recuentos por tipo de datos',
           'Products': 'Productos', 'Successfully completed sync': 'Sincronización completada correctamente'},
}


@pytest.mark.parametrize('locale', list(WORDS))
def test_detail_page_reads_like_the_sync_lists_in_the_readers_language(app: Flask, client: FlaskClient,
                                                                       locale: str) -> None:
    server_id = add_server(app)
    run_id = _add_run(app, server_id, timedelta(hours=1),
                      {'customers.blocked': 1, 'products.exported': 2, 'lists.terms': 3, 'products.imported': 5,
                       'customers.frobbed': 6, 'legacy': 4})
    product, invoice, orphan = add_links(app, server_id, [
        {'crm_kind': 'product', 'crm_id': 'p1', 'qb_type': 'ItemInventory', 'name': XSS,
         'status': LinkStatus.EXPORT_ERROR, 'last_run_id': run_id},
        {'crm_kind': 'invoice', 'crm_id': 'i1', 'qb_type': 'Invoice', 'name': 'INV-1',
         'status': LinkStatus.IMPORT_BLOCKED, 'last_run_id': run_id},
        {'crm_id': None, 'qb_id': 'Q1', 'name': 'Only in QuickBooks', 'status': LinkStatus.IMPORT_ERROR,
         'last_run_id': run_id},
    ])
    _speak(app, locale)
    words = WORDS[locale]
    html = client.get(f'/finance-qb/runs/{run_id}').get_data(as_text=True)
    page = etree.HTML(html)

    assert words['Counts by data type'] in html
    assert page.xpath('string(//dd[@data-result])') == words['Successfully completed sync']
    history = etree.HTML(client.get('/finance-qb/runs/').get_data(as_text=True))
    [history_row] = history.xpath(f'//tr[@data-run="{run_id}"]')
    assert words['Successfully completed sync'] in _cells(history_row)
    counts = page.xpath('//table[@id="fqb-run-counts"]/tbody/tr')
    # The engine's order of families and of a record's way through the sync; keys it does not name come last.
    assert [row.get('data-count') for row in counts] == [
        'lists.terms', 'products.imported', 'products.exported', 'customers.blocked', 'customers.frobbed', 'legacy']
    by_key = {row.get('data-count'): _cells(row) for row in counts}
    assert by_key['lists.terms'][1:] == [words['Payment Terms'], '3']
    assert by_key['products.exported'] == [words['Products'], words['Exported'], '2']
    assert by_key['customers.blocked'][1:] == [words['Blocked'], '1']
    assert by_key['customers.frobbed'] == ['customers.frobbed', '6']
    assert by_key['legacy'] == ['legacy', '4']

    problems = {int(row.get('data-link')): row for row in page.xpath('//table[@id="fqb-run-problems"]/tbody/tr')}
    linkage = problems[product].xpath('td[@class="link-linkage"]')[0]
    assert linkage.xpath('a/@href') == ['/admin/product/edit/?id=p1']
    assert linkage.xpath('string(a)') == words['Product']
    assert words['Inventory Part'] in linkage.xpath('string()')
    assert problems[product].xpath('string(td[@class="link-name"])') == XSS
    assert _cells(problems[product])[2] == words['Export Error']
    # The host has no page for invoices, and a record only in QuickBooks has no CRM side: plain text.
    assert not problems[invoice].xpath('.//a')
    assert _cells(problems[invoice])[1:3] == [f'{words["Invoice"]} · {words["Invoice"]}', words['Import Blocked']]
    assert not problems[orphan].xpath('.//a')
    assert _cells(problems[orphan])[1:3] == [words['Customer'], words['Import Error']]
    assert XSS not in html
    assert '&lt;script&gt;' in html


def test_count_rows_name_every_family_list_and_column_event_the_engine_counts(app: Flask) -> None:
    with app.test_request_context():
        keys = [f'{family.name}.{event}' for family in default_families()
                for events in run_counts.COLUMN_EVENTS.values() for event in events]
        keys += [f'lists.{kind}' for kind in ListKind]
        rows = count_rows(dict.fromkeys(keys, 1))
    assert [row.key for row in rows if row.event is None] == []
    assert len(rows) == len(keys)


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
