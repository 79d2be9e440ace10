"""The settings registry (declared keys, types, scopes) and the store over ``qb_settings``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from onecrm_finance_qb import migrating
from onecrm_finance_qb.models.settings import Setting
from onecrm_finance_qb.settings_registry import (
    SETTINGS,
    InvalidSettingError,
    SettingScope,
    SettingType,
    UnknownSettingError,
    definition,
)
from onecrm_finance_qb.settings_store import get_setting, get_settings, reset_setting, set_setting


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    engine = sa.create_engine(f'sqlite:///{tmp_path / "settings.db"}')
    with engine.begin() as connection:
        migrating.upgrade(connection)
    with Session(engine) as session:
        yield session
    engine.dispose()


def test_every_declared_default_fits_its_type() -> None:
    for declared in SETTINGS.values():
        assert declared.from_text(declared.to_text(declared.default)) == declared.default, declared.key
        assert '.' in declared.key, declared.key
        assert declared.meaning, declared.key


def test_unknown_keys_are_refused(session: Session) -> None:
    with pytest.raises(UnknownSettingError):
        definition('webconnector.base_ulr')
    with pytest.raises(UnknownSettingError):
        get_setting(session, 'no.such_key')
    with pytest.raises(UnknownSettingError):
        set_setting(session, 'no.such_key', 'value')
    assert session.scalars(sa.select(Setting)).all() == []


@pytest.mark.parametrize(
    ('setting_type', 'value', 'text'),
    [
        (SettingType.BOOL, True, '1'),
        (SettingType.BOOL, False, '0'),
        (SettingType.INT, 250, '250'),
        (SettingType.STR, 'Custom Product', 'Custom Product'),
        (SettingType.BASE_URL, 'https://crm.example.com/', 'https://crm.example.com'),
        (SettingType.BASE_URL, 'http://localhost:5000', 'http://localhost:5000'),
    ],
)
def test_types_round_trip_through_text(setting_type: SettingType, value: object, text: str) -> None:
    assert setting_type.format(value) == text
    assert setting_type.parse(text) == (value.rstrip('/') if isinstance(value, str) else value)


@pytest.mark.parametrize(
    ('setting_type', 'value'),
    [
        (SettingType.BOOL, 'yes'),
        (SettingType.BOOL, 1),
        (SettingType.INT, True),
        (SettingType.INT, '12'),
        (SettingType.STR, 12),
        (SettingType.BASE_URL, 'http://crm.example.com'),
        (SettingType.BASE_URL, 'ftp://crm.example.com'),
        (SettingType.BASE_URL, 'https://'),
        (SettingType.BASE_URL, 'https://user:secret@crm.example.com'),
        (SettingType.BASE_URL, 'https://crm.example.com/?next=1'),
    ],
)
def test_values_that_do_not_fit_are_refused(setting_type: SettingType, value: object) -> None:
    with pytest.raises(InvalidSettingError):
        setting_type.format(value)


def test_stored_text_that_does_not_fit_is_refused() -> None:
    with pytest.raises(InvalidSettingError):
        SettingType.INT.parse('twelve')
    with pytest.raises(InvalidSettingError):
        SettingType.BOOL.parse('maybe')


def test_defaults_until_set_then_the_stored_value(session: Session) -> None:
    assert get_setting(session, 'webconnector.base_url') == ''
    set_setting(session, 'webconnector.base_url', 'https://crm.example.com')
    set_setting(session, 'webconnector.base_url', 'https://crm2.example.com/')
    session.commit()
    assert get_setting(session, 'webconnector.base_url') == 'https://crm2.example.com'
    row = session.scalars(sa.select(Setting)).one()
    assert (row.server_id, row.category, row.name, row.value) == (
        None,
        'webconnector',
        'base_url',
        'https://crm2.example.com',
    )
    assert row.date_modified.tzinfo is not None

    reset_setting(session, 'webconnector.base_url')
    assert get_setting(session, 'webconnector.base_url') == ''


def test_per_server_values_are_kept_apart(session: Session) -> None:
    set_setting(session, 'batch.accounts_import', 200, server_id=1)
    set_setting(session, 'import.customers', False, server_id=2)
    assert get_setting(session, 'batch.accounts_import', server_id=1) == 200
    assert get_setting(session, 'batch.accounts_import', server_id=2) == definition('batch.accounts_import').default
    assert get_setting(session, 'import.customers', server_id=1) is True
    assert get_setting(session, 'import.customers', server_id=2) is False


def test_several_settings_read_at_once_are_those_read_one_by_one(session: Session) -> None:
    set_setting(session, 'webconnector.ticket_idle_minutes', 45)
    set_setting(session, 'batch.accounts_import', 200, server_id=1)
    set_setting(session, 'batch.accounts_import', 300, server_id=2)
    global_keys = ['webconnector.ticket_idle_minutes', 'webconnector.base_url', 'server.limit_filename']
    server_keys = ['batch.accounts_import', 'import.customers']

    assert get_settings(session, global_keys) == {key: get_setting(session, key) for key in global_keys}
    assert get_settings(session, global_keys)['webconnector.ticket_idle_minutes'] == 45
    assert get_settings(session, server_keys, server_id=1) == {
        'batch.accounts_import': 200,
        'import.customers': definition('import.customers').default,
    }
    with pytest.raises(InvalidSettingError, match='per server'):
        get_settings(session, ['webconnector.base_url', 'sync.allowed'])


def test_scope_is_enforced(session: Session) -> None:
    assert definition('webconnector.base_url').scope is SettingScope.GLOBAL
    assert definition('sync.allowed').scope is SettingScope.SERVER
    with pytest.raises(InvalidSettingError, match='global'):
        set_setting(session, 'webconnector.base_url', 'https://crm.example.com', server_id=1)
    with pytest.raises(InvalidSettingError, match='per server'):
        get_setting(session, 'sync.allowed')


def test_bounds_are_enforced(session: Session) -> None:
    with pytest.raises(InvalidSettingError, match='at least'):
        set_setting(session, 'batch.invoices_export', 0, server_id=1)
    with pytest.raises(InvalidSettingError, match='at most'):
        set_setting(session, 'batch.invoices_export', 100_000, server_id=1)


def test_the_database_refuses_a_second_row_for_a_global_key(session: Session) -> None:
    session.add_all(
        [
            Setting(server_id=None, category='webconnector', name='base_url', value='https://a.example.com'),
            Setting(server_id=None, category='webconnector', name='base_url', value='https://b.example.com'),
        ]
    )
    with pytest.raises(sa.exc.IntegrityError):
        session.flush()
