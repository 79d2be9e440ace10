"""Views of the configuration wizard: a page per step, Back / Next / Finish / Cancel, lights on the left.

Every value a page saves is the setting or list mapping the CLI sets (``flask finance-qb config
set``) and the engine reads; a page saves all of its fields or, when one is wrong, none of them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from onecrm_finance_qb.admin import mapping_values, wizard_steps
from onecrm_finance_qb.admin.setting_labels import setting_label
from onecrm_finance_qb.admin.wizard_steps import STEPS_BY_KEY, Step
from onecrm_finance_qb.i18n import _
from onecrm_finance_qb.models.mappings import ListKind, ListMapping
from onecrm_finance_qb.models.servers import QBServer
from onecrm_finance_qb.settings_registry import SETTINGS, InvalidSettingError, SettingType
from onecrm_finance_qb.settings_store import get_setting, set_setting
from onecrm_finance_qb.state import get_host
from onecrm_finance_qb.sync.mappings import EXPENSE_ACCOUNT_TYPES, expense_category_row, live_host_records
from onecrm_finance_qb.webconnector.servers import last_attempt, primary_server

#: The select value of "Add to List".
ADD_TO_LIST = '+'


class WizardForm(FlaskForm):
    """Carries the CSRF token; the step's fields are read from the request because they vary per server."""


def _states(server: QBServer | None) -> dict[str, wizard_steps.StepState]:
    db = get_host().db.session
    return {step.key: wizard_steps.step_state(db, server, step) for step in wizard_steps.visible_steps()}


def wizard() -> Response:
    """Open the wizard at the first step that needs attention."""
    server = primary_server(get_host().db.session)
    key = wizard_steps.first_step_needing_attention(_states(server)) if server else 'server'
    return redirect(url_for('finance_qb.wizard_step', step_key=key))


def _neighbours(step: Step) -> tuple[Step | None, Step | None]:
    steps = wizard_steps.visible_steps()
    index = steps.index(step)
    return (steps[index - 1] if index else None), (steps[index + 1] if index + 1 < len(steps) else None)


def _account_choices(server: QBServer, account_types: tuple[str, ...]) -> list[tuple[str, str]]:
    rows = wizard_steps.mapping_rows(get_host().db.session, server, ListKind.ACCOUNT)
    return [(row.qb_id, row.name) for row in rows
            if _details(row).get('AccountType') in account_types and row.is_active and row.qb_id]


def _details(row: ListMapping) -> dict[str, Any]:
    return json.loads(row.details or '{}')


def _choices(step: Step, server: QBServer | None) -> dict[str, list[mapping_values.CrmOption]]:
    """The CRM records each of the step's record-choosing settings offers (category, type, warehouse)."""
    host = get_host()
    found = {key: mapping_values.setting_options(host, key) for key in wizard_steps.settings_for(step, server)}
    return {key: options for key, options in found.items() if options is not None}


def _labeller(server: QBServer | None) -> Callable[[str], str]:
    """``setting_label``, with the tax-rate slots named after the taxes of the server's edition."""
    slots = {key: str(label) for key, label, _pattern in wizard_steps.TAX_RATE_SLOTS.get(server.country if server
                                                                                          else '', ())}
    return lambda key: slots.get(key) or setting_label(key)


def _suggested_slots(server: QBServer, values: dict[str, Any]) -> dict[str, str]:
    """The original's speculative pre-fill: an unset tax-rate slot offers the CRM rate named like its tax."""
    rates = mapping_values.crm_options(get_host(), ListKind.SALES_TAX_ITEM)
    suggested = {}
    for key, _label, pattern in wizard_steps.TAX_RATE_SLOTS.get(server.country, ()):
        matching = [rate.value for rate in rates if re.search(pattern, rate.label, re.IGNORECASE)]
        if not values.get(key) and matching:
            suggested[key] = matching[0]
    return suggested


def _expense_categories(server: QBServer) -> list[tuple[str, str, str]]:
    """(CRM category id, name, ListID of the account it is booked to or '') for every live CRM expense category."""
    rows = wizard_steps.expense_category_rows(get_host().db.session, server)
    categories = sorted(live_host_records(get_host(), 'expense_categories'), key=lambda record: record.name.casefold())
    return [(category.id, category.name, rows[category.id].expense_account or '' if category.id in rows else '')
            for category in categories]


