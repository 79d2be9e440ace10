"""Messages written during a run are read in each reader's language, whatever the run's language was.

The Web Connector's calls carry no user, so they run in the CRM's default language; here that is
Canadian French, and the administrators reading the sync list and ``sync-status`` afterwards
speak English or French. QuickBooks' own words stay as QuickBooks wrote them in both.
"""

from __future__ import annotations

import json

import pytest
from markupsafe import escape

from hostcrm import i18n as host_i18n
from hostcrm.extensions import db
from hostcrm.models import User
from onecrm_finance_qb.models.links import LinkStatus
from onecrm_finance_qb.state import get_host

pytestmark = pytest.mark.slow

COLON_EN = 'The name "Parts: and Service" contains a colon, which QuickBooks does not allow: remove it.'
COLON_FR = "Le nom « Parts: and Service » contient un deux-points, ce que QuickBooks n'accepte pas : retirez-le."


def _admin(app, user_name: str, locale: str) -> str:
    with app.app_context():
        user = User(user_name=user_name, first_name=user_name, is_admin=True, locale=locale)
        user.set_password(f'{user_name}-password')
        db.session.add(user)
        db.session.commit()
        return user.id


def _sync_list_as(app, user_id: str) -> str:
    client = app.test_client()
    with client.session_transaction() as session:
        session['_user_id'] = user_id
        session['_fresh'] = True
    response = client.get('/finance-qb/sync/entities')
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_run_in_french_is_read_in_english_and_in_french(us_bench, monkeypatch):
    bench = us_bench
    monkeypatch.setattr(host_i18n, 'DEFAULT_LOCALE', 'fr_CA')
    with bench.app.test_request_context('/finance-qb/qbwc'):
        assert get_host().current_locale() == 'fr_CA'
    company = bench.company()
    company.limit_field('Phone', 12)
    company.close()
    bench.add_account('Parts: and Service')
    bench.add_account('Globex Corporation', phone_office='+1 555 0100 ext 42')

    assert bench.update().completed
    links = bench.links('Customer')
    assert links['Parts: and Service'].status == LinkStatus.EXPORT_BLOCKED
    assert links['Parts: and Service'].message == COLON_EN
    problems = {problem['name']: problem for problem in bench.status()['problems']}
    refused = problems['Globex Corporation']
    detail = refused['message_args']['detail']
    assert 'in the field "Phone" is too long' in detail
    assert (refused['message'], refused['message_key']) == (
        f'QuickBooks status 3070: {detail}',
        'QuickBooks status %(code)s: %(detail)s',
    )
    assert problems['Parts: and Service']['message'] == COLON_EN
    qb_en, qb_fr = f'QuickBooks status 3070: {detail}', f'État QuickBooks 3070 : {detail}'

    english = _sync_list_as(bench.app, _admin(bench.app, 'anglophone', 'en'))
    french = _sync_list_as(bench.app, _admin(bench.app, 'francophone', 'fr_CA'))
    assert f'title="{escape(COLON_EN)}"' in english
    assert str(escape(qb_en)) in english
    assert COLON_FR not in english
    assert f'title="{escape(COLON_FR)}"' in french
    assert str(escape(qb_fr)) in french
    assert str(escape(COLON_EN)) not in french

    assert COLON_FR in bench.cli('sync-status')
    in_english = bench.cli('sync-status', '--locale', 'en')
    assert COLON_EN in in_english
    assert qb_en in in_english
    in_french = bench.cli('sync-status', '--locale', 'fr_CA')
    assert COLON_FR in in_french
    assert qb_fr in in_french
    assert json.loads(bench.cli('sync-status', '--json', '--locale', 'fr_CA'))['problems'] == list(
        bench.status()['problems']
    )
