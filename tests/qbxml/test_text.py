"""Per-field text rules: invalid characters, transliteration only where needed, lengths, names refused."""

from __future__ import annotations

import pytest

from onecrm_finance_qb.qbxml import Charset, Edition, NameProblemKind, TextChange, check_name, fit_text, name_limit
from onecrm_finance_qb.qbxml.text import US, FittedText, fit, sent_as_is

ASCII = Edition(charset=Charset.ASCII)
UNICODE = Edition(charset=Charset.UNICODE)


@pytest.mark.parametrize(('value', 'expected'), [
    ('a\x00b\x07c\x1bd', 'abcd'),
    ('tab\tline\nreturn\r', 'tab\tline\nreturn\r'),
    ('del\x7f c1\x85 end', 'del c1 end'),
    ('\ufffe\uffffok\ud800', 'ok'),
])
def test_control_and_xml_invalid_characters_removed(value, expected) -> None:
    fitted = fit_text('CustomerAdd.Notes', value)
    assert fitted.value == expected
    assert (TextChange.REMOVED_INVALID in fitted.changes) == (value != expected)


def test_latin1_is_kept_and_the_rest_transliterated() -> None:
    assert fit_text('CustomerAdd.Notes', 'Caf\u00e9 \u00a3 \u00c6 ~').changes == frozenset()
    moscow = '\u041c\u043e\u0441\u043a\u0432\u0430'
    fitted = fit_text('CustomerAdd.Notes', f'Stra\u00dfe \u0141\u00f3d\u017a {moscow} \u20ac')
    assert fitted.value == 'Stra\u00dfe L\u00f3dz Moskva EUR'
    assert fitted.changes == {TextChange.TRANSLITERATED}


def test_untransliterable_becomes_question_mark() -> None:
    assert fit_text('CustomerAdd.Notes', 'ok \U0001f600').value == 'ok ?'


def test_ascii_edition_folds_everything_and_unicode_edition_nothing() -> None:
    assert fit_text('CustomerAdd.Notes', 'Caf\u00e9 ~', ASCII).value == 'Cafe ~'
    fitted = fit_text('CustomerAdd.Notes', '\u041c\u043e\u0441\u043a\u0432\u0430', UNICODE)
    assert fitted.value == '\u041c\u043e\u0441\u043a\u0432\u0430'
    assert not fitted.changed


@pytest.mark.parametrize(('path', 'limit'), [
    ('CustomerAdd.BillAddress.Addr1', 41), ('CustomerAdd.BillAddress.City', 31), ('CustomerAdd.Phone', 21),
    ('CustomerAdd.BillAddress.PostalCode', 13), ('InvoiceAdd.Memo', 4095), ('AccountAdd.AccountNumber', 7),
    ('InvoiceAdd.InvoiceLineAdd.Desc', 4095), ('VendorAdd.VendorAddress.State', 21),
])
def test_length_fitted_to_the_field(path, limit) -> None:
    exact = fit_text(path, 'x' * limit)
    assert exact.value == 'x' * limit
    assert not exact.changed
    over = fit_text(path, 'y' * (limit + 5))
    assert over.value == 'y' * limit
    assert over.changes == {TextChange.TRUNCATED}
    assert over.original == 'y' * (limit + 5)


def test_non_ascii_counts_as_one_character() -> None:
    assert fit_text('CustomerAdd.Phone', '\u00e9' * 21).value == '\u00e9' * 21


def test_length_counted_after_transliteration() -> None:
    fitted = fit_text('CustomerAdd.Phone', '\u5317' * 10)
    assert len(fitted.value) == 21
    assert fitted.changes == {TextChange.TRANSLITERATED, TextChange.TRUNCATED}


def test_country_limits() -> None:
    assert name_limit('SalesTaxCode') == 3
    assert name_limit('SalesTaxCode', Edition(country='AU')) == 6
    assert fit_text('CustomerAdd.ResaleNumber', 'r' * 21, Edition(country='CA')).value == 'r' * 21
    assert fit_text('CustomerAdd.ResaleNumber', 'r' * 21).value == 'r' * 15


@pytest.mark.parametrize(('kind', 'limit'), [
    ('Customer', 41), ('Vendor', 41), ('ItemInventory', 31), ('ItemService', 31), ('ItemGroup', 31),
    ('Account', 31), ('CustomerType', 31), ('StandardTerms', 31), ('PaymentMethod', 31), ('ShipMethod', 15),
])
def test_name_limits(kind, limit) -> None:
    assert name_limit(kind) == limit
    assert check_name(kind, 'n' * limit) is None
    problem = check_name(kind, 'n' * (limit + 1))
    assert problem.kind is NameProblemKind.TOO_LONG
    assert problem.max_length == limit


@pytest.mark.parametrize(('value', 'kind'), [
    ('', NameProblemKind.EMPTY),
    ('   ', NameProblemKind.EMPTY),
    (' Acme', NameProblemKind.SURROUNDING_SPACE),
    ('Acme ', NameProblemKind.SURROUNDING_SPACE),
    ('Acme: Jobs', NameProblemKind.COLON),
    ('Acme\x07', NameProblemKind.INVALID_CHARACTERS),
])
def test_name_problems(value, kind) -> None:
    assert check_name('Customer', value).kind is kind


def test_name_checked_as_sent() -> None:
    assert check_name('Customer', 'Caf\u00e9 M\u00fcller') is None
    assert check_name('ItemService', '\u5317' * 8) is None
    problem = check_name('ItemService', '\u5317' * 9)
    assert problem.kind is NameProblemKind.TOO_LONG
    assert problem.sent == 'Bei Bei Bei Bei Bei Bei Bei Bei Bei'


def test_unknown_kind_and_field() -> None:
    with pytest.raises(KeyError):
        name_limit('Spaceship')
    with pytest.raises(KeyError):
        fit_text('CustomerAdd.BillAddress', 'x')


@pytest.mark.parametrize(('value', 'limit', 'as_is'), [
    ('Acme Widgets ~ Co.', None, True),
    ('', 5, True),
    ('12345', 5, True),
    ('123456', 5, False),
    ('Line\nbreak', None, False),
    ('Tab\there', None, False),
    ('Café', None, False),
    ('Acme\x07', None, False),
    ('Del\x7f', None, False),
])
def test_only_printable_ascii_within_the_limit_is_sent_without_a_look(value, limit, as_is):
    assert sent_as_is(value, limit) is as_is
    if as_is:
        assert fit(value, limit, US) == FittedText(value, value)
