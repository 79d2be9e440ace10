"""Logging in and out: Flask-Login sessions, werkzeug password hashes, CSRF-protected forms."""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers import Response
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import InputRequired

from hostcrm.extensions import db, login_manager
from hostcrm.i18n import gettext, lazy_gettext
from hostcrm.models import User

bp = Blueprint('auth', __name__)


class LoginForm(FlaskForm):
    """User name and password."""

    user_name = StringField(
        lazy_gettext('User name'), validators=[InputRequired(lazy_gettext('Enter your user name.'))]
    )
    password = PasswordField(lazy_gettext('Password'), validators=[InputRequired(lazy_gettext('Enter your password.'))])
    remember = BooleanField(lazy_gettext('Remember me'))


def find_user(user_name: str) -> User | None:
    """The live user called ``user_name``."""
    return db.session.scalar(sa.select(User).where(User.user_name == user_name, User.deleted.is_(False)))


def authenticate(user_name: str, password: str) -> User | None:
    """The active user with these credentials, or None.

    An unknown user name still costs one hash check, so response times do not reveal which
    user names exist.
    """
    user = find_user(user_name)
    if user is None:
        check_password_hash(_decoy_hash(), password)
        return None
    if not user.check_password(password) or not user.is_active:
        return None
    return user


@cache
def _decoy_hash() -> str:
    return generate_password_hash('decoy password that matches nothing')


def _safe_next(target: str | None) -> str:
    """``target`` if it is a path on this site, else the dashboard: never an open redirect."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith('/') and not target.startswith('//'):
            return target
    return url_for('crm.dashboard')


@bp.route('/login', methods=['GET', 'POST'])
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get('next')))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.user_name.data or '', form.password.data or '')
        if user is not None:
            login_user(user, remember=bool(form.remember.data))
            return redirect(_safe_next(request.args.get('next')))
        flash(gettext('Invalid user name or password.'), 'error')
    return render_template('auth/login.html', form=form)


@bp.route('/logout', methods=['POST'])
@login_required
def logout() -> Response:
    """Log out; a POST, so CSRF protection stops other sites from logging users out."""
    logout_user()
    flash(gettext('You have been logged out.'), 'info')
    return redirect(url_for('auth.login'))


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    user = db.session.get(User, user_id)
    return user if user is not None and not user.deleted else None


def init_app(app: Flask) -> None:
    """Register the login pages and point Flask-Login at them."""
    login_manager.login_view = 'auth.login'
    login_manager.login_message = lazy_gettext('Please log in to see this page.')
    login_manager.login_message_category = 'info'
    login_manager.localize_callback = str
    app.register_blueprint(bp)
