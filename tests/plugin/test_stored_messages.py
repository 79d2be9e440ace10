"""Stored messages: kept as msgid and arguments, rendered in the reader's language, data left verbatim."""

from __future__ import annotations

from decimal import Decimal
from gettext import NullTranslations

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from onecrm_finance_qb.i18n import load_translations
from onecrm_finance_qb.models.links import SyncLink
from onecrm_finance_qb.models.runs import SyncRun
from onecrm_finance_qb.paths import MODULE_ROOT
from onecrm_finance_qb.stored_messages import N_, Message, Nn_, message_of, render_message
from onecrm_finance_qb.sync.handlers.records import BlockedError

FRENCH = load_translations('fr_CA')
ENGLISH = NullTranslations()
QB_DETAIL = 'The string "+1 555 0100 ext 42" in the field "Phone" is too long.'


def _stored(message: Message) -> Message:
    """The message as a later request reads it back from the columns."""
    return Message.load(message.msgid, message.plural, message.args_json())


def test_english_by_default_and_french_for_a_french_reader() -> None:
    message = N_('The name "%(name)s" contains a colon, which QuickBooks does not allow: remove it.', name='A: B')
    assert str(message) == 'The name "A: B" contains a colon, which QuickBooks does not allow: remove it.'
    assert _stored(message).render(FRENCH) == (
        "Le nom « A: B » contient un deux-points, ce que QuickBooks n'accepte pas : retirez-le."
    )


def test_quickbooks_words_stay_verbatim_inside_our_translated_sentence() -> None:
    status = N_('QuickBooks status %(code)s: %(detail)s', code=3070, detail=QB_DETAIL)
    message = _stored(N_('A temporary QuickBooks error; trying again later. %(text)s', text=status))
    assert message.render(FRENCH) == (
        f'Erreur temporaire de QuickBooks; nouvel essai plus tard. État QuickBooks 3070 : {QB_DETAIL}'
    )
    assert str(message) == f'A temporary QuickBooks error; trying again later. QuickBooks status 3070: {QB_DETAIL}'


@pytest.mark.parametrize(
    ('num', 'english', 'french'), [(1, '1 record', '1 enregistrement'), (3, '3 records', '3 enregistrements')]
)
def test_plural_messages_choose_their_form_in_each_language(num: int, english: str, french: str) -> None:
    message = _stored(Nn_('%(num)s record', '%(num)s records', num))
    assert (message.render(ENGLISH), message.render(FRENCH)) == (english, french)


def test_arguments_json_cannot_hold_are_kept_as_their_text() -> None:
    message = _stored(N_('Currency %(code)s has no conversion rate in the CRM.', code=Decimal('1.50')))
    assert message.args == {'code': '1.50'}


def test_a_translation_with_broken_placeholders_falls_back_to_english() -> None:
    class Broken(NullTranslations):
        def gettext(self, message: str) -> str:
            return 'Le nom %(nom)s est vide.'

    assert N_('The name %(name)s is empty.', name='X').render(Broken()) == 'The name X is empty.'


def test_a_link_keeps_the_source_of_a_message_and_forgets_it_for_plain_text() -> None:
    link = SyncLink(message=N_('The name is empty.'))
    assert (link.message, link.message_key, link.message_args) == ('The name is empty.', 'The name is empty.', '{}')
    assert render_message(link, FRENCH) == 'Le nom est vide.'
    link.message = ''
    assert (link.message, link.message_key, link.message_plural, link.message_args) == ('', None, None, None)


def test_rows_written_before_or_damaged_are_shown_as_stored() -> None:
    legacy = SyncRun(message="L'objet lié est introuvable.")
    assert render_message(legacy, ENGLISH) == "L'objet lié est introuvable."
    damaged = SyncLink(message=N_('Related object could not be found.'))
    damaged.message_args = '[not an object]'
    assert render_message(damaged, FRENCH) == 'Related object could not be found.'


def test_exceptions_carry_our_message_whole_and_anyone_elses_as_text() -> None:
    ours = N_('Related object could not be found.')
    assert message_of(BlockedError(ours)) == ours
    assert message_of(ValueError(ours)) == ours
    assert message_of(ValueError('account name is required')) == 'account name is required'
    assert str(BlockedError(ours)) == 'Related object could not be found.'


def test_babel_extracts_both_markers_with_the_plural(tmp_path) -> None:
    source = tmp_path / 'onecrm_finance_qb' / 'sample.py'
    source.parent.mkdir()
    source.write_text("N_('One thing waits.')\nNn_('%(num)s thing waits.', '%(num)s things wait.', 2)\n")
    with (MODULE_ROOT / 'babel.cfg').open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = [message for *_where, message, _comments, _context in extract_from_dir(tmp_path, method_map, options_map)]
    assert found == ['One thing waits.', ('%(num)s thing waits.', '%(num)s things wait.')]
