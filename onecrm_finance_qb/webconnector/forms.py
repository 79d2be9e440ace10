"""Forms of the status screen and the Server Selection step; every one carries a CSRF token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from onecrm_finance_qb.i18n import lazy_gettext
from onecrm_finance_qb.webconnector.credentials import MIN_PASSWORD_LENGTH
from onecrm_finance_qb.webconnector.servers import AttemptAction


class CredentialForm(FlaskForm):
    username = StringField(lazy_gettext('Sync user name'), validators=[DataRequired(), Length(max=255)])
    password = PasswordField(
        lazy_gettext('Sync password'), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=1024)]
    )
    confirm = PasswordField(
        lazy_gettext('Repeat the password'),
        validators=[EqualTo('password', message=lazy_gettext('The passwords do not match.'))],
    )


class AcceptServerForm(FlaskForm):
    accept = BooleanField(lazy_gettext('Accept connections by this server'))
    always_request_file = BooleanField(
        lazy_gettext(
            'Always request this company file when initiating a connection (required for automatic QuickBooks login)'
        )
    )


class AttemptForm(FlaskForm):
    action = RadioField(
        lazy_gettext('Last connection attempt'),
        choices=[
            SelectChoice(AttemptAction.NONE.value, lazy_gettext('Take no action')),
            SelectChoice(AttemptAction.IGNORE.value, lazy_gettext('Ignore this connection attempt')),
            SelectChoice(
                AttemptAction.UPDATE.value,
                lazy_gettext('Use these new connection details (same company file, moved or renamed)'),
            ),
            SelectChoice(
                AttemptAction.REPLACE.value,
                lazy_gettext('Replace the primary QuickBooks server with this one (a different company file)'),
            ),
        ],
        default=AttemptAction.NONE.value,
    )
