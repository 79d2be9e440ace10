"""The plugin's catalogs and how its pages pick translations: plugin strings from the plugin's
catalog, host strings (in the host's base template) from the host's."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient

from hostcrm import i18n as host_i18n
from onecrm_finance_qb import i18n
from onecrm_finance_qb.paths import MODULE_ROOT, TRANSLATIONS_DIR
from onecrm_finance_qb.state import EXTENSION_KEY, FinanceQBState

from .conftest import ADMIN_ID, log_in, set_locale

POT = TRANSLATIONS_DIR / 'messages.pot'


def _catalog(path: Path, locale: str | None = None):
    with path.open('rb') as source:
        return read_po(source, locale=locale)


def _msgids(catalog) -> set[str]:
    return {message.id if isinstance(message.id, str) else message.id[0] for message in catalog if message.id}


def test_the_template_lists_every_string_of_the_sources() -> None:
    """messages.pot is what ``pybabel extract`` finds now (see the README for the command)."""
    with (MODULE_ROOT / 'babel.cfg').open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {'_': None, 'gettext': None, 'ngettext': (1, 2), 'lazy_gettext': None}
    extracted = {
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in extract_from_dir(
            MODULE_ROOT, method_map, options_map, keywords=keywords
        )
    }
    assert extracted == _msgids(_catalog(POT))


@pytest.mark.parametrize('locale', i18n.LOCALES)
def test_every_catalog_translates_every_string(locale: str) -> None:
    catalog = _catalog(TRANSLATIONS_DIR / locale / 'LC_MESSAGES' / 'messages.po', locale)
    assert _msgids(catalog) == _msgids(_catalog(POT))
    for message in catalog:
        if message.id:
            assert message.string, f'{locale}: {message.id!r} is not translated'
            assert not message.fuzzy, f'{locale}: {message.id!r} is fuzzy'
    assert [problem for problem in catalog.check() if problem[1]] == []


def test_french_and_spanish_are_real_translations() -> None:
    assert i18n.load_translations('fr_CA').gettext('Server address') == 'Adresse du serveur'
    assert i18n.load_translations('es').gettext('Server address') == 'Dirección del servidor'
    assert i18n.load_translations('en').gettext('Server address') == 'Server address'


def test_a_regional_locale_falls_back_to_its_language() -> None:
    assert i18n.load_translations('es_MX').gettext('Save') == 'Guardar'
    assert i18n.load_translations('de').gettext('Save') == 'Save'
    assert i18n.load_translations('not a locale').gettext('Save') == 'Save'


def test_an_up_to_date_mo_file_is_used_and_a_missing_one_compiled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    translations = tmp_path / 'translations'
    shutil.copytree(TRANSLATIONS_DIR, translations)
    monkeypatch.setattr(i18n, 'TRANSLATIONS_DIR', translations)
    i18n._compiled_catalog.cache_clear()
    try:
        assert not list(translations.rglob('*.mo'))
        assert i18n.load_translations('fr_CA').gettext('Save') == 'Enregistrer'

        folder = translations / 'fr_CA' / 'LC_MESSAGES'
        catalog = _catalog(folder / 'messages.po', 'fr_CA')
        catalog.get('Save').string = 'Sauvegarder'
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        (folder / 'messages.mo').write_bytes(buffer.getvalue())
        i18n._compiled_catalog.cache_clear()
        assert i18n.load_translations('fr_CA').gettext('Save') == 'Sauvegarder'
    finally:
        i18n._compiled_catalog.cache_clear()


class _HostCatalog:
    """Just the host's gettext, as the contract describes it."""

    def gettext(self, message: str) -> str:
        return {'Dashboard': 'Tableau de bord', 'Save': 'Sauver'}.get(message, message)


def test_strings_unknown_to_the_plugin_go_to_the_host_catalog() -> None:
    translations = i18n.load_translations('fr_CA', host=_HostCatalog())
    assert translations.gettext('Dashboard') == 'Tableau de bord'
    assert translations.gettext('Save') == 'Enregistrer'


def test_python_strings_follow_the_user_locale(app: Flask) -> None:
    set_locale(app, ADMIN_ID, 'es')
    client = app.test_client()
    log_in(client, ADMIN_ID)
    with client:
        client.get('/finance-qb/')
        assert i18n.gettext('Server address saved.') == 'Dirección del servidor guardada.'
        assert str(i18n.lazy_gettext('Save')) == 'Guardar'


def _french_admin(app: Flask) -> FlaskClient:
    set_locale(app, ADMIN_ID, 'fr_CA')
    client = app.test_client()
    log_in(client, ADMIN_ID)
    return client


def test_plugin_page_uses_both_catalogs(app: Flask) -> None:
    host_log_out = host_i18n.translations_for('fr_CA').gettext('Log out')
    assert host_log_out != 'Log out', 'the host has no French for "Log out" to check against'

    page = _french_admin(app).get('/finance-qb/').get_data(as_text=True)

    assert 'Version du module' in page  # {% trans %} in the plugin's template
    assert 'Adresse du serveur' in page  # the form's lazy label
    assert 'À jour (révision' in page  # a {% trans %} block with a variable
    assert host_log_out in page  # the host's base template keeps the host's catalog
    assert 'Log out' not in page


def test_host_pages_show_the_plugin_tab_in_the_user_language(app: Flask) -> None:
    page = _french_admin(app).get('/').get_data(as_text=True)
    assert 'Finances (QB)' in page


class _StubHost(_HostCatalog):
    """A host reduced to what the plugin's gettext asks of it."""

    def __init__(self, locale: str) -> None:
        self.locale = locale

    def current_locale(self) -> str:
        return self.locale


@pytest.mark.parametrize('newstyle', [True, False])
def test_trans_blocks_in_either_jinja_gettext_style(newstyle: bool) -> None:
    app = Flask(__name__)
    app.jinja_env.add_extension('jinja2.ext.i18n')
    app.jinja_env.newstyle_gettext = newstyle
    app.extensions[EXTENSION_KEY] = FinanceQBState(host=_StubHost('fr_CA'))
    source = (
        '{% trans %}Save{% endtrans %} / {% trans %}Dashboard{% endtrans %} / '
        '{% trans revision=rev %}Up to date (revision {{ revision }}).{% endtrans %}'
    )
    with app.test_request_context():
        template = app.jinja_env.from_string(source)
        html = template.render(rev='<b>', **i18n.template_callables(newstyle))
    assert html == 'Enregistrer / Tableau de bord / À jour (révision &lt;b&gt;).'


def test_plural_forms() -> None:
    app = Flask(__name__)
    app.extensions[EXTENSION_KEY] = FinanceQBState(host=_StubHost('en'))
    with app.app_context():
        assert i18n.ngettext('%(num)d record', '%(num)d records', 1) == '1 record'
        assert i18n.ngettext('%(num)d record', '%(num)d records', 3) == '3 records'
