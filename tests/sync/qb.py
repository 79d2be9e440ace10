"""Changing the QuickBooks side of a test directly, as a QuickBooks user would, and reading what we sent it."""

from __future__ import annotations

from pathlib import Path

from lxml import etree


def message(bench, body: str) -> str:
    country = bench.company_path.name.split()[0]
    version = '13.0' if country == 'US' else f'{country}13.0'
    return (
        f'<?xml version="1.0"?><?qbxml version="{version}"?><QBXML><QBXMLMsgsRq onError="continueOnError">'
        f'{body}</QBXMLMsgsRq></QBXML>'
    )


def run(bench, body: str) -> etree._Element:
    """Send ``body`` to the company; the response's first ``…Rs``, which must have succeeded."""
    answer = etree.fromstring(bench.qb_process(message(bench, body)).split('?>', 1)[-1].encode())
    response = answer.find('QBXMLMsgsRs')[0]
    assert response.get('statusCode') == '0', etree.tostring(response)
    return response


def add(bench, kind: str, inner: str) -> None:
    run(bench, f'<{kind}AddRq><{kind}Add>{inner}</{kind}Add></{kind}AddRq>')


def modify(bench, kind: str, name: str, inner: str) -> None:
    """A Mod of the ``kind`` record called ``name`` with its current EditSequence."""
    current = bench.qb(f'{kind}Ret')[name]
    run(
        bench,
        f'<{kind}ModRq><{kind}Mod><ListID>{current["ListID"]}</ListID>'
        f'<EditSequence>{current["EditSequence"]}</EditSequence>{inner}</{kind}Mod></{kind}ModRq>',
    )


def delete(bench, kind: str, name: str) -> None:
    current = bench.qb(f'{kind}Ret')[name]
    run(bench, f'<ListDelRq><ListDelType>{kind}</ListDelType><ListID>{current["ListID"]}</ListID></ListDelRq>')


def recorded(bench, run: int, side: str, tag: str) -> list[etree._Element]:
    """Every ``tag`` element of update number ``run`` (1-based), in order: ``side`` is ``request``
    (what QuickBooks received) or ``response`` (what it answered)."""
    found = []
    for path in sorted(Path(bench.records / f'run{run}').glob(f'*-{side}.xml')):
        root = etree.fromstring(path.read_bytes().split(b'?>', 2)[-1])
        found.extend(root.iter(tag))
    return found


def sent_messages(bench, run: int) -> list[etree._Element]:
    """The ``QBXMLMsgsRq`` of every message QuickBooks received in update number ``run``, in order."""
    return recorded(bench, run, 'request', 'QBXMLMsgsRq')
