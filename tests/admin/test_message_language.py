"""The run history, a run's page and the sync lists show stored messages in the reader's language."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

from hostcrm.extensions import db
from hostcrm.models import User
from onecrm_finance_qb.models.base import utc_now
from onecrm_finance_qb.models.links import LinkStatus
from onecrm_finance_qb.models.runs import SyncRun
from onecrm_finance_qb.stored_messages import N_

from .conftest import ADMIN_ID, add_links, add_server, csrf_token, get_link

STOPPED = N_('Stopped after %(cap)s requests, the limit of one update; the next update resumes here.', cap=5000)
STOPPED_EN = 'Stopped after 5000 requests, the limit of one update; the next update resumes here.'
STOPPED_FR = "Arrêt après 5000 requêtes, la limite d'une mise à jour; la prochaine mise à jour reprendra ici."
#: A row written before messages kept their source: in the language of the run that wrote it.
LEGACY = 'QuickBooks a envoyé une réponse illisible.'


def _runs(app: Flask, server_id: int) -> tuple[int, int]:
    with app.app_context():
        runs = [
            SyncRun(session_id=1, server_id=server_id, started_at=utc_now(), result='partial', message=message)
            for message in (LEGACY, STOPPED)
        ]
        db.session.add_all(runs)
        db.session.commit()
        return runs[0].id, runs[1].id


def _speak(app: Flask, locale: str) -> None:
    with app.app_context():
        db.session.get(User, ADMIN_ID).locale = locale
        db.session.commit()


def test_run_pages_show_our_messages_in_the_readers_language_and_older_ones_as_stored(
    app: Flask, client: FlaskClient
) -> None:
    legacy_id, stopped_id = _runs(app, add_server(app))
    for locale, expected, other in (('en', STOPPED_EN, STOPPED_FR), ('fr_CA', STOPPED_FR, STOPPED_EN)):
        _speak(app, locale)
        history = client.get('/finance-qb/runs/').get_data(as_text=True)
        detail = client.get(f'/finance-qb/runs/{stopped_id}').get_data(as_text=True)
        for html in (history, detail):
            assert str(escape(expected)) in html
            assert str(escape(other)) not in html
        assert str(escape(LEGACY)) in history
        assert str(escape(LEGACY)) in client.get(f'/finance-qb/runs/{legacy_id}').get_data(as_text=True)


def test_enable_sync_clears_the_message_and_its_source(app: Flask, client: FlaskClient) -> None:
    [link_id] = add_links(
        app,
        add_server(app),
        [
            {
                'crm_id': 'A1',
                'name': 'Acme',
                'qb_id': 'Q1',
                'status': LinkStatus.UPDATE_BLOCKED,
                'message': N_('Related object could not be found.'),
            }
        ],
    )
    assert get_link(app, link_id).message_key == 'Related object could not be found.'
    _speak(app, 'fr_CA')
    page = client.get('/finance-qb/sync/entities').get_data(as_text=True)
    assert str(escape("L'objet lié est introuvable.")) in page
    client.post(
        '/finance-qb/sync/entities/action',
        data={'csrf_token': csrf_token(page), 'action': 'enable', 'ids': [str(link_id)]},
    )
    link = get_link(app, link_id)
    assert (link.status, link.message, link.message_key, link.message_args) == (
        LinkStatus.PENDING_UPDATE,
        '',
        None,
        None,
    )
    assert 'status-message' not in client.get('/finance-qb/sync/entities').get_data(as_text=True)
