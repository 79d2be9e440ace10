"""Forms of the "Upgrades & Customization" page; each one carries a CSRF token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, RadioField, SubmitField
from wtforms.fields.choices import SelectChoice

from hostcrm.i18n import lazy_gettext as _l


class UploadForm(FlaskForm):
    """Upload a module zip, to install it or to upgrade the installed version."""

    archive = FileField(_l('Module archive (.zip)'), validators=[FileRequired()])
    force = BooleanField(_l('Allow a version that is not newer than the installed one'))
    install = SubmitField(_l('Install'))
    upgrade = SubmitField(_l('Upgrade'))


class RollbackForm(FlaskForm):
    """Go back to a module's previous version."""

    submit = SubmitField(_l('Roll back'))


class UninstallForm(FlaskForm):
    """Uninstall a module, keeping its tables unless the administrator chooses otherwise."""

    tables = RadioField(
        _l("The module's database tables"),
        choices=[SelectChoice('keep', _l('Keep them')), SelectChoice('drop', _l('Drop them (their data is lost)'))],
        default='keep',
    )
    submit = SubmitField(_l('Uninstall'))
