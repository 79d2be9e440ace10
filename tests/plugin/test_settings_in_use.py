"""The settings the wizard and ``config`` offer are the settings the engine reads, and no others."""

from __future__ import annotations

from pathlib import Path

import onecrm_finance_qb
from onecrm_finance_qb.settings_registry import SETTINGS
from onecrm_finance_qb.sync.settings_in_use import engine_phases, in_use, settings_in_use

PACKAGE = Path(onecrm_finance_qb.__file__).parent
#: Where settings are offered and stored rather than read for the sync itself.
NOT_READERS = {'settings_registry.py', 'settings_store.py', 'settings_in_use.py', 'cli.py'}


def _reader_sources() -> str:
    sources = []
    for path in sorted(PACKAGE.rglob('*.py')):
        if path.name in NOT_READERS or 'admin' in path.relative_to(PACKAGE).parts:
            continue
        sources.append(path.read_text(encoding='utf-8'))
    return '\n'.join(sources)


def test_every_offered_setting_is_read_outside_the_pages_that_offer_it() -> None:
    sources = _reader_sources()
    unread = sorted(key for key in settings_in_use() if f"'{key}'" not in sources)
    assert unread == []


def test_settings_of_phases_not_built_are_held_back() -> None:
    held = {key for key in SETTINGS if not in_use(key)}
    assert {'export.invoices', 'import.estimates', 'tax_rate.slot_1', 'items.checking_account'} <= held
    assert all(SETTINGS[key].read_by not in engine_phases() for key in held)
    assert in_use('import.customers')
    assert not in_use('no.such_key')
