"""Views of the Entity Sync, Item Sync and Estimate/Invoice Sync lists and of the conflicts held for review.

The lists show the primary server's links only (the original mixed every server's rows), filter
and sort them in the database, page by key, and apply the guide's buttons to the ticked rows or
to every row the filter matches.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.support import LazyProxy
from flask import abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import HiddenField, SelectField

from onecrm_finance_qb.admin import conflict_view, labels, link_queries
from onecrm_finance_qb.admin.link_queries import LinkFilter
from onecrm_finance_qb.i18n import _, lazy_gettext, ngettext
from onecrm_finance_qb.models.links import FirstSync, LinkStatus, SyncConflict, SyncLink
from onecrm_finance_qb.models.servers import QBServer
from onecrm_finance_qb.state import get_host
from onecrm_finance_qb.sync import manual
from onecrm_finance_qb.webconnector.servers import primary_server

MAX_CONFLICTS = 200


@dataclass(frozen=True)
class SyncList:
    """One of the three inspection lists: which QuickBooks types it holds and how it is titled."""

    key: str
    endpoint: str
    title: LazyProxy
    qb_types: tuple[str, ...]


SYNC_LISTS = {
    'entities': SyncList('entities', 'finance_qb.entity_sync', lazy_gettext('Entity Sync'),
                         ('Customer', 'Vendor', 'Employee', 'OtherName')),
    'items': SyncList('items', 'finance_qb.item_sync', lazy_gettext('Item Sync'),
                      ('ItemInventory', 'ItemNonInventory', 'ItemInventoryAssembly', 'ItemGroup', 'ItemDiscount',
                       'ItemSalesTax', 'ItemSalesTaxGroup', 'ItemSubtotal', 'ItemOtherCharge', 'ItemService',
                       'ItemFixedAsset', 'ItemPayment')),
    'transactions': SyncList('transactions', 'finance_qb.transaction_sync', lazy_gettext('Estimate/Invoice Sync'),
                             ('Estimate', 'Invoice', 'CreditMemo', 'Bill', 'ReceivePayment', 'BillPaymentCheck',
                              'BillPaymentCreditCard', 'Check', 'ARRefundCreditCard')),
}

#: The guide's buttons, in its order; each but the first works on the selection.
ACTIONS = {
    'register': lazy_gettext('Register Local Changes'),
    're_register': lazy_gettext('Re-Register'),
    'force_update': lazy_gettext('Force Update in QB'),
    'enable': lazy_gettext('Enable Sync'),
    'disable': lazy_gettext('Disable Sync'),
    'force_reimport': lazy_gettext('Force Re-Import'),
}
_BULK_OPERATIONS = {
    'force_update': manual.force_update_in_qb,
    'enable': manual.enable_sync,
    'disable': manual.disable_sync,
    'force_reimport': manual.force_reimport,
}


class ActionForm(FlaskForm):
    """One of the buttons, pressed for the ticked rows or (``scope=all``) for every row the filter matches."""

    action = SelectField(choices=list(ACTIONS))
    scope = HiddenField(default='selected')


class ConflictForm(FlaskForm):
    """Which version of a record held for review wins."""

    keep = SelectField(choices=['crm', 'qb'])


KEEP_CHOICES = {'crm': lazy_gettext('Keep the CRM version'), 'qb': lazy_gettext('Keep the QuickBooks version')}


def _server_or_none() -> QBServer | None:
    return primary_server(get_host().db.session)


def record_link(kind: str | None, record_id: str | None) -> str | None:
    """The CRM page of a record, when the host can tell it (an optional ``record_url`` member)."""
    record_url = getattr(get_host(), 'record_url', None)
    if record_url is None or not kind or not record_id:
        return None
    return record_url(kind, record_id)


def _render(sync_list: SyncList) -> str:
    server = _server_or_none()
    chosen = LinkFilter.from_args(request.args, sync_list.qb_types)
    page = None
    if server is not None:
        where = link_queries.condition(server.id, sync_list.qb_types, chosen)
        page = link_queries.fetch_page(get_host().db.session, where, chosen, after=request.args.get('after'),
                                       before=request.args.get('before'))
    return render_template(
        'finance_qb/sync_list.html', sync_list=sync_list, server=server, chosen=chosen, page=page,
        form=ActionForm(), actions=ACTIONS, status_groups=_status_choices(), first_sync_choices=_first_sync_choices(),
        type_choices=[(qb_type, labels.label(labels.QB_TYPE_LABELS, qb_type)) for qb_type in sync_list.qb_types],
        sort_choices=_sort_choices(), page_sizes=link_queries.PAGE_SIZES, labels=labels, record_link=record_link,
    )


def _status_choices() -> list[tuple[str, str]]:
    groups = [('enabled', _('Enabled')), ('all_pending', _('(All Pending)')), ('all_blocked', _('(All Blocked)')),
              ('all_errored', _('(All Errored)'))]
    return groups + [(status.value, str(labels.STATUS_LABELS[status])) for status in LinkStatus
                     if status != LinkStatus.ENABLED]


def _first_sync_choices() -> list[tuple[str, str]]:
    return [(value.value, str(labels.FIRST_SYNC_LABELS[value])) for value in FirstSync]


def _sort_choices() -> list[tuple[str, str]]:
    return [('name', _('Name')), ('type', _('Type')), ('first_sync', _('First Sync')), ('status', _('Sync Status')),
            ('modified', _('Date Modified'))]


def entity_sync() -> str:
    return _render(SYNC_LISTS['entities'])


def item_sync() -> str:
    return _render(SYNC_LISTS['items'])


def transaction_sync() -> str:
    return _render(SYNC_LISTS['transactions'])


def sync_action(list_key: str) -> Response:
    """Apply one button to the selection, then show the same list and filter again."""
    sync_list = SYNC_LISTS.get(list_key) or abort(404)
    chosen = LinkFilter.from_args(request.form, sync_list.qb_types)
    back = redirect(url_for(sync_list.endpoint, **chosen.args()))
    form = ActionForm()
    server = _server_or_none()
    if not form.validate_on_submit() or server is None:
        flash(_('That operation could not be carried out; reload the page and try again.'), 'error')
        return back
    host = get_host()
    db = host.db.session
    if form.action.data == 'register':
        counts = manual.register_local_changes(db, host, server)
        db.commit()
        flash(_('Local changes registered: %(new)s new, %(changed)s changed.',
                new=sum(v for k, v in counts.items() if k.endswith('.registered')),
                changed=sum(v for k, v in counts.items() if k.endswith('.changed'))), 'success')
        return back
    where = link_queries.condition(server.id, sync_list.qb_types, chosen)
    if form.scope.data != 'all':
        ids = [int(value) for value in request.form.getlist('ids') if value.isdigit()]
        if not ids:
            flash(_('Tick the records to apply the operation to first.'), 'error')
            return back
        where = link_queries.condition(server.id, sync_list.qb_types, LinkFilter()) & SyncLink.id.in_(ids)
    if form.action.data == 're_register':
        changed = manual.re_register(db, host, server, where)
    else:
        changed = _BULK_OPERATIONS[form.action.data](db, where)
    db.commit()
    flash(ngettext('%(operation)s: %(num)s record changed.', '%(operation)s: %(num)s records changed.', changed,
                   operation=str(ACTIONS[form.action.data])), 'success')
    return back


def conflicts() -> str:
    """Records changed on both sides, held for review: both versions side by side and a choice for each."""
    host = get_host()
    server = _server_or_none()
    held = []
    if server is not None:
        held = conflict_view.held_records(host, manual.held_conflicts(host.db.session, server.id, MAX_CONFLICTS))
    return render_template('finance_qb/conflicts.html', server=server, held=held, form=ConflictForm(),
                           keep_choices=KEEP_CHOICES, labels=labels, record_link=record_link)



def resolve_conflict(conflict_id: int) -> Response:
    db = get_host().db.session
    server = _server_or_none()
    conflict = db.get(SyncConflict, conflict_id)
    if server is None or conflict is None or conflict.server_id != server.id:
        abort(404)
    form = ConflictForm()
    if not form.validate_on_submit():
        flash(_('That operation could not be carried out; reload the page and try again.'), 'error')
        return redirect(url_for('finance_qb.conflicts'))
    manual.resolve_conflict(db, conflict, form.keep.data)
    db.commit()
    flash(_('The conflict on %(name)s was settled.', name=conflict.name), 'success')
    return redirect(url_for('finance_qb.conflicts'))
