"""Per-field text rules for what we send to QuickBooks.

The original module folded the *whole* qbXML message to ASCII after building it, which turned
``~`` and every non-Latin script into ``?`` and still let control characters and over-long
values through. We make each text value safe on its own, and say what we changed:

- characters XML 1.0 forbids, and C0/C1 control characters other than tab and line breaks, are
  removed (they would make QuickBooks reject the whole message);
- characters the company file cannot hold are transliterated with ``unidecode``, and only
  those: QuickBooks Desktop stores ISO-8859-1 text in every edition (US, CA, UK, AU), so Latin-1
  letters such as ``é`` or ``£`` are kept and sent as numeric character references (raw UTF-8
  bytes reportedly fail the whole message while ``&#233;`` works: qbxml-semantics §1.1,
  peer-frameworks §3 row 21). ``Charset.ASCII`` reproduces the original's full folding for
  installations that need it, ``Charset.UNICODE`` switches transliteration off for a
  QuickBooks that accepts Unicode (an open question in qbxml-semantics §11);
- lengths are fitted to the field's maximum. QuickBooks and the schema count characters, not
  bytes (``xsd:maxLength`` on a string is a character count; a character reference is one
  character once parsed), so ``Café`` is 4 long whatever its encoding. Fitting happens after
  transliteration, which can lengthen a value (``Æ`` stays, ``Ω`` becomes ``O``, ``北`` ``Bei``).

Names are different: a name is an identity, so it is never shortened. :func:`check_name` tells
the engine why a name cannot be sent (a blocking condition), and the request builder refuses an
over-long name instead of truncating it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from unidecode import unidecode

from onecrm_finance_qb.qbxml import facts


class Charset(StrEnum):
    """The characters a QuickBooks company file can store."""

    LATIN1 = 'latin-1'
    ASCII = 'ascii'
    UNICODE = 'unicode'


@dataclass(frozen=True, slots=True)
class Edition:
    """What the text rules need to know about the QuickBooks we talk to."""

    country: str = 'US'
    charset: Charset = Charset.LATIN1


US = Edition()


class TextChange(StrEnum):
    """One kind of change made to a text value before sending it."""

    REMOVED_INVALID = 'removed-invalid-characters'
    TRANSLITERATED = 'transliterated'
    TRUNCATED = 'truncated'


@dataclass(frozen=True, slots=True)
class FittedText:
    """A value as it will be sent, the original, and what changed between them."""

    value: str
    original: str
    changes: frozenset[TextChange] = field(default_factory=frozenset)

    @property
    def changed(self) -> bool:
        return bool(self.changes)


class NameProblemKind(StrEnum):
    """Why a name cannot be sent to QuickBooks as it is."""

    EMPTY = 'empty'
    TOO_LONG = 'too-long'
    COLON = 'colon'
    SURROUNDING_SPACE = 'surrounding-space'
    INVALID_CHARACTERS = 'invalid-characters'


@dataclass(frozen=True, slots=True)
class NameProblem:
    """A blocking condition for a name: the engine turns ``kind`` into a translated message."""

    kind: NameProblemKind
    name: str
    sent: str
    max_length: int


# Non-US limits the US 13.0 schema does not carry (qbxml-semantics §4 and §8.2, from OPS70).
_COUNTRY_MAX_LENGTHS: dict[tuple[str, str], dict[str, int]] = {
    ('SalesTaxCodeAdd', 'Name'): {'AU': 6},
    ('SalesTaxCodeMod', 'Name'): {'AU': 6},
    ('SalesTaxCodeRef', 'FullName'): {'AU': 6},
    ('CustomerSalesTaxCodeRef', 'FullName'): {'AU': 6},
    ('CustomerAdd', 'ResaleNumber'): {'CA': 21, 'UK': 21, 'AU': 21},
    ('CustomerMod', 'ResaleNumber'): {'CA': 21, 'UK': 21, 'AU': 21},
}

_UNCHANGED: frozenset[TextChange] = frozenset()
_INVALID_XML = re.compile('[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]')
_OUTSIDE = {
    Charset.LATIN1: re.compile('[^\x00-\xff]+'),
    Charset.ASCII: re.compile('[^\x00-\x7f]+'),
}


def max_length(parent: str, leaf: facts.Leaf, name: str, edition: Edition) -> int | None:
    """The limit of element ``name`` inside ``parent`` for this edition's country."""
    override = _COUNTRY_MAX_LENGTHS.get((parent, name))
    if override and edition.country in override:
        return override[edition.country]
    return leaf.max_length


