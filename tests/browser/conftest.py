"""Browser tests: the real hostcrm with the plugin, served on a localhost port, driven by headless Chromium.

Chromium is Debian's ``chromium`` package, driven by Playwright with ``executable_path`` (Playwright's
own browser download is never used). Without Chromium or Playwright these tests skip, except when
FINANCE_QB_REQUIRE_BROWSER=1 (CI), where that is a failure. Screenshots of every step land in
``test-artifacts/browser/<test name>/``.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from hostcrm import create_app
from hostcrm.extensions import db
from hostcrm.finance_host import make_host
from hostcrm.models import User
from hostcrm.sampledata import install_reference_data
from onecrm_finance_qb import migrating
from onecrm_finance_qb.plugin import FinanceQB
from tests.serving import served

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = REPO_ROOT / 'test-artifacts' / 'browser'
CHROMIUM = Path(os.environ.get('FINANCE_QB_CHROMIUM', '/usr/bin/chromium'))
#: Flags for a headless Chromium that never reaches the network on its own.
CHROMIUM_ARGS = (
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
)
ADMIN_NAME = 'admin'
ADMIN_PASSWORD = 'browser-admin-password'


def _unavailable(reason: str) -> None:
    if os.environ.get('FINANCE_QB_REQUIRE_BROWSER') == '1':
        pytest.fail(f'{reason} (FINANCE_QB_REQUIRE_BROWSER=1)')
    pytest.skip(reason)


@pytest.fixture(scope='session')
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole session."""
    if not CHROMIUM.is_file() and shutil.which(str(CHROMIUM)) is None:
        _unavailable(f'Chromium not found at {CHROMIUM} (apt-get install chromium, or set FINANCE_QB_CHROMIUM)')
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable('playwright is not installed (pip install -e ".[dev]")')
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
        yield chromium
        chromium.close()


@dataclass
class LiveCRM:
    """hostcrm with the plugin on ``base_url``; ``app`` is for setting up data directly."""

    app: Flask
    base_url: str
    tmp_path: Path
    extra: dict[str, Any] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return self.base_url + path


@pytest.fixture
def live_crm(tmp_path: Path) -> Iterator[LiveCRM]:
    """The demo CRM with the plugin loaded and migrated, an administrator, served in a thread."""
    app = create_app(
        {
            'SECRET_KEY': 'browser-tests',
            'SQLALCHEMY_DATABASE_URI': f'sqlite:///{tmp_path / "crm.db"}',
            'HOSTCRM_MODULES_DIR': str(tmp_path / 'modules'),
            'HOSTCRM_CHANGE_SETTLE_SECONDS': 0,
        }
    )
    with app.app_context():
        db.create_all()
        install_reference_data(db.session, 'USD')
        admin = User(user_name=ADMIN_NAME, first_name='Ada', is_admin=True, locale='en')
        admin.set_password(ADMIN_PASSWORD)
        db.session.add(admin)
        db.session.commit()
    FinanceQB().init_app(app, host=make_host(app))
    with app.app_context(), db.engine.begin() as connection:
        migrating.upgrade(connection)
    try:
        with served(app, '127.0.0.1') as base_url:
            yield LiveCRM(app=app, base_url=base_url, tmp_path=tmp_path)
    finally:
        with app.app_context():
            db.engine.dispose()


class Screenshots:
    """Numbered full-page screenshots of one test, kept as CI artefacts."""

    def __init__(self, folder: Path) -> None:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        self.folder = folder
        self.count = 0

    def __call__(self, page: Any, name: str) -> Path:
        self.count += 1
        path = self.folder / f'{self.count:02d}-{re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")}.png'
        page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Screenshots:
    """``screenshot(page, 'wizard currencies')`` saves the page under test-artifacts/browser/<test>/."""
    return Screenshots(ARTIFACTS_DIR / re.sub(r'[^A-Za-z0-9_.-]+', '_', request.node.name))


@pytest.fixture
def admin_page(browser: Any, live_crm: LiveCRM) -> Iterator[Any]:
    """A browser page logged in as the CRM administrator through the login form."""
    context = browser.new_context(locale='en-US', viewport={'width': 1280, 'height': 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(live_crm.url('/login'))
    page.fill('input[name="user_name"]', ADMIN_NAME)
    page.fill('input[name="password"]', ADMIN_PASSWORD)
    with page.expect_navigation():
        page.click('button[type="submit"], input[type="submit"]')
    yield page
    context.close()
