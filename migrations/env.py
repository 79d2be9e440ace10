"""Alembic environment of the plugin's own tables.

Used by ``flask finance-qb db ...`` and by the host's module loader alike: both pass an open
SQLAlchemy connection in ``config.attributes['connection']``. Without one, the URL in the
``sqlalchemy.url`` option is used. Only ``qb_`` tables are considered, and the version is kept in
the plugin's own version table.
"""

from typing import Any

import sqlalchemy as sa
from alembic import context
from sqlalchemy.engine import Connection

from onecrm_finance_qb.migrating import VERSION_TABLE
from onecrm_finance_qb.models import metadata
from onecrm_finance_qb.models.base import is_plugin_table


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Keep autogenerate away from the host's tables, which share the database."""
    if type_ == 'table':
        return is_plugin_table(name)
    return True


def include_name(name: str | None, type_: str, parent_names: dict[str, Any]) -> bool:
    """Do not even reflect the host's tables: their indexes are not ours to read (some cannot be)."""
    if type_ == 'table':
        return is_plugin_table(name)
    return True


def version_table() -> str:
    """The version table the caller names (the module loader reads it from manifest.json), else ours."""
    return context.config.get_main_option('version_table') or VERSION_TABLE


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=version_table(),
        include_object=include_object,
        include_name=include_name,
        render_as_batch=connection.dialect.name == 'sqlite',
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_offline() -> None:
    context.configure(
        url=context.config.get_main_option('sqlalchemy.url'),
        target_metadata=metadata,
        version_table=version_table(),
        include_object=include_object,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = context.config.attributes.get('connection')
    if connection is not None:
        run_migrations(connection)
        return
    url = context.config.get_main_option('sqlalchemy.url')
    if not url:
        raise RuntimeError('no connection given and no sqlalchemy.url set')
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as owned:
            run_migrations(owned)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
