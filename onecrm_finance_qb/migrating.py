"""Run the plugin's Alembic migrations on a connection the caller provides.

The plugin's tables have their own Alembic environment (``<module root>/migrations``) and their
own version table, so they never mix with the host's migrations and an uninstall leaves nothing
behind in the host's ``alembic_version``. Migrations run only when asked: from
``flask finance-qb db ...`` or the host's module loader, never on import or on a request.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from onecrm_finance_qb.paths import MIGRATIONS_DIR

#: The plugin's Alembic version table, also declared in manifest.json for the module loader.
VERSION_TABLE = 'alembic_version_finance_qb'
#: New revision files are named YYYYMMDD_HHMM_<rev>_<slug>.py (``%%`` escapes Alembic's interpolation).
FILE_TEMPLATE = '%%(year)d%%(month).2d%%(day).2d_%%(hour).2d%%(minute).2d_%%(rev)s_%%(slug)s'


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for the plugin's environment; ``env.py`` migrates ``connection``."""
    config = Config()
    config.set_main_option('script_location', str(MIGRATIONS_DIR))
    config.set_main_option('file_template', FILE_TEMPLATE)
    if connection is not None:
        config.attributes['connection'] = connection
    return config


def upgrade(connection: Connection, revision: str = 'head') -> None:
    """Upgrade the plugin's tables to ``revision``; the caller commits."""
    command.upgrade(alembic_config(connection), revision)


def downgrade(connection: Connection, revision: str) -> None:
    """Downgrade the plugin's tables to ``revision``; the caller commits.

    ``base`` drops every plugin table and then the version table too, which Alembic would keep,
    so that removing the module leaves nothing of it in the database.
    """
    command.downgrade(alembic_config(connection), revision)
    if revision == 'base':
        sa.Table(VERSION_TABLE, sa.MetaData()).drop(connection, checkfirst=True)


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at, or None when the plugin's tables were never created."""
    context = MigrationContext.configure(connection, opts={'version_table': VERSION_TABLE})
    return context.get_current_revision()


def head_revision() -> str | None:
    """The newest revision shipped with this version of the plugin."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def is_up_to_date(connection: Connection) -> bool:
    """Whether the database is at the newest shipped revision."""
    return current_revision(connection) == head_revision()


@dataclass(frozen=True)
class Revision:
    """One shipped migration, for listings."""

    revision: str
    down_revision: str | None
    message: str


def history() -> list[Revision]:
    """Shipped migrations, newest first."""
    scripts = ScriptDirectory.from_config(alembic_config())
    return [
        Revision(script.revision, _single(script.down_revision), script.doc or '')
        for script in scripts.walk_revisions()
    ]


def _single(down_revision: str | tuple[str, ...] | None) -> str | None:
    if isinstance(down_revision, tuple):
        return ', '.join(down_revision)
    return down_revision
