"""The "Upgrades & Customization" page: admin only, CSRF protected, same results as the service."""

from __future__ import annotations

import io
import re

import pytest

from hostcrm.modules import service
from hostcrm.modules.archive import Limits
from tests.loader.modkit import MODULE_ID, build_module_zip, snapshot, table_names

PAGE = '/admin/modules/'


def login(client, user_id='admin'):
    with client.session_transaction() as session:
        session['_user_id'] = user_id
        session['_fresh'] = True


@pytest.fixture
def admin(app):
    client = app.test_client()
    login(client)
    return client


def csrf_token(client):
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get(PAGE).text).group(1)


def upload(client, data, button='install', force=False):
    form = {'csrf_token': csrf_token(client), 'archive': (io.BytesIO(data), 'module.zip'), button: 'yes'}
    if force:
        form['force'] = 'y'
    return client.post(PAGE + 'upload', data=form, content_type='multipart/form-data')


def test_page_needs_an_administrator(app):
    client = app.test_client()
    assert client.get(PAGE).status_code == 401
    login(client, 'someone')
    assert client.get(PAGE).status_code == 403


def test_empty_page_shows_upload_form(admin):
    page = admin.get(PAGE)

    assert page.status_code == 200
    assert '<h1>Upgrades & Customization</h1>' in page.text
    assert 'No modules are installed.' in page.text
    assert 'enctype="multipart/form-data"' in page.text


def test_upload_without_csrf_token_is_refused(admin, tmp_path):
    response = admin.post(PAGE + 'upload', data={'archive': (io.BytesIO(build_module_zip()), 'm.zip'),
                                                 'install': 'yes'}, content_type='multipart/form-data')

    assert response.status_code == 400
    assert not (tmp_path / 'modules').exists()


def test_install_upgrade_rollback_uninstall_through_the_page(admin, app):
    response = upload(admin, build_module_zip('1.0.0'))
    assert response.status_code == 200
    assert 'Installed qbtest_module 1.0.0.' in response.text
    assert 'id="module-qbtest_module"' in response.text
    # Flask takes no new blueprints once it serves requests: the module waits for a restart.
    assert 'Restart the CRM to apply' in response.text

    response = upload(admin, build_module_zip('2.0.0'), button='upgrade')
    assert response.status_code == 200
    assert 'Upgraded qbtest_module to version 2.0.0.' in response.text
    assert 'Restart the CRM to apply' in response.text
    assert 'Roll back' in response.text

    response = admin.post(f'{PAGE}{MODULE_ID}/rollback', data={'csrf_token': csrf_token(admin)})
    assert response.status_code == 200
    assert 'qbtest_module is back at version 1.0.0.' in response.text

    response = admin.post(f'{PAGE}{MODULE_ID}/uninstall', data={'csrf_token': csrf_token(admin),
                                                                 f'{MODULE_ID}-tables': 'drop'})
    assert response.status_code == 200
    assert 'Uninstalled qbtest_module and dropped its tables.' in response.text
    assert 'qbtest_thing' not in table_names(app)
    assert service.statuses(app) == []


def test_uninstall_keeps_tables_by_default(admin, app):
    upload(admin, build_module_zip('1.0.0'))
    page = admin.get(PAGE).text
    assert re.search(r'<input checked id="qbtest_module-tables-0" name="qbtest_module-tables" type="radio" '
                     r'value="keep">', page)

    response = admin.post(f'{PAGE}{MODULE_ID}/uninstall', data={'csrf_token': csrf_token(admin)})

    assert 'its tables were kept' in response.text
    assert 'qbtest_thing' in table_names(app)


def test_hostile_upload_is_refused_on_the_page(admin, tmp_path):
    before = snapshot(tmp_path / 'modules')

    response = upload(admin, build_module_zip(host_versions='>=9'))

    assert response.status_code == 400
    assert 'needs a CRM version &gt;=9' in response.text
    assert snapshot(tmp_path / 'modules') == before


def test_downgrade_needs_the_force_box(admin):
    upload(admin, build_module_zip('2.0.0'))

    refused = upload(admin, build_module_zip('1.0.0'), button='upgrade')
    forced = upload(admin, build_module_zip('1.0.0'), button='upgrade', force=True)

    assert refused.status_code == 400
    assert 'is not newer than the installed version' in refused.text
    assert forced.status_code == 200


def test_oversized_upload_is_refused_before_it_is_read(make_app, tmp_path):
    app = make_app(HOSTCRM_MODULES_LIMITS=Limits(archive_bytes=1000))
    client = app.test_client()
    login(client)
    token = csrf_token(client)

    response = client.post(PAGE + 'upload', data={'csrf_token': token, 'install': 'yes',
                                                  'archive': (io.BytesIO(b'x' * 200_000), 'big.zip')},
                           content_type='multipart/form-data')

    assert response.status_code == 413
    assert 'larger than the limit of 1000 bytes' in response.text
    assert not (tmp_path / 'modules').exists()


def test_load_error_is_shown(admin, make_app):
    upload(admin, build_module_zip(init_fails=True))
    client = make_app().test_client()
    login(client)

    page = client.get(PAGE).text

    assert 'Failed to load' in page
    assert 'RuntimeError: plugin exploded' in page
