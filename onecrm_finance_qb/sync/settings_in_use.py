"""The declared settings the engine reads today: the wizard and ``config`` offer only these.

Some settings are read by one phase only (``SettingDefinition.read_by``): the transaction phases'
switches, batch sizes, accounts, fallbacks and tax-rate slots. Until the engine runs that phase
they stay declared, so values stored by an earlier version survive, but nobody is offered a
value the next run would ignore. The wizard steps that only such a phase reads (expense
categories) follow the same rule.
"""

from __future__ import annotations

from functools import cache

from onecrm_finance_qb.settings_registry import SETTINGS, SettingDefinition
from onecrm_finance_qb.sync.engine import default_families


@cache
def engine_phases() -> frozenset[str]:
    """The names of the phases the sync engine runs."""
    return frozenset(family.name for family in default_families())


def phase_built(phase: str | None) -> bool:
    """Whether something read by ``phase`` (None: by what is always there) is read today."""
    return phase is None or phase in engine_phases()


def in_use(key: str) -> bool:
    """Whether the declared setting ``key`` is read by the engine as built."""
    declared = SETTINGS.get(key)
    return declared is not None and phase_built(declared.read_by)


def settings_in_use() -> dict[str, SettingDefinition]:
    """The registry without the settings of phases the engine does not run."""
    return {key: declared for key, declared in SETTINGS.items() if phase_built(declared.read_by)}
