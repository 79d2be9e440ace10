"""Messages the sync engine stores for later readers, kept language-neutral until someone reads them.

The engine writes why a record waits or a run ended during a Web Connector call, whose locale is
nobody's in particular; the administrator reads it later, in their own language. So a stored
message is its msgid (the English source text with ``%(name)s`` placeholders) and its arguments,
and it is translated only when rendered. ``N_`` and ``Nn_`` mark the text for extraction (Babel
knows ``N_``; ``Nn_`` is declared in ``babel.cfg``) and build such a message.

Arguments are data and are never translated: a QuickBooks ``statusMessage`` wrapped in one of our
sentences stays verbatim in every language. An argument may itself be a message (a sentence
quoting another), which is rendered in the same language. ``str()`` of a message is its English
text, so code that logs or compares messages keeps working.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from gettext import NullTranslations
from typing import Any, Protocol

#: Translations that leave the source text: the English rendering.
_SOURCE = NullTranslations()


@dataclass(frozen=True)
class Message:
    """A sentence of ours and its arguments, translated when it is shown."""

    msgid: str
    args: Mapping[str, Any] = field(default_factory=dict)
    #: The plural msgid of an ``Nn_`` message, whose count is ``args['num']``.
    plural: str | None = None

    def __str__(self) -> str:
        return self.render(_SOURCE)

    def render(self, translations: NullTranslations) -> str:
        """The message in the language of ``translations``; the English text if the catalog's is unusable.

        Stored messages outlive catalogs: a translation whose placeholders no longer match must
        not break the page that shows it.
        """
        values = {
            key: value.render(translations) if isinstance(value, Message) else value for key, value in self.args.items()
        }
        try:
            return _fill(self._translated(translations), values, plural=self.plural is not None)
        except (KeyError, ValueError, TypeError):
            return _fill(self._translated(_SOURCE), values, plural=self.plural is not None)

    def _translated(self, translations: NullTranslations) -> str:
        if self.plural is None:
            return translations.gettext(self.msgid)
        return translations.ngettext(self.msgid, self.plural, int(self.args['num']))

    def args_json(self) -> str:
        """The arguments as stored in a ``message_args`` column."""
        return json.dumps(_encode_args(self.args), ensure_ascii=False, sort_keys=True)

    @classmethod
    def load(cls, msgid: str, plural: str | None, args_json: str | None) -> Message:
        """The message stored as ``msgid``, ``plural`` and ``args_json``; an error if the arguments are damaged."""
        args = json.loads(args_json) if args_json else {}
        if not isinstance(args, dict):
            raise ValueError(f'message arguments are not an object: {args_json!r}')
        return cls(msgid, _decode_args(args), plural)


def N_(msgid: str, **args: Any) -> Message:  # noqa: N802 (gettext's name for a marker translated later)
    """Mark ``msgid`` for translation and keep it with ``args``, to be translated when it is shown."""
    return Message(msgid, _normalised(args))


def Nn_(singular: str, plural: str, num: int, **args: Any) -> Message:  # noqa: N802 (the plural of ``N_``)
    """The plural form of ``N_``: ``num`` chooses the form and fills ``%(num)s``, as ``ngettext`` does."""
    return Message(singular, _normalised({**args, 'num': num}), plural)


def message_of(exc: BaseException) -> Message | str:
    """The message an exception was raised with: ours kept whole, anyone else's as its text."""
    carried = getattr(exc, 'message', None) or (exc.args[0] if exc.args else None)
    return carried if isinstance(carried, Message) else str(exc)


class HasStoredMessage(Protocol):
    """A row with a stored message: links and runs (see ``models.message_columns``)."""

    message: str
    message_key: str | None
    message_plural: str | None
    message_args: str | None


def render_message(row: HasStoredMessage, translations: NullTranslations) -> str:
    """The row's message in the reader's language (``translations``); plain text, a row written before
    messages were kept language-neutral and a damaged source are shown as stored."""
    if row.message_key is None:
        return row.message
    try:
        message = Message.load(row.message_key, row.message_plural, row.message_args)
    except (ValueError, KeyError, TypeError):
        return row.message
    return message.render(translations)


def _normalised(args: Mapping[str, Any]) -> dict[str, Any]:
    """Arguments that survive JSON as they are: other values (Decimal, dates...) become their text now."""
    return {
        key: value if isinstance(value, str | int | float | bool | Message) or value is None else str(value)
        for key, value in args.items()
    }


def _fill(text: str, values: dict[str, Any], *, plural: bool) -> str:
    # As i18n.gettext: a message without arguments is not %-formatted, so a literal % stays.
    return text % values if values or plural else text


def _encode_args(args: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _encode(value) if isinstance(value, Message) else value for key, value in args.items()}


def _encode(message: Message) -> dict[str, Any]:
    encoded: dict[str, Any] = {'msgid': message.msgid, 'args': _encode_args(message.args)}
    if message.plural is not None:
        encoded['plural'] = message.plural
    return encoded


def _decode_args(args: dict[str, Any]) -> dict[str, Any]:
    """Stored arguments back to values; an object is a nested message (plain arguments are never objects)."""
    return {
        key: Message(value['msgid'], _decode_args(value.get('args') or {}), value.get('plural'))
        if isinstance(value, dict)
        else value
        for key, value in args.items()
    }
