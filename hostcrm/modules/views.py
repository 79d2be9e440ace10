"""The administrator's "Upgrades & Customization" page: upload, list, upgrade, roll back, uninstall.

Every action calls the same service functions as ``flask modules``; the page only turns forms
into calls and results into messages.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Flask, abort, current_app, render_template, request
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from hostcrm.i18n import gettext as _
from hostcrm.modules import service
from hostcrm.modules.errors import ModuleError, ModuleRejected
from hostcrm.modules.forms import RollbackForm, UninstallForm, UploadForm
from hostcrm.modules.loading import FAILED, LOADED, RESTART_REQUIRED

blueprint = Blueprint('modules', __name__, url_prefix='/admin/modules', template_folder='templates')

#: Room for the multipart framing and the form's other fields around the archive itself.
_FORM_OVERHEAD_BYTES = 64 * 1024


@blueprint.url_value_preprocessor
def _limit_upload_size(endpoint: str | None, _values: dict | None) -> None:
    """Cap the request body before anything reads it (CSRF protection parses the form first)."""
    if endpoint == 'modules.upload':
        request.max_content_length = service.limits(current_app).archive_bytes + _FORM_OVERHEAD_BYTES


@blueprint.before_request
def _require_admin() -> Response | None:
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not getattr(current_user, 'is_admin', False):
        abort(403)
    return None


@blueprint.errorhandler(RequestEntityTooLarge)
def _too_large(_error: RequestEntityTooLarge) -> tuple[str, int]:
    limit = service.limits(current_app).archive_bytes
    return _page(error=_('The archive is larger than the limit of %(limit)s bytes.', limit=limit)), 413


@blueprint.get('/')
def index() -> str:
    return _page()


@blueprint.post('/upload')
def upload() -> tuple[str, int]:
    form = UploadForm()
    if not form.validate_on_submit():
        return _page(upload_form=form, error=_('Choose a module archive to upload.')), 400
    if form.upgrade.data:
        return _run(lambda data: service.upgrade(current_app, data, force=form.force.data), form,
                    _('Upgraded %(module)s to version %(version)s.'))
    return _run(lambda data: service.install(current_app, data), form, _('Installed %(module)s %(version)s.'))


@blueprint.post('/<module_id>/rollback')
def rollback(module_id: str) -> tuple[str, int]:
    if not RollbackForm(prefix=module_id).validate_on_submit():
        abort(400)
    try:
        record = service.rollback(current_app, module_id)
    except ModuleError as exc:
        return _page(error=str(exc)), _status(exc)
    return _page(message=_('%(module)s is back at version %(version)s.', module=record.id,
                           version=record.version)), 200


@blueprint.post('/<module_id>/uninstall')
def uninstall(module_id: str) -> tuple[str, int]:
    form = UninstallForm(prefix=module_id)
    if not form.validate_on_submit():
        abort(400)
    drop_tables = form.tables.data == 'drop'
    try:
        service.uninstall(current_app, module_id, drop_tables=drop_tables)
    except ModuleError as exc:
        return _page(error=str(exc)), _status(exc)
    if drop_tables:
        return _page(message=_('Uninstalled %(module)s and dropped its tables.', module=module_id)), 200
    return _page(message=_('Uninstalled %(module)s; its tables were kept.', module=module_id)), 200


def _run(operation: Callable[[bytes], service.ModuleRecord], form: UploadForm, success: str) -> tuple[str, int]:
    try:
        record = operation(service.read_upload(form.archive.data.stream, current_app))
    except ModuleError as exc:
        return _page(upload_form=form, error=str(exc)), _status(exc)
    return _page(message=success % {'module': record.id, 'version': record.version}), 200


def _status(exc: ModuleError) -> int:
    return 400 if isinstance(exc, ModuleRejected) else 500


def _page(*, upload_form: UploadForm | None = None, message: str | None = None, error: str | None = None) -> str:
    rows = service.statuses(current_app)
    return render_template(
        'modules/index.html',
        upload_form=upload_form or UploadForm(formdata=None),
        rows=rows,
        rollback_forms={row.record.id: RollbackForm(prefix=row.record.id, formdata=None) for row in rows},
        uninstall_forms={row.record.id: UninstallForm(prefix=row.record.id, formdata=None) for row in rows},
        status_labels={LOADED: _('Loaded'), FAILED: _('Failed to load'),
                       RESTART_REQUIRED: _('Restart the CRM to apply')},
        message=message,
        error=error,
    )


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
