"""Forms of the Finance (QB) tab; all are Flask-WTF forms, so each carries a CSRF token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError

from onecrm_finance_qb.i18n import lazy_gettext
from onecrm_finance_qb.settings_registry import InvalidSettingError, definition


class ServerAddressForm(FlaskForm):
    """The CRM's HTTPS address as the Web Connector reaches it, written into the .qwc file."""

    base_url = StringField(
        lazy_gettext('Server address'),
        validators=[DataRequired(), Length(max=500)],
        description=lazy_gettext('The HTTPS address of this CRM as seen from the computer running QuickBooks.'),
    )
    submit = SubmitField(lazy_gettext('Save'))

    def validate_base_url(self, field: StringField) -> None:
        try:
            definition('webconnector.base_url').to_text(field.data)
        except InvalidSettingError:
            raise ValidationError(
                lazy_gettext('Enter an address starting with https:// (http:// is accepted for localhost only).')
            ) from None
