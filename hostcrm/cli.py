"""``flask --app hostcrm`` commands: create the database, create an administrator, seed sample data."""

from __future__ import annotations

import time
from dataclasses import fields

import click
from flask import Flask
from flask.cli import with_appcontext

from hostcrm.auth import find_user
from hostcrm.extensions import db
from hostcrm.i18n import SUPPORTED_LOCALES
from hostcrm.models import User
from hostcrm.sampledata import SeedRefusedError, SeedSizes, install_reference_data, seed_database


@click.command('init-db')
@with_appcontext
@click.option('--base-currency', default='USD', show_default=True, help='ISO 4217 code of the base currency.')
def init_db(base_currency: str) -> None:
    """Create the CRM's tables and its reference data (safe to run again)."""
    db.create_all()
    created = install_reference_data(db.session, base_currency)
    for item in created:
        click.echo(f'Created {item}.')
    click.echo('Database ready.')


@click.command('create-admin')
@with_appcontext
@click.argument('user_name')
@click.argument('password')
@click.option('--email', help='E-mail address.')
@click.option('--locale', type=click.Choice(SUPPORTED_LOCALES), help='Display language.')
def create_admin(user_name: str, password: str, email: str | None, locale: str | None) -> None:
    """Create the administrator USER_NAME, or make an existing user an active administrator with PASSWORD."""
    user = find_user(user_name)
    action = 'Updated'
    if user is None:
        user = User(user_name=user_name)
        db.session.add(user)
        action = 'Created'
    user.set_password(password)
    user.is_admin = True
    user.is_active = True
    if email:
        user.email = email
    if locale:
        user.locale = locale
    db.session.commit()
    click.echo(f'{action} administrator {user_name}.')


def _size_options(command: click.Command) -> click.Command:
    """One ``--<kind> N`` option per field of :class:`SeedSizes`."""
    for size in reversed(fields(SeedSizes)):
        flag = '--' + size.name.replace('_', '-')
        command = click.option(
            flag,
            size.name,
            type=click.IntRange(min=0),
            default=size.default,
            show_default=True,
            help=f'Number of {size.name.replace("_", " ")}.',
        )(command)
    return command


@click.command('seed')
@with_appcontext
@_size_options
@click.option('--seed-value', type=int, default=1, show_default=True, help='Random seed: same value, same data.')
def seed(seed_value: int, **sizes: int) -> None:
    """Fill an empty CRM with sample records (refuses if accounts or products exist)."""
    db.create_all()
    started = time.perf_counter()
    try:
        counts = seed_database(db.session, SeedSizes(**sizes), seed_value=seed_value)
    except SeedRefusedError as exc:
        raise click.ClickException(f'Not seeding: {exc}. Seed a new, empty database instead.') from exc
    for table, count in counts.items():
        click.echo(f'{table}: {count}')
    click.echo(f'Seeded in {time.perf_counter() - started:.1f} s.')


def init_app(app: Flask) -> None:
    """Register the commands on ``app.cli``."""
    for command in (init_db, create_admin, seed):
        app.cli.add_command(command)
