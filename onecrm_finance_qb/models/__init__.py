"""The plugin's tables, one module per aggregate, all on ``onecrm_finance_qb.models.base.metadata``.

Importing this package imports every model module, so the metadata is complete for Alembic.
"""

import importlib
import pkgutil

from onecrm_finance_qb.models.base import Base, metadata


def _import_model_modules() -> None:
    """Import each model module of this package, including those added later by other features."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f'{__name__}.{module.name}')


_import_model_modules()

__all__ = ['Base', 'metadata']
