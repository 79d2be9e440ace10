"""The columns of a row's message (links, runs): its English text, and its source for translation.

Assigning a ``Message`` (``N_('...')``) to ``message`` keeps its msgid and arguments next to its
English text, so each reader sees it in their own language (``stored_messages.render_message``);
assigning plain text (empty, or QuickBooks' own words) forgets any earlier source. Code that
compares or logs ``message`` reads the English text either way.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, validates

from onecrm_finance_qb.stored_messages import Message

#: What a bulk UPDATE sets to clear a message (an UPDATE bypasses the validator below).
CLEARED_MESSAGE = {'message': '', 'message_key': None, 'message_plural': None, 'message_args': None}


def message_values(value: Message | str) -> dict[str, str | None]:
    """The four message columns for ``value``: what assigning it sets, and what a bulk UPDATE must write."""
    if isinstance(value, Message):
        return {'message': str(value), 'message_key': value.msgid, 'message_plural': value.plural,
                'message_args': value.args_json()}  # fmt: skip
    return {**CLEARED_MESSAGE, 'message': value}


class MessageColumns:
    """Mixin of the message columns; a row written before they existed has no key and shows its text."""

    #: The English text (or, for a row written before ``message_key`` existed, the text as written).
    message: Mapped[str] = mapped_column(sa.Text, default='')
    #: The msgid the message is translated from; None for plain text, shown as it is.
    message_key: Mapped[str | None] = mapped_column(sa.Text)
    #: The plural msgid of a message with a count (its ``num`` argument).
    message_plural: Mapped[str | None] = mapped_column(sa.Text)
    #: The message's arguments, as JSON.
    message_args: Mapped[str | None] = mapped_column(sa.Text)

    @validates('message')
    def _keep_source(self, _key: str, value: Message | str) -> str:
        values = message_values(value)
        self.message_key, self.message_plural, self.message_args = (
            values['message_key'], values['message_plural'], values['message_args'])  # fmt: skip
        return values['message']