def _render(step: Step, server: QBServer | None, errors: list[str], submitted: dict[str, Any] | None) -> str:
    host = get_host()
    db = host.db.session
    previous, following = _neighbours(step)
    context: dict[str, Any] = {'choices': _choices(step, server), 'suggested': {}}
    if server is not None and step.list_kind is not None:
        context['rows'] = wizard_steps.mapping_rows(db, server, step.list_kind)
        context['options'] = mapping_values.crm_options(host, step.list_kind)
        context['addable'] = step.list_kind in mapping_values.ADDABLE
        context['primary_currency'] = wizard_steps.primary_currency_name(server)
    if server is not None:
        context['values'] = {key: get_setting(db, key, server.id) for key in wizard_steps.settings_for(step, server)}
        context['suggested'] = _suggested_slots(server, context['values'])
        context['values'].update(context['suggested'])
        context['values'].update({picker.key: get_setting(db, picker.key, server.id) for picker in step.shown_accounts})
        context['account_choices'] = {picker.key: _account_choices(server, picker.account_types)
                                      for picker in step.shown_accounts}
    if step.key == 'server':
        context['attempt'] = last_attempt(db)
    if step.key == 'expense_categories' and server is not None:
        context['expense_categories'] = _expense_categories(server)
        context['expense_accounts'] = _account_choices(server, EXPENSE_ACCOUNT_TYPES)
    return render_template(
        'finance_qb/wizard.html', step=step, server=server, steps=wizard_steps.visible_steps(), states=_states(server),
        previous=previous, following=following, form=WizardForm(), errors=errors, submitted=submitted,
        add_to_list=ADD_TO_LIST, settings=SETTINGS, setting_groups=_setting_groups(step, server),
        setting_label=_labeller(server),
        SettingType=SettingType, **context,
    )


def _setting_groups(step: Step, server: QBServer | None) -> list[tuple[str, list[str]]]:
    """The step's settings under the headings of the Go Live page (import, export, batch sizes, sync)."""
    headings = {'import': _('Import from QuickBooks'), 'export': _('Export to QuickBooks'), 'batch': _('Batch sizes'),
                'sync': _('Synchronisation')}
    groups: dict[str, list[str]] = {}
    for key in wizard_steps.settings_for(step, server):
        groups.setdefault(headings.get(key.split('.', 1)[0], ''), []).append(key)
    return list(groups.items())


def wizard_step(step_key: str) -> Response | str:
    step = STEPS_BY_KEY.get(step_key)
    if step is None or step not in wizard_steps.visible_steps():
        abort(404)
    db = get_host().db.session
    server = primary_server(db)
    if request.method == 'GET':
        return _render(step, server, [], None)
    form = WizardForm()
    if not form.validate_on_submit():
        return _render(step, server, [_('The form has expired; please submit it again.')], request.form.to_dict())
    errors = _save(step, server) if server is not None else []
    if errors:
        db.rollback()
        return _render(step, server, errors, request.form.to_dict())
    db.commit()
    return _after_save(step)


def _after_save(step: Step) -> Response:
    nav = request.form.get('nav', 'save')
    _previous, following = _neighbours(step)
    if nav == 'finish':
        flash(_('The configuration was saved.'), 'success')
        return redirect(url_for('finance_qb.status'))
    if nav == 'next' and following is not None:
        return redirect(url_for('finance_qb.wizard_step', step_key=following.key))
    flash(_('Saved.'), 'success')
    return redirect(url_for('finance_qb.wizard_step', step_key=step.key))


def _save(step: Step, server: QBServer) -> list[str]:
    """Store the page's values; the sentences of whatever is wrong (nothing is kept then)."""
    errors: list[str] = []
    if step.list_kind is not None:
        errors += _save_mappings(step.list_kind, server, add_all=request.form.get('nav') == 'add_all')
    if step.key == 'expense_categories':
        errors += _save_expense_categories(server)
    values = _read_settings(step, server, errors)
    errors += wizard_steps.dependency_errors(values, step, setting_label)
    errors += _category_errors(values)
    if values.get('sync.allowed') and not errors:
        errors += _cannot_go_live(server)
    if not errors:
        db = get_host().db.session
        for key, value in values.items():
            set_setting(db, key, value, server.id)
    return errors


