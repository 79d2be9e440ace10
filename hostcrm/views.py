"""The CRM's own pages: the dashboard, the user's preferences, and the navigation bar's data."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Flask, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from hostcrm.extensions import db
from hostcrm.i18n import gettext, lazy_gettext, locale_choices
from hostcrm.models import Account, Bill, Contact, Invoice, Payment, Product, Quote
from hostcrm.tabs import Tab, registered_tabs

bp = Blueprint('crm', __name__)

#: The record kinds counted on the dashboard, with their labels.
DASHBOARD_COUNTS = (
    (Account, lazy_gettext('Accounts')),
    (Contact, lazy_gettext('Contacts')),
    (Product, lazy_gettext('Products')),
    (Quote, lazy_gettext('Quotes')),
    (Invoice, lazy_gettext('Invoices')),
    (Bill, lazy_gettext('Bills')),
    (Payment, lazy_gettext('Payments')),
)

#: Display names of the tab groups the CRM knows; modules' tabs default to "Other".
GROUP_LABELS = {'Other': lazy_gettext('Other')}


class PreferencesForm(FlaskForm):
    """The user's display language; empty means "as my browser asks"."""

    locale = SelectField(lazy_gettext('Language'))


@bp.route('/')
@login_required
def dashboard() -> str:
    counts = [
        (label, db.session.scalar(sa.select(sa.func.count()).select_from(model).where(model.deleted.is_(False))))
        for model, label in DASHBOARD_COUNTS
    ]
    return render_template('crm/dashboard.html', counts=counts)


@bp.route('/preferences', methods=['GET', 'POST'])
@login_required
def preferences() -> str | Response:
    form = PreferencesForm(locale=current_user.locale or '')
    form.locale.choices = [
        SelectChoice(code, name) for code, name in [('', gettext('Browser default')), *locale_choices()]
    ]
    if form.validate_on_submit():
        current_user.locale = form.locale.data or None
        db.session.commit()
        flash(gettext('Your preferences have been saved.'), 'info')
        return redirect(url_for('crm.preferences'))
    return render_template('crm/preferences.html', form=form)


def visible_tab_groups() -> list[tuple[str, list[Tab]]]:
    """Module tabs the current user may see, grouped for the navigation bar's menus."""
    is_admin = bool(getattr(current_user, 'is_admin', False))
    groups: dict[str, list[Tab]] = {}
    for tab in registered_tabs(current_app):
        if is_admin or not tab.admin_only:
            groups.setdefault(tab.group, []).append(tab)
    return [(str(GROUP_LABELS.get(group, group)), members) for group, members in groups.items()]


def init_app(app: Flask) -> None:
    """Register the pages and give every template the navigation bar's tabs."""
    app.register_blueprint(bp)
    app.context_processor(lambda: {'tab_groups': visible_tab_groups() if current_user.is_authenticated else []})
