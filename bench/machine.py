"""How fast the machine ran the server's kind of work around the benchmark, to read its CPU figures by.

Server CPU per record has differed by more than a factor of two between days on the same kind
of machine, for code that differed only by a refactoring: shared hosts lend their cores unevenly.
A fixed reference workload, timed before and after the measurements, is there to show such
swings. It is no exact yardstick: between runs with alike reference times the sync's figure
still moved by a tenth or more.

The workload is a small copy of what the server does per message: SQL statements through
SQLAlchemy on SQLite, JSON documents, and XML built and parsed with lxml.
"""

from __future__ import annotations

import json
import time

import sqlalchemy as sa
from lxml import etree

#: Rows and XML elements the workload handles: about a tenth of a second on a quick machine.
ROWS = 5_000
#: Times the workload runs; the fastest counts, as the others include the machine's hiccups.
REPEATS = 5

_metadata = sa.MetaData()
_records = sa.Table(
    'records',
    _metadata,
    sa.Column('id', sa.Integer, primary_key=True),
    sa.Column('name', sa.String(100), index=True),
    sa.Column('document', sa.Text),
)


def reference_cpu_ms() -> float:
    """CPU milliseconds of the reference workload on this machine now (the fastest of ``REPEATS``)."""
    timings = []
    for _ in range(REPEATS):
        started = time.process_time()
        _workload()
        timings.append(time.process_time() - started)
    return min(timings) * 1000


def _workload() -> int:
    """The work timed; returns the records read back, so none of it is work for nothing."""
    engine = sa.create_engine('sqlite://')
    _metadata.create_all(engine)
    rows = [
        {'name': f'Record {number:05}', 'document': json.dumps({'number': number, 'tags': ['a', 'b']})}
        for number in range(ROWS)
    ]
    with engine.begin() as connection:
        connection.execute(sa.insert(_records), rows)
        for start in range(0, ROWS, 100):
            names = [f'Record {number:05}' for number in range(start, start + 100)]
            found = connection.execute(sa.select(_records).where(_records.c.name.in_(names))).all()
            connection.execute(
                sa.update(_records).where(_records.c.id.in_([row.id for row in found])).values(document='{}')
            )
            for row in found:
                json.loads(row.document)
    engine.dispose()
    message = etree.Element('QBXMLMsgsRs')
    for number in range(ROWS):
        record = etree.SubElement(message, 'CustomerRet')
        etree.SubElement(record, 'ListID').text = f'{number:08X}-1234567890'
        etree.SubElement(record, 'Name').text = f'Record {number:05}'
    return len(etree.fromstring(etree.tostring(message)).findall('CustomerRet/Name'))
