"""Views of the Finance (QB) tab: thin, the work is done by the settings store and migrating."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from onecrm_finance_qb import __version__, migrating
from onecrm_finance_qb.admin.forms import ServerAddressForm
from onecrm_finance_qb.i18n import gettext as _
from onecrm_finance_qb.settings_store import get_setting, set_setting
from onecrm_finance_qb.state import get_host

BASE_URL_KEY = 'webconnector.base_url'


def _migration_status() -> tuple[str | None, str | None]:
    """The database's plugin revision (None: no tables yet) and the newest shipped one."""
    connection = get_host().db.session.connection()
    return migrating.current_revision(connection), migrating.head_revision()


def _render_status(form: ServerAddressForm, current: str | None, head: str | None) -> str:
    return render_template(
        'finance_qb/status.html',
        plugin_version=__version__,
        host_version=get_host().version,
        current_revision=current,
        head_revision=head,
        form=form,
    )


def status() -> str:
    """The tab's home: versions, database state, the Web Connector panel and the server address."""
    current, head = _migration_status()
    form = ServerAddressForm()
    if current is not None:
        form.base_url.data = get_setting(get_host().db.session, BASE_URL_KEY)
    return _render_status(form, current, head)


def save_server_address() -> Response | str:
    """Store the server address, or show the status page again with the form's errors."""
    host = get_host()
    current, head = _migration_status()
    if current is None:
        flash(_('The Finance (QB) tables do not exist yet: run "flask finance-qb db upgrade" first.'), 'error')
        return redirect(url_for('.status'))
    form = ServerAddressForm()
    if not form.validate_on_submit():
        return _render_status(form, current, head)
    set_setting(host.db.session, BASE_URL_KEY, form.base_url.data)
    host.db.session.commit()
    flash(_('Server address saved.'), 'success')
    return redirect(url_for('.status'))
