"""Where the module's non-Python parts live, found in one place.

The module root is the folder holding ``manifest.json``, the parent of this package, both in the
repository and in a module unpacked by the host's loader; templates, catalogs and migrations sit
beside the package there rather than inside it.
"""

from pathlib import Path

#: The folder holding manifest.json, onecrm_finance_qb/, migrations/, templates/ and translations/.
MODULE_ROOT = Path(__file__).resolve().parent.parent
#: Jinja templates, namespaced under ``finance_qb/``.
TEMPLATES_DIR = MODULE_ROOT / 'templates'
#: Babel catalogs: ``messages.pot`` and ``<locale>/LC_MESSAGES/messages.po``.
TRANSLATIONS_DIR = MODULE_ROOT / 'translations'
#: The plugin's own Alembic environment.
MIGRATIONS_DIR = MODULE_ROOT / 'migrations'
