"""Administrator pages of the Web Connector: status screen and the Server Selection step.

All of them are for CRM administrators only and every form is CSRF-protected. Text that came
from QuickBooks (company names, file paths) reaches the templates as data and is escaped by
Jinja's autoescaping.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response as BaseResponse

from onecrm_finance_qb.i18n import _, template_callables
from onecrm_finance_qb.models.base import utc_now
from onecrm_finance_qb.settings_store import get_setting, set_setting
from onecrm_finance_qb.state import get_host
from onecrm_finance_qb.webconnector.credentials import CredentialError, set_credential
from onecrm_finance_qb.webconnector.forms import AcceptServerForm, AttemptForm, CredentialForm
from onecrm_finance_qb.webconnector.pairing import QWC_FILENAME, build_installation_qwc
from onecrm_finance_qb.webconnector.qwc import QwcError
from onecrm_finance_qb.webconnector.servers import (
    AttemptAction,
    ServerSelectionError,
    accept,
    config_warnings,
    resolve_attempt,
    server_info,
)
from onecrm_finance_qb.webconnector.status import connector_status

#: The tab's status screen, where the panel and the download link live.
STATUS_ENDPOINT = 'finance_qb.status'

blueprint = Blueprint('finance_qb_connector', __name__, url_prefix='/finance-qb/connector')


@blueprint.before_request
def _administrators_only() -> None:
    if not get_host().is_admin():
        abort(403)


@blueprint.context_processor
def _plugin_gettext() -> dict:
    return template_callables(current_app.jinja_env.newstyle_gettext)


def _db():
    return get_host().db


def render_connector_panel() -> Markup:
    """The Web Connector panel of the Finance (QB) status screen (a template global of the app).

    The status page belongs to the tab; it shows this panel with one call, and the panel brings
    its own data, forms and the plugin's gettext with it.
    """
    db = _db()
    state = connector_status(db.session)
    html = render_template(
        'finance_qb/_connector_panel.html',
        status=state,
        credential_form=CredentialForm(username=state.sync_username or ''),
        result_labels=result_labels(),
        **template_callables(current_app.jinja_env.newstyle_gettext),
    )
    # Rendered by Jinja with autoescaping on: everything from QuickBooks in it is already escaped.
    return Markup(html)  # noqa: S704


def result_labels() -> dict[str, str]:
    return {
        'none': _('No sync attempt logged'),
        'in_progress': _('Sync session in progress'),
        'partial': _('Sync session ended early'),
        'aborted': _('Aborted sync session'),
        'success': _('Successfully completed sync'),
    }


@blueprint.post('/credential')
def update_credential() -> BaseResponse:
    form = CredentialForm()
    if form.validate_on_submit():
        try:
            set_credential(_db().session, form.username.data, form.password.data)
        except CredentialError:
            flash(_('The user name or password is not acceptable.'), 'error')
        else:
            _db().session.commit()
            flash(_('The sync credential was saved. Enter the same password in the Web Connector.'), 'success')
    else:
        _flash_errors(form)
    return redirect(url_for(STATUS_ENDPOINT))


@blueprint.get('/qwc')
def download_qwc() -> BaseResponse:
    db = _db()
    server_id = request.args.get('server_id', type=int)
    try:
        document = build_installation_qwc(db.session, server_id=server_id)
    except QwcError as exc:
        db.session.rollback()
        flash(_('The .qwc file could not be made: %(reason)s', reason=str(exc)), 'error')
        return redirect(url_for(STATUS_ENDPOINT))
    db.session.commit()
    return Response(
        document,
        content_type='application/xml; charset=utf-8',
        headers={'Content-Disposition': f'attachment; filename="{QWC_FILENAME}"'},
    )


@blueprint.get('/servers')
def server_selection() -> str:
    db = _db()
    state = connector_status(db.session)
    shown = state.primary or state.attempt
    html = render_template(
        'finance_qb/server_selection.html',
        status=state,
        accept_form=AcceptServerForm(always_request_file=get_setting(db.session, 'server.limit_filename')),
        attempt_form=AttemptForm(),
        primary_info=server_info(state.primary) if state.primary else None,
        attempt_info=server_info(state.attempt) if state.attempt else None,
        warnings=config_warnings(shown) if shown else [],
        base_template=get_host().base_template,
    )
    db.session.commit()
    return html


@blueprint.post('/servers/accept')
def save_acceptance() -> BaseResponse:
    db = _db()
    form = AcceptServerForm()
    if not form.validate_on_submit():
        _flash_errors(form)
        return redirect(url_for('.server_selection'))
    state = connector_status(db.session)
    set_setting(db.session, 'server.limit_filename', bool(form.always_request_file.data))
    if form.accept.data and state.primary is None:
        if state.attempt is None:
            db.session.rollback()
            flash(_('No QuickBooks server has connected yet.'), 'error')
            return redirect(url_for('.server_selection'))
        accept(db.session, state.attempt.id, utc_now())
        flash(_('The QuickBooks server was accepted. Run the update in the Web Connector again.'), 'success')
    db.session.commit()
    flash(_('Your choice was saved.'), 'success')
    return redirect(url_for('.server_selection'))


@blueprint.post('/servers/attempt')
def resolve_connection_attempt() -> BaseResponse:
    return _resolve(AttemptForm())


def _resolve(form: AttemptForm) -> BaseResponse:
    db = _db()
    if not form.validate_on_submit():
        _flash_errors(form)
        return redirect(url_for('.server_selection'))
    try:
        resolve_attempt(db.session, AttemptAction(form.action.data), utc_now())
    except ServerSelectionError:
        db.session.rollback()
        flash(_('That option does not apply to the current connection attempt.'), 'error')
        return redirect(url_for('.server_selection'))
    db.session.commit()
    flash(_('Your choice was saved.'), 'success')
    return redirect(url_for('.server_selection'))


def _flash_errors(form) -> None:
    for errors in form.errors.values():
        for error in errors:
            flash(str(error), 'error')