def _save_mappings(kind: ListKind, server: QBServer, *, add_all: bool) -> list[str]:
    host = get_host()
    allowed = {option.value for option in mapping_values.crm_options(host, kind)}
    errors = []
    for row in wizard_steps.mapping_rows(host.db.session, server, kind):
        value = request.form.get(f'map-{row.id}', row.crm_value or '')
        if add_all and not value and kind in mapping_values.ADDABLE:
            value = ADD_TO_LIST
        if value == ADD_TO_LIST and kind in mapping_values.ADDABLE:
            value = mapping_values.add_to_crm_list(host, row)
        elif value and value not in allowed:
            errors.append(_('"%(value)s" is not a CRM value for %(name)s.', value=value, name=row.name))
            continue
        if (value or None) != row.crm_value:
            row.crm_value = value or None
            row.auto_mapped = False
    host.db.session.flush()
    return errors


def _save_expense_categories(server: QBServer) -> list[str]:
    """Book each CRM expense category to the QuickBooks account chosen for it."""
    db = get_host().db.session
    accounts = {qb_id for qb_id, _name in _account_choices(server, EXPENSE_ACCOUNT_TYPES)}
    errors = []
    for category_id, name, current in _expense_categories(server):
        chosen = request.form.get(f'expense-{category_id}', current)
        if chosen and chosen not in accounts:
            errors.append(_('%(category)s: choose one of the QuickBooks accounts offered.', category=name))
            continue
        if chosen != current:
            row = expense_category_row(db, server.id, category_id, name)
            row.expense_account = chosen or None
            row.auto_mapped = False
    db.flush()
    return errors


def _category_errors(values: dict[str, Any]) -> list[str]:
    """The default product type must be one the default category offers."""
    category, kind = values.get('items.import_category'), values.get('items.import_type')
    if kind and not category:
        return [_('%(setting)s needs a default category.', setting=setting_label('items.import_type'))]
    if kind and not mapping_values.type_fits_category(get_host(), kind, category):
        return [_('%(setting)s: this type is not offered in the chosen category.',
                  setting=setting_label('items.import_type'))]
    return []


def _read_settings(step: Step, server: QBServer, errors: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    crm_values = ({option.value for option in mapping_values.crm_options(get_host(), step.list_kind)}
                  if step.list_kind is not None else set())
    choices = _choices(step, server)
    label = _labeller(server)
    for key in wizard_steps.settings_for(step, server):
        declared = SETTINGS[key]
        text = request.form.get(key, '')
        try:
            if key in step.crm_value_settings and text and text not in crm_values:
                raise InvalidSettingError(key)
            if key in choices and text and text not in {option.value for option in choices[key]}:
                raise InvalidSettingError(key)
            if declared.type is SettingType.BOOL:
                value: Any = key in request.form
            elif declared.type is SettingType.INT:
                value = int(text)
            else:
                value = text.strip()
            declared.to_text(value)
        except (ValueError, InvalidSettingError):
            errors.append(_('%(setting)s: the value "%(value)s" is not acceptable.', setting=label(key), value=text))
            continue
        values[key] = value
    for picker in step.shown_accounts:
        chosen = request.form.get(picker.key, '')
        if chosen and chosen not in {qb_id for qb_id, _name in _account_choices(server, picker.account_types)}:
            errors.append(_('%(setting)s: choose one of the QuickBooks accounts offered.',
                            setting=setting_label(picker.key)))
            continue
        values[picker.key] = chosen
    return values


def _cannot_go_live(server: QBServer) -> list[str]:
    """Synchronisation is switched on only with an accepted server and no step in error."""
    states = _states(server)
    return [_('%(step)s: %(problem)s', step=step.title, problem=problem)
            for step in wizard_steps.visible_steps() if states[step.key].light == wizard_steps.RED
            for problem in states[step.key].problems]
