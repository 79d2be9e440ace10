"""The demo's instance folder: the CRM database, installed modules, secrets, certificates, the company file.

Everything a demo run creates lives in one folder (``instance/`` by default), so a second run
finds and reuses it, and a test can point the demo at a temporary folder instead.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hostcrm.demo.tls import TlsFiles


@dataclass(frozen=True)
class DemoInstance:
    """Paths and generated secrets of one demo installation."""

    folder: Path

    @property
    def database_url(self) -> str:
        return f'sqlite:///{self.folder / "hostcrm.db"}'

    @property
    def modules_dir(self) -> Path:
        return self.folder / 'modules'

    @property
    def tls(self) -> TlsFiles:
        return TlsFiles(self.folder / 'tls')

    @property
    def company_file(self) -> Path:
        """The simulated QuickBooks company file."""
        return self.folder / 'demo-company.qbw'

    @property
    def qwc_file(self) -> Path:
        return self.folder / 'finance-qb.qwc'

    @property
    def report_file(self) -> Path:
        return self.folder / 'demo-report.json'

    @property
    def admin_password(self) -> str:
        """The CRM administrator's password, also readable in ``demo-admin.txt``."""
        return self._secret('demo-admin.txt', lambda: f'demo-{secrets.token_urlsafe(9)}')

    @property
    def sync_password(self) -> str:
        """The Web Connector's sync password (what a user types into QBWC), kept in ``demo-sync.txt``."""
        return self._secret('demo-sync.txt', lambda: secrets.token_urlsafe(18))

    def app_config(self) -> dict[str, Any]:
        """``create_app`` overrides that keep the CRM inside this folder."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return {
            'SQLALCHEMY_DATABASE_URI': self.database_url,
            'HOSTCRM_MODULES_DIR': str(self.modules_dir),
            'SECRET_KEY': self._secret('secret_key', lambda: secrets.token_hex(32)),
        }

    def _secret(self, name: str, generate: Callable[[], str]) -> str:
        """A value generated once and kept, readable by the owner only."""
        path = self.folder / name
        if not path.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            path.write_text(generate() + '\n')
            path.chmod(0o600)
        return path.read_text().strip()
