"""Views of the configuration wizard: a page per step, Back / Next / Finish / Cancel, lights on the left.

Every value a page saves is the setting or list mapping the CLI sets (``flask finance-qb config
set``) and the engine reads; a page saves all of its fields or, when one is wrong, none of them.
"""

from __future__ import annotations

import json
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


def _render(step: Step, server: QBServer | None, errors: list[str], submitted: dict[str, Any] | None) -> str:
    host = get_host()
    db = host.db.session
    previous, following = _neighbours(step)
    context: dict[str, Any] = {}
    if server is not None and step.list_kind is not None:
        context['rows'] = wizard_steps.mapping_rows(db, server, step.list_kind)
        context['options'] = mapping_values.crm_options(host, step.list_kind)
        context['addable'] = step.list_kind in mapping_values.ADDABLE
        context['primary_currency'] = wizard_steps.primary_currency_name(server)
    if server is not None:
        context['values'] = {key: get_setting(db, key, server.id) for key in step.shown_settings}
        context['values'].update({picker.key: get_setting(db, picker.key, server.id) for picker in step.shown_accounts})
        context['account_choices'] = {picker.key: _account_choices(server, picker.account_types)
                                      for picker in step.shown_accounts}
    if step.key == 'server':
        context['attempt'] = last_attempt(db)
    return render_template(
        'finance_qb/wizard.html', step=step, server=server, steps=wizard_steps.visible_steps(), states=_states(server),
        previous=previous, following=following, form=WizardForm(), errors=errors, submitted=submitted,
        add_to_list=ADD_TO_LIST, settings=SETTINGS, setting_groups=_setting_groups(step), setting_label=setting_label,
        SettingType=SettingType, **context,
    )


def _setting_groups(step: Step) -> list[tuple[str, list[str]]]:
    """The step's settings under the headings of the Go Live page (import, export, batch sizes, sync)."""
    headings = {'import': _('Import from QuickBooks'), 'export': _('Export to QuickBooks'), 'batch': _('Batch sizes'),
                'sync': _('Synchronisation')}
    groups: dict[str, list[str]] = {}
    for key in step.shown_settings:
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
    values = _read_settings(step, server, errors)
    errors += wizard_steps.dependency_errors(values, step, setting_label)
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


def _read_settings(step: Step, server: QBServer, errors: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    crm_values = ({option.value for option in mapping_values.crm_options(get_host(), step.list_kind)}
                  if step.list_kind is not None else set())
    for key in step.shown_settings:
        declared = SETTINGS[key]
        text = request.form.get(key, '')
        try:
            if key in step.crm_value_settings and text and text not in crm_values:
                raise InvalidSettingError(key)
            if declared.type is SettingType.BOOL:
                value: Any = key in request.form
            elif declared.type is SettingType.INT:
                value = int(text)
            else:
                value = text.strip()
            declared.to_text(value)
        except (ValueError, InvalidSettingError):
            errors.append(_('%(setting)s: the value "%(value)s" is not acceptable.', setting=setting_label(key),
                            value=text))
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
