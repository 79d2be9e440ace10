"""The per-server JSON documents of the sync: one query loads a server's documents for the transaction."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from hostcrm.extensions import db
from onecrm_finance_qb.sync import state


def _counting(app: Flask) -> list[str]:
    statements: list[str] = []
    sa.event.listen(db.engine, 'before_cursor_execute', lambda *args: statements.append(args[2]))
    return statements


def test_a_transaction_reads_a_servers_documents_in_one_query_and_sees_its_own_writes(app):
    with app.app_context():
        state.save(db.session, 1, 'import:Customer', {'newest': 'a'})
        state.save(db.session, 1, 'import:Vendor', {'newest': 'b'})
        state.save(db.session, 2, 'import:Customer', {'newest': 'other server'})
        db.session.commit()

        statements = _counting(app)
        assert state.load(db.session, 1, 'import:Customer') == {'newest': 'a'}
        assert state.load(db.session, 1, 'import:Vendor') == {'newest': 'b'}
        assert state.load(db.session, 1, 'progress') == {}
        assert len([sql for sql in statements if sql.lstrip().startswith('SELECT')]) == 1

        state.save(db.session, 1, 'import:Vendor', {'newest': 'c'})
        state.save(db.session, 1, 'progress', {'run': 7})
        assert state.load(db.session, 1, 'import:Vendor') == {'newest': 'c'}
        assert state.load(db.session, 1, 'progress') == {'run': 7}
        assert state.load(db.session, 2, 'import:Customer') == {'newest': 'other server'}


def test_a_rollback_or_a_commit_sends_the_next_read_to_the_database(app):
    with app.app_context():
        state.save(db.session, 1, 'import:Customer', {'newest': 'a'})
        db.session.commit()
        state.save(db.session, 1, 'import:Customer', {'newest': 'lost'})
        state.save(db.session, 1, 'progress', {'run': 8})
        db.session.rollback()
        assert state.load(db.session, 1, 'import:Customer') == {'newest': 'a'}
        assert state.load(db.session, 1, 'progress') == {}

        with db.engine.begin() as connection:  # another process moves the cursor meanwhile
            connection.execute(sa.text("UPDATE qb_cursors SET value = '{\"newest\": \"b\"}'"))
        db.session.commit()
        assert state.load(db.session, 1, 'import:Customer') == {'newest': 'b'}
