"""Host-side translations with Babel: the locale is chosen per user, per request.

The CRM speaks English, Canadian French and Spanish. A logged-in user's ``locale`` wins;
otherwise the browser's Accept-Language picks the best supported locale. Catalogs live in
``hostcrm/translations/<locale>/LC_MESSAGES/messages.po``; a compiled ``.mo`` next to it is used
when it is up to date, else the ``.po`` is compiled in memory, so a clean checkout works as is.
"""

from __future__ import annotations

import gettext as stdlib_gettext
from collections.abc import Iterable
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import LazyProxy, Translations
from flask import Flask, g, has_request_context, request
from flask_login import current_user

#: Locales the CRM ships catalogs for, the first being the fallback.
SUPPORTED_LOCALES = ('en', 'fr_CA', 'es')
DEFAULT_LOCALE = SUPPORTED_LOCALES[0]
TRANSLATIONS_DIR = Path(__file__).resolve().parent / 'translations'
DOMAIN = 'messages'


@cache
def translations_for(locale: str) -> stdlib_gettext.NullTranslations:
    """The compiled catalog of ``locale`` (cached for the life of the process)."""
    folder = TRANSLATIONS_DIR / locale / 'LC_MESSAGES'
    po_path, mo_path = folder / f'{DOMAIN}.po', folder / f'{DOMAIN}.mo'
    if mo_path.is_file() and (not po_path.is_file() or mo_path.stat().st_mtime >= po_path.stat().st_mtime):
        with mo_path.open('rb') as mo_file:
            return Translations(mo_file, domain=DOMAIN)
    if not po_path.is_file():
        return stdlib_gettext.NullTranslations()
    with po_path.open('rb') as po_file:
        catalog = read_po(po_file, locale=locale, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def current_locale() -> str:
    """The locale of the current request: the user's choice, else the browser's, else English."""
    if not has_request_context():
        return DEFAULT_LOCALE
    if 'hostcrm_locale' not in g:
        g.hostcrm_locale = _request_locale()
    return g.hostcrm_locale


def _request_locale() -> str:
    user_locale = getattr(current_user, 'locale', None) if current_user else None
    if user_locale in SUPPORTED_LOCALES:
        return user_locale
    best = request.accept_languages.best_match(SUPPORTED_LOCALES)
    return best or _same_language(language for language, _quality in request.accept_languages)


def _same_language(accepted: Iterable[str]) -> str:
    """The first supported locale sharing a language with an accepted one (fr-FR gets fr_CA)."""
    by_language = {locale.split('_')[0]: locale for locale in reversed(SUPPORTED_LOCALES)}
    for language in accepted:
        primary = language.replace('_', '-').split('-')[0].lower()
        if primary in by_language:
            return by_language[primary]
    return DEFAULT_LOCALE


def locale_choices() -> list[tuple[str, str]]:
    """(locale, its name in its own language) for every supported locale, for pickers."""
    names = ((code, Locale.parse(code).get_display_name(code)) for code in SUPPORTED_LOCALES)
    return [(code, name[:1].upper() + name[1:]) for code, name in names]


def _translations() -> stdlib_gettext.NullTranslations:
    return translations_for(current_locale())


def gettext(message: str, **variables: Any) -> str:
    """``message`` in the current locale, with ``%(name)s`` placeholders filled from ``variables``."""
    translated = _translations().gettext(message)
    return translated % variables if variables else translated


def ngettext(singular: str, plural: str, count: int, **variables: Any) -> str:
    """The singular or plural form for ``count``; ``%(num)d`` is ``count``."""
    translated = _translations().ngettext(singular, plural, count)
    return translated % {'num': count, **variables}


def lazy_gettext(message: str, **variables: Any) -> LazyProxy:
    """Like :func:`gettext`, translated when the string is used (for module-level labels)."""
    return LazyProxy(gettext, message, enable_cache=False, **variables)


_ = gettext


def init_app(app: Flask) -> None:
    """Give templates ``_``/``gettext``/``ngettext`` and ``{% trans %}``, bound to each request's locale."""
    app.jinja_env.add_extension('jinja2.ext.i18n')
    app.jinja_env.install_gettext_callables(
        gettext=lambda message: _translations().gettext(message),
        ngettext=lambda singular, plural, count: _translations().ngettext(singular, plural, count),
        newstyle=True,
    )
    app.jinja_env.globals['current_locale'] = current_locale
