"""Locale choice per user and per browser, catalogs compiled from .po, translated pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient

from hostcrm import i18n
from hostcrm.extensions import db
from hostcrm.models import User
from tests.hostcrm.support import csrf_token, log_in

PLACEHOLDER = re.compile(r'%\(\w+\)[sd]')


@pytest.mark.parametrize(
    ('accept_language', 'expected'),
    [
        ('fr-CA,fr;q=0.8', 'fr_CA'),
        ('fr-FR', 'fr_CA'),
        ('es-MX,es;q=0.9', 'es'),
        ('de-DE', 'en'),
        ('', 'en'),
    ],
)
def test_browser_language_picks_the_locale(app: Flask, accept_language: str, expected: str) -> None:
    with app.test_request_context(headers={'Accept-Language': accept_language}):
        assert i18n.current_locale() == expected


def test_outside_a_request_the_locale_is_english() -> None:
    assert i18n.current_locale() == 'en'


def test_login_page_in_french_and_spanish(app: Flask) -> None:
    client = app.test_client()
    french = client.get('/login', headers={'Accept-Language': 'fr-CA'}).get_data(as_text=True)
    assert '<html lang="fr-CA">' in french
    assert 'Ouvrir une session' in french
    assert 'Mot de passe' in french
    spanish = client.get('/login', headers={'Accept-Language': 'es'}).get_data(as_text=True)
    assert 'Iniciar sesión' in spanish


def test_error_messages_are_translated(app: Flask, user_id: str) -> None:
    client = app.test_client()
    token = csrf_token(client, '/login')
    response = client.post(
        '/login',
        data={'csrf_token': token, 'user_name': 'clerk', 'password': 'nope'},
        headers={'Accept-Language': 'es'},
    )
    assert 'Nombre de usuario o contraseña no válidos.' in response.get_data(as_text=True)


def test_user_locale_wins_over_the_browser(app: Flask, user_id: str) -> None:
    with app.app_context():
        db.session.get(User, user_id).locale = 'es'
        db.session.commit()
    client = app.test_client()
    log_in(client, 'clerk')
    page = client.get('/', headers={'Accept-Language': 'fr-CA'}).get_data(as_text=True)
    assert 'Bienvenido, Carl Clerk' in page


def test_preferences_change_the_locale(app: Flask, user_client: FlaskClient, user_id: str) -> None:
    token = csrf_token(user_client, '/preferences')
    response = user_client.post('/preferences', data={'csrf_token': token, 'locale': 'fr_CA'})
    assert response.status_code == 302
    assert 'Bienvenue, Carl Clerk' in user_client.get('/').get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user_id).locale == 'fr_CA'
    token = csrf_token(user_client, '/preferences')
    user_client.post('/preferences', data={'csrf_token': token, 'locale': ''})
    page = user_client.get('/', headers={'Accept-Language': 'es'}).get_data(as_text=True)
    assert 'Bienvenido' in page


def test_catalogs_compile_without_mo_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / 'fr_CA' / 'LC_MESSAGES'
    folder.mkdir(parents=True)
    source = i18n.TRANSLATIONS_DIR / 'fr_CA' / 'LC_MESSAGES' / 'messages.po'
    (folder / 'messages.po').write_bytes(source.read_bytes())
    monkeypatch.setattr(i18n, 'TRANSLATIONS_DIR', tmp_path)
    i18n.translations_for.cache_clear()
    try:
        assert i18n.translations_for('fr_CA').gettext('Log out') == 'Fermer la session'
        assert not (folder / 'messages.mo').exists()
        assert i18n.translations_for('xx').gettext('Log out') == 'Log out'
    finally:
        i18n.translations_for.cache_clear()


@pytest.mark.parametrize('locale', ['fr_CA', 'es'])
def test_catalogs_translate_the_crm_pages(locale: str) -> None:
    """Every message of the CRM's own pages has a translation (modules' strings may lag behind)."""
    with (i18n.TRANSLATIONS_DIR / locale / 'LC_MESSAGES' / 'messages.po').open('rb') as po_file:
        catalog = read_po(po_file, locale=locale)
    for message in ('Log in', 'Log out', 'Dashboard', 'Preferences', 'Invalid user name or password.', 'Other'):
        assert catalog[message].string, (locale, message)


@pytest.mark.parametrize('locale', ['en', 'fr_CA', 'es'])
def test_catalog_placeholders_match(locale: str) -> None:
    """A translation keeps exactly the msgid's %(name)s placeholders, so formatting never breaks."""
    with (i18n.TRANSLATIONS_DIR / locale / 'LC_MESSAGES' / 'messages.po').open('rb') as po_file:
        catalog = read_po(po_file, locale=locale)
    assert not list(catalog.check())
    for message in catalog:
        if message.id and message.string:
            assert sorted(PLACEHOLDER.findall(message.string)) == sorted(PLACEHOLDER.findall(message.id)), message.id
