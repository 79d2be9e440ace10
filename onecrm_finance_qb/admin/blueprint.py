"""The Finance (QB) tab's blueprint: every route of the tab is declared here.

Every URL is for CRM administrators only, and every state-changing request must carry a CSRF
token, whatever the host's own settings for its other pages.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, request
from flask_wtf.csrf import CSRFProtect

from onecrm_finance_qb.admin import runs, sync_lists, views, wizard
from onecrm_finance_qb.i18n import template_callables
from onecrm_finance_qb.paths import TEMPLATES_DIR
from onecrm_finance_qb.state import get_host

#: HTTP methods that change nothing and so need no CSRF token.
SAFE_METHODS = frozenset({'GET', 'HEAD', 'OPTIONS', 'TRACE'})

_csrf = CSRFProtect()


def create_blueprint() -> Blueprint:
    """A new blueprint per application, so the plugin can be initialised on several applications."""
    blueprint = Blueprint('finance_qb', __name__, url_prefix='/finance-qb', template_folder=str(TEMPLATES_DIR))
    blueprint.before_request(_require_admin)
    blueprint.before_request(_require_csrf_token)
    blueprint.context_processor(_template_context)
    blueprint.add_url_rule('/', 'status', views.status, methods=('GET',))
    blueprint.add_url_rule('/server-address', 'save_server_address', views.save_server_address, methods=('POST',))
    _add_configuration_and_inspection_rules(blueprint)
    return blueprint


def _add_configuration_and_inspection_rules(blueprint: Blueprint) -> None:
    """The wizard, the three sync lists with their buttons, the conflicts, the run history and its chart."""
    blueprint.context_processor(runs.template_context)
    blueprint.add_url_rule('/wizard/', 'wizard', wizard.wizard, methods=('GET',))
    blueprint.add_url_rule('/wizard/<step_key>', 'wizard_step', wizard.wizard_step, methods=('GET', 'POST'))
    blueprint.add_url_rule('/sync/entities', 'entity_sync', sync_lists.entity_sync, methods=('GET',))
    blueprint.add_url_rule('/sync/items', 'item_sync', sync_lists.item_sync, methods=('GET',))
    blueprint.add_url_rule('/sync/transactions', 'transaction_sync', sync_lists.transaction_sync, methods=('GET',))
    blueprint.add_url_rule('/sync/<list_key>/action', 'sync_action', sync_lists.sync_action, methods=('POST',))
    blueprint.add_url_rule('/conflicts', 'conflicts', sync_lists.conflicts, methods=('GET',))
    blueprint.add_url_rule('/conflicts/<int:conflict_id>', 'resolve_conflict', sync_lists.resolve_conflict,
                           methods=('POST',))
    blueprint.add_url_rule('/runs/', 'run_list', runs.run_list, methods=('GET',))
    blueprint.add_url_rule('/runs/<int:run_id>', 'run_detail', runs.run_detail, methods=('GET',))


def _require_admin() -> None:
    if not get_host().is_admin():
        abort(403)


def _require_csrf_token() -> None:
    """Refuse a form without a valid token (400) even on a host that does not check CSRF itself."""
    if request.method not in SAFE_METHODS and current_app.config.get('WTF_CSRF_ENABLED', True):
        _csrf.protect()


def _template_context() -> dict[str, Any]:
    """The plugin's gettext for its own templates, and the host template they extend.

    Only templates rendered by this blueprint see these; the host's pages keep the host's gettext.
    """
    return {
        **template_callables(current_app.jinja_env.newstyle_gettext),
        'finance_qb_base_template': get_host().base_template,
    }
