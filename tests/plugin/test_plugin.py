"""``FinanceQB().init_app``: what it registers, once, and what it refuses."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from hostcrm import __version__ as host_version
from hostcrm.extensions import db
from hostcrm.finance_host import make_host
from hostcrm.tabs import registered_tabs
from onecrm_finance_qb import plugin as plugin_module
from onecrm_finance_qb.host import HOST_API_VERSION, IncompatibleHostError
from onecrm_finance_qb.models.settings import Setting
from onecrm_finance_qb.plugin import FinanceQB
from onecrm_finance_qb.state import EXTENSION_KEY, get_state

from .conftest import load_plugin


def _finance_tabs(app: Flask) -> list:
    return [tab for tab in registered_tabs(app) if tab.key == 'finance_qb']


def test_registers_tab_blueprint_cli_and_state(bare_app: Flask) -> None:
    load_plugin(bare_app)
    (tab,) = _finance_tabs(bare_app)
    assert (tab.endpoint, tab.group, tab.admin_only) == ('finance_qb.status', 'Other', True)
    assert 'finance_qb' in bare_app.blueprints
    assert bare_app.url_map.bind('localhost').match('/finance-qb/') == ('finance_qb.status', {})
    assert 'finance-qb' in bare_app.cli.commands
    assert get_state(bare_app).host.version == host_version


def test_second_call_changes_nothing(bare_app: Flask) -> None:
    load_plugin(bare_app)
    state = bare_app.extensions[EXTENSION_KEY]
    rules = len(list(bare_app.url_map.iter_rules()))
    load_plugin(bare_app)
    assert bare_app.extensions[EXTENSION_KEY] is state
    assert len(_finance_tabs(bare_app)) == 1
    assert len(list(bare_app.url_map.iter_rules())) == rules


def test_tab_title_is_the_class_docstring_first_line(bare_app: Flask) -> None:
    load_plugin(bare_app)
    (tab,) = _finance_tabs(bare_app)
    assert FinanceQB.__doc__.splitlines()[0] == 'Finance (QB)'
    with bare_app.test_request_context():
        assert str(tab.label) == 'Finance (QB)'


def test_host_configuration_wins_over_the_defaults(bare_app: Flask) -> None:
    bare_app.config['FINANCE_QB_TAB_GROUP'] = 'Finance'
    load_plugin(bare_app)
    assert _finance_tabs(bare_app)[0].group == 'Finance'


@pytest.mark.parametrize('api_version', [0, HOST_API_VERSION + 1, '1', None])
def test_incompatible_host_is_refused(bare_app: Flask, api_version: object) -> None:
    host = make_host(bare_app)
    host.api_version = api_version
    with pytest.raises(IncompatibleHostError):
        FinanceQB().init_app(bare_app, host=host)
    assert EXTENSION_KEY not in bare_app.extensions
    assert 'finance_qb' not in bare_app.blueprints


def test_web_connector_is_initialised(bare_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    original = plugin_module.webconnector.init_app

    def recording_init_app(app: Flask) -> None:
        calls.append(app)
        original(app)

    monkeypatch.setattr(plugin_module.webconnector, 'init_app', recording_init_app)
    load_plugin(bare_app)
    assert calls == [bare_app]


def test_host_jinja_gettext_style_is_kept(bare_app: Flask) -> None:
    newstyle = bare_app.jinja_env.newstyle_gettext
    host_gettext = bare_app.jinja_env.globals['gettext']
    load_plugin(bare_app)
    assert bare_app.jinja_env.newstyle_gettext == newstyle
    assert bare_app.jinja_env.globals['gettext'] is host_gettext


def test_plugin_rows_share_the_host_session_and_transaction(app: Flask) -> None:
    with app.app_context():
        assert db.session.get_bind(mapper=sa.inspect(Setting)) is db.engine
        db.session.add(Setting(server_id=None, category='webconnector', name='base_url', value='https://x.example'))
        db.session.rollback()
        assert db.session.scalars(sa.select(Setting)).all() == []
