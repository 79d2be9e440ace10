"""Running a module's own Alembic migrations, generically, from what its manifest declares.

The module's ``env.py`` receives the host's connection in ``config.attributes['connection']``
and the version table in the ``version_table`` main option. Because SQLite and MariaDB commit
DDL as they go, a failed migration cannot be trusted to roll itself back: ``restoring`` takes a
snapshot of the tables and the module's revision beforehand and puts the database back to it.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util import CommandError

from hostcrm.modules.manifest import MigrationsSpec

logger = logging.getLogger(__name__)


def _config(root: Path, spec: MigrationsSpec) -> Config:
    config = Config()
    config.set_main_option('script_location', str(root / spec.script_location))
    config.set_main_option('version_table', spec.version_table)
    return config


def upgrade(engine: sa.Engine, root: Path, spec: MigrationsSpec, target: str = 'head') -> None:
    """Upgrade the module's tables to ``target`` with the scripts under ``root``."""
    _run(engine, root, spec, command.upgrade, target)


def downgrade(engine: sa.Engine, root: Path, spec: MigrationsSpec, target: str) -> None:
    """Downgrade the module's tables to ``target`` (a revision or ``base``) with the scripts under ``root``."""
    _run(engine, root, spec, command.downgrade, target)


def _run(
    engine: sa.Engine, root: Path, spec: MigrationsSpec, action: Callable[[Config, str], object], target: str
) -> None:
    config = _config(root, spec)
    with engine.begin() as connection:
        config.attributes['connection'] = connection
        action(config, target)


def current_revision(engine: sa.Engine, spec: MigrationsSpec) -> str | None:
    """The module's revision in the database, None when it has no tables yet."""
    with engine.connect() as connection:
        heads = MigrationContext.configure(connection, opts={'version_table': spec.version_table}).get_current_heads()
    return heads[0] if heads else None


def head_revision(root: Path, spec: MigrationsSpec) -> str | None:
    """The newest revision shipped under ``root``."""
    return ScriptDirectory.from_config(_config(root, spec)).get_current_head()


def drop_version_table(engine: sa.Engine, spec: MigrationsSpec) -> None:
    """After ``downgrade base``, the empty version table is the module's last trace in the database."""
    with engine.begin() as connection:
        sa.Table(spec.version_table, sa.MetaData()).drop(connection, checkfirst=True)


def switch(engine: sa.Engine, spec: MigrationsSpec, target_root: Path, source_root: Path | None = None) -> None:
    """Bring the module's tables to the newest revision shipped under ``target_root``.

    When the database is ahead of ``target_root`` (a rollback or a forced downgrade), the
    scripts under ``source_root``, which know the newer revisions, take it back down first.
    """
    revision = current_revision(engine, spec)
    if revision is not None and source_root is not None and not _knows(target_root, spec, revision):
        downgrade(engine, source_root, spec, head_revision(target_root, spec) or 'base')
    upgrade(engine, target_root, spec)


def _knows(root: Path, spec: MigrationsSpec, revision: str) -> bool:
    try:
        return ScriptDirectory.from_config(_config(root, spec)).get_revision(revision) is not None
    except (CommandError, RevisionError):
        return False


@contextlib.contextmanager
def restoring(engine: sa.Engine, spec: MigrationsSpec, roots: list[Path]) -> Iterator[None]:
    """Put the module's revision and the set of tables back as they were if the block raises.

    ``roots`` are the module versions involved; the one whose scripts know both the revision
    before and the revision reached does the way back.
    """
    with engine.connect() as connection:
        tables_before = set(sa.inspect(connection).get_table_names())
    revision_before = current_revision(engine, spec)
    try:
        yield
    except BaseException:
        _restore(engine, spec, roots, tables_before, revision_before)
        raise


def _restore(
    engine: sa.Engine, spec: MigrationsSpec, roots: list[Path], tables_before: set[str], revision_before: str | None
) -> None:
    try:
        revision_now = current_revision(engine, spec)
        if revision_now != revision_before:
            _move(engine, spec, roots, revision_now, revision_before)
        with engine.begin() as connection:
            added = sorted(set(sa.inspect(connection).get_table_names()) - tables_before)
            if added:
                metadata = sa.MetaData()
                metadata.reflect(connection, only=added)
                metadata.drop_all(connection)
    except Exception:
        logger.exception('Could not put the database back as it was before the failed migration')
        raise


def _move(engine: sa.Engine, spec: MigrationsSpec, roots: list[Path], start: str | None, goal: str | None) -> None:
    """Go from revision ``start`` to ``goal`` (None: no tables) with scripts that know both."""
    for root in roots:
        if all(_knows(root, spec, revision) for revision in (start, goal) if revision is not None):
            script = ScriptDirectory.from_config(_config(root, spec))
            below_start = {rev.revision for rev in script.walk_revisions(base='base', head=start or 'base')}
            if goal is None or goal in below_start:
                downgrade(engine, root, spec, goal or 'base')
            else:
                upgrade(engine, root, spec, goal)
            return
    raise CommandError(f'no version of the module knows both revisions {start} and {goal}')
