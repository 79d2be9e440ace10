"""The hardened parser refuses DTDs and entities without expanding them, and enforces its size limit."""

import pytest

from onecrm_finance_qb.xmlsafe import UnsafeXMLError, parse_untrusted

XXE = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b''.join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">'.encode() for i in range(1, 10)).replace(
        b'&lol0;', b'&lol;'
    )
    + b']><lolz>&lol9;</lolz>'
)


@pytest.mark.parametrize('document', [XXE, BILLION_LAUGHS], ids=['xxe', 'billion-laughs'])
def test_dtd_and_entities_refused(document):
    with pytest.raises(UnsafeXMLError, match='DOCTYPE'):
        parse_untrusted(document)


def test_size_limit():
    with pytest.raises(UnsafeXMLError, match='larger than'):
        parse_untrusted(b'<a>' + b'x' * 100 + b'</a>', max_bytes=50)


def test_malformed_refused():
    with pytest.raises(UnsafeXMLError, match='malformed'):
        parse_untrusted('<a><b></a>')


def test_text_with_foreign_encoding_declaration():
    root = parse_untrusted('<?xml version="1.0" encoding="ISO-8859-1"?><a>Café &amp; Crème</a>')
    assert root.text == 'Café & Crème'


def test_qbxml_processing_instruction_is_fine():
    root = parse_untrusted('<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRs/></QBXML>')
    assert root.tag == 'QBXML'
