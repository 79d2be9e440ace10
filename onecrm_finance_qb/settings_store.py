"""Read and write typed settings in ``qb_settings`` through the registry.

Callers pass the session (the host's ``db.session``), so a setting changes in the same
transaction as whatever it accompanies and the caller decides when to commit.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from onecrm_finance_qb.models.settings import Setting
from onecrm_finance_qb.settings_registry import InvalidSettingError, SettingDefinition, SettingScope, definition


def _checked(key: str, server_id: int | None) -> SettingDefinition:
    declared = definition(key)
    if declared.scope is SettingScope.GLOBAL and server_id is not None:
        raise InvalidSettingError(f'{key} is a global setting: it takes no server')
    if declared.scope is SettingScope.SERVER and server_id is None:
        raise InvalidSettingError(f'{key} is set per server: give the server')
    return declared


def _row(session: Session, declared: SettingDefinition, server_id: int | None) -> Setting | None:
    query = sa.select(Setting).where(
        Setting.category == declared.category,
        Setting.name == declared.name,
        Setting.server_id.is_(None) if server_id is None else Setting.server_id == server_id,
    )
    return session.scalars(query).first()


def get_setting(session: Session, key: str, server_id: int | None = None) -> Any:
    """The typed value of ``key`` (for ``server_id`` when the setting is per server), or its default."""
    declared = _checked(key, server_id)
    row = _row(session, declared, server_id)
    return declared.default if row is None else declared.from_text(row.value)


def get_settings(session: Session, keys: Collection[str], server_id: int | None = None) -> dict[str, Any]:
    """The typed values of ``keys`` (all global, or all for ``server_id``) in one query.

    A caller that needs several settings on every request (the SOAP service does, on each call of
    the Web Connector) would otherwise pay one query per setting.
    """
    declared = [_checked(key, server_id) for key in keys]
    query = sa.select(Setting.category, Setting.name, Setting.value).where(
        Setting.server_id.is_(None) if server_id is None else Setting.server_id == server_id,
        Setting.category.in_({item.category for item in declared}),
        Setting.name.in_({item.name for item in declared}),
    )
    stored = {(category, name): value for category, name, value in session.execute(query)}
    values = {}
    for item in declared:
        text = stored.get((item.category, item.name))
        values[item.key] = item.default if text is None else item.from_text(text)
    return values


def set_setting(session: Session, key: str, value: Any, server_id: int | None = None) -> None:
    """Store ``value`` for ``key``; InvalidSettingError when it does not fit the declared type."""
    declared = _checked(key, server_id)
    text = declared.to_text(value)
    row = _row(session, declared, server_id)
    if row is None:
        session.add(Setting(server_id=server_id, category=declared.category, name=declared.name, value=text))
    else:
        row.value = text
    session.flush()


def reset_setting(session: Session, key: str, server_id: int | None = None) -> None:
    """Forget the stored value of ``key`` so its default applies again."""
    declared = _checked(key, server_id)
    row = _row(session, declared, server_id)
    if row is not None:
        session.delete(row)
        session.flush()
