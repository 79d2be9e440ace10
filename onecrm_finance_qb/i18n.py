"""The plugin's translations: its own Babel catalogs, chosen per user through the host.

Catalogs live in ``<module root>/translations/<locale>/LC_MESSAGES/messages.po``. The compiled
``.mo`` files are build artefacts; when one is missing or older than its ``.po`` the catalog is
compiled in memory, so a clean checkout and an unpacked module both work.

Every catalog falls back to the host's gettext: a plugin page extends the host's base template,
whose strings share the page's context, and they must keep the host's translations.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from gettext import NullTranslations
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.core import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import LazyProxy, Translations
from flask import current_app, has_app_context
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from onecrm_finance_qb.paths import TRANSLATIONS_DIR
from onecrm_finance_qb.state import EXTENSION_KEY, get_state
from onecrm_finance_qb.stored_messages import HasStoredMessage, render_message

if TYPE_CHECKING:
    from onecrm_finance_qb.host import Host

#: The plugin's gettext domain; its catalogs are still named ``messages.*`` on disk.
DOMAIN = 'onecrm_finance_qb'
#: Locales the plugin ships complete catalogs for.
LOCALES = ('en', 'fr_CA', 'es')


class _HostFallback(NullTranslations):
    """Hands messages the plugin does not know to the host's catalog."""

    def __init__(self, host: Host) -> None:
        super().__init__()
        self._host = host

    def gettext(self, message: str) -> str:
        return self._host.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._host.gettext(singular if n == 1 else plural)


def _candidates(locale: str) -> list[str]:
    """``fr_CA`` -> ``['fr_CA', 'fr']``, so a regional user still gets the language's catalog."""
    try:
        parsed = Locale.parse(locale.replace('-', '_'))
    except (ValueError, UnknownLocaleError):
        return []
    names = [str(parsed), parsed.language]
    return list(dict.fromkeys(names))


@functools.lru_cache(maxsize=32)
def _compiled_catalog(locale: str) -> bytes | None:
    """The ``.mo`` bytes of the first catalog found for ``locale``, compiled from the ``.po`` if need be."""
    for name in _candidates(locale):
        folder = TRANSLATIONS_DIR / name / 'LC_MESSAGES'
        po_file, mo_file = folder / 'messages.po', folder / 'messages.mo'
        if mo_file.is_file() and (not po_file.is_file() or mo_file.stat().st_mtime >= po_file.stat().st_mtime):
            return mo_file.read_bytes()
        if po_file.is_file():
            return _compile(po_file, name)
    return None


def _compile(po_file: Path, locale: str) -> bytes:
    with po_file.open('rb') as source:
        catalog = read_po(source, locale=locale, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def load_translations(locale: str, host: Host | None = None) -> NullTranslations:
    """The plugin's translations for ``locale``, falling back to ``host``'s catalog when given."""
    compiled = _compiled_catalog(locale)
    translations: NullTranslations = (
        Translations(io.BytesIO(compiled), domain=DOMAIN) if compiled is not None else NullTranslations()
    )
    if host is not None:
        translations.add_fallback(_HostFallback(host))
    return translations


def get_translations() -> NullTranslations:
    """The translations for the current user, cached per locale on the application."""
    if not has_app_context() or EXTENSION_KEY not in current_app.extensions:
        return NullTranslations()
    state = get_state()
    locale = state.host.current_locale()
    if locale not in state.translations:
        state.translations[locale] = load_translations(locale, state.host)
    return state.translations[locale]


def gettext(message: str, **variables: Any) -> str:
    """Translate ``message`` for the current user and fill ``%(name)s`` placeholders."""
    translated = get_translations().gettext(message)
    return translated % variables if variables else translated


def ngettext(singular: str, plural: str, n: int, **variables: Any) -> str:
    """Translate a message with a plural form; ``num`` is available as a placeholder."""
    variables.setdefault('num', n)
    return get_translations().ngettext(singular, plural, n) % variables


def lazy_gettext(message: str, **variables: Any) -> LazyProxy:
    """A string translated when it is rendered, for labels defined at import time."""
    return LazyProxy(gettext, message, enable_cache=False, **variables)


_ = gettext


def stored_message(row: HasStoredMessage) -> str:
    """A link's or run's message in the current user's language (see ``stored_messages``)."""
    return render_message(row, get_translations())


def template_callables(newstyle: bool) -> dict[str, Callable[..., str]]:
    """``gettext``, ``ngettext``, ``_`` and ``stored_message`` for the plugin's templates.

    The gettext callables follow the Jinja environment's calling style.
    """
    if newstyle:
        return {'gettext': _newstyle_gettext, 'ngettext': _newstyle_ngettext, '_': _newstyle_gettext,
                'stored_message': stored_message}
    return {'gettext': _oldstyle_gettext, 'ngettext': _oldstyle_ngettext, '_': gettext,
            'stored_message': stored_message}


def _oldstyle_gettext(message: str) -> str:
    # Jinja applies the {% trans %} block's variables itself.
    return get_translations().gettext(message)


def _oldstyle_ngettext(singular: str, plural: str, n: int) -> str:
    return get_translations().ngettext(singular, plural, n)


@pass_context
def _newstyle_gettext(context: Context, message: str, **variables: Any) -> str:
    return _fill(context, get_translations().gettext(message), variables)


@pass_context
def _newstyle_ngettext(context: Context, singular: str, plural: str, num: int, **variables: Any) -> str:
    variables.setdefault('num', num)
    return _fill(context, get_translations().ngettext(singular, plural, num), variables)


def _fill(context: Context, translated: str, variables: dict[str, Any]) -> str:
    """Fill placeholders as Jinja's own new-style callables do: the variables are escaped, not the message.

    The message comes from our own catalog, never from a user, so marking it safe is sound.
    """
    if context.eval_ctx.autoescape:
        return Markup(translated) % variables  # noqa: S704
    return translated % variables
