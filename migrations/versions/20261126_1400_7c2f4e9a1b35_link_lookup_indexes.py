"""Index the link lookups by ListID and by name regardless of case, which every page and batch runs.

``name_key`` is the name in lower case, as Python lowers it: SQL's LOWER() cannot use an index,
and SQLite's lowers ASCII letters only. Existing rows are filled in here.

Revision ID: 7c2f4e9a1b35
Revises: 01e834471231
Create Date: 2026-11-26 14:00:00+00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7c2f4e9a1b35'
down_revision = '01e834471231'
branch_labels = None
depends_on = None

#: Rows read and written at a time while filling ``name_key``.
CHUNK = 1000


def upgrade() -> None:
    with op.batch_alter_table('qb_links') as batch:
        batch.add_column(sa.Column('name_key', sa.String(length=255), nullable=False, server_default=''))
    links = sa.table('qb_links', sa.column('id', sa.Integer), sa.column('name', sa.String),
                     sa.column('name_key', sa.String))
    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(
            sa.select(links.c.id, links.c.name).where(links.c.id > last).order_by(links.c.id).limit(CHUNK)
        ).all()
        if not rows:
            break
        connection.execute(
            links.update().where(links.c.id == sa.bindparam('link_id')).values(name_key=sa.bindparam('key')),
            [{'link_id': link_id, 'key': (name or '').lower()} for link_id, name in rows],
        )
        last = rows[-1][0]
    op.create_index('ix_qb_links_server_qb_id', 'qb_links', ['server_id', 'qb_id'])
    op.create_index('ix_qb_links_server_name_key', 'qb_links', ['server_id', 'name_key'])


def downgrade() -> None:
    op.drop_index('ix_qb_links_server_name_key', table_name='qb_links')
    op.drop_index('ix_qb_links_server_qb_id', table_name='qb_links')
    with op.batch_alter_table('qb_links') as batch:
        batch.drop_column('name_key')