def _transliterate(run: str) -> str:
    """ASCII spelling of a run of characters; ``?`` when there is none (as the user guide promises).

    unidecode ends each CJK syllable with a space (``北京`` is ``Bei Jing ``), so the run is stripped.
    """
    return unidecode(run).strip() or '?'


def sent_as_is(value: str, limit: int | None) -> bool:
    """Whether ``value`` needs no change at all: nearly every value, so this is asked first.

    Characters from space to tilde are ones XML allows and every company file can store.
    """
    return value.isascii() and value.isprintable() and (limit is None or len(value) <= limit)


def clean(value: str, edition: Edition) -> tuple[str, frozenset[TextChange]]:
    """Remove what XML cannot carry and transliterate what the company file cannot store."""
    if sent_as_is(value, None):
        return value, _UNCHANGED
    changes: set[TextChange] = set()
    text = _INVALID_XML.sub('', value)
    if text != value:
        changes.add(TextChange.REMOVED_INVALID)
    outside = _OUTSIDE.get(edition.charset)
    if outside is not None and outside.search(text):
        text = outside.sub(lambda match: _transliterate(match.group()), text)
        changes.add(TextChange.TRANSLITERATED)
    return text, frozenset(changes)


def fit(value: str, limit: int | None, edition: Edition) -> FittedText:
    """Clean ``value`` and cut it to ``limit`` characters (trailing spaces of a cut are dropped)."""
    text, changes = clean(value, edition)
    if limit is not None and len(text) > limit:
        text = text[:limit].rstrip()
        changes |= {TextChange.TRUNCATED}
    return FittedText(text, value, changes)


def fit_text(field_path: str, value: str, edition: Edition = US) -> FittedText:
    """Make ``value`` safe for the field at ``field_path`` (``CustomerAdd.BillAddress.City``).

    For names use :func:`check_name`: the request builder refuses, rather than shortens, an
    over-long name, reference or RefNumber. Calling this on a RefNumber is how the engine opts
    into shortening one, as the original module did.
    """
    *parents, name = field_path.split('.')
    spec = facts.field(field_path)
    if spec.leaf is None:
        raise KeyError(f'{field_path} is an aggregate, not a text field')
    parent = parents[-1]
    return fit(value, max_length(parent, spec.leaf, name, edition), edition)


def name_limit(kind: str, edition: Edition = US) -> int:
    """Longest name QuickBooks accepts for a list ``kind`` (``Customer``, ``ItemService``...)."""
    for request_type in (f'{kind}Add', f'{kind}Mod'):
        try:
            spec = facts.field(f'{request_type}.Name')
        except KeyError:
            continue
        limit = max_length(request_type, spec.leaf, 'Name', edition)
        if limit is not None:
            return limit
    raise KeyError(f'no named list kind {kind!r} in the qbXML facts')


def check_name(kind: str, value: str, edition: Edition = US) -> NameProblem | None:
    """Why ``value`` cannot be the name of a ``kind`` record, or None when it can be sent as is.

    Checked on the name as it would be sent (after transliteration), because that is what
    QuickBooks measures and compares. A name is never truncated: two long names cut to the
    same prefix would collide, or link a record to the wrong QuickBooks object.
    """
    limit = name_limit(kind, edition)
    sent, changes = clean(value, edition)
    problem = None
    if not sent.strip():
        problem = NameProblemKind.EMPTY
    elif TextChange.REMOVED_INVALID in changes:
        problem = NameProblemKind.INVALID_CHARACTERS
    elif sent != sent.strip():
        problem = NameProblemKind.SURROUNDING_SPACE
    elif ':' in sent:
        problem = NameProblemKind.COLON
    elif len(sent) > limit:
        problem = NameProblemKind.TOO_LONG
    return NameProblem(problem, value, sent, limit) if problem else None
